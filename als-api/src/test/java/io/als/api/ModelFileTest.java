package io.als.api;

import io.als.internal.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.api.Model;
import io.als.api.Ratings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    private static Model model(boolean stringIds) {
        Ratings.Builder b = Ratings.builder();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 15; i++) {
                if (rnd.nextDouble() < 0.4 || i == u % 15) {
                    if (stringIds) {
                        b.add("user-" + u, "item-" + i, 1 + rnd.nextInt(5));
                    } else {
                        b.add(1000L + u, 7L * i, 1 + rnd.nextInt(5));
                    }
                }
            }
        }
        Ratings r = b.build();
        FactorMatrix u = new FactorMatrix(r.numUsers(), 4);
        FactorMatrix p = new FactorMatrix(r.numItems(), 4);
        Arrays.setAll(u.data(), k -> rnd.nextDouble() - 0.5);
        Arrays.setAll(p.data(), k -> rnd.nextDouble() - 0.5);
        double[] ub = new double[r.numUsers()];
        double[] ib = new double[r.numItems()];
        Arrays.setAll(ub, k -> rnd.nextGaussian());
        Arrays.setAll(ib, k -> rnd.nextGaussian());
        return new Model(r.userIds(), r.itemIds(), u, p, 3.5, ub, ib, r.byUser());
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path dir) throws IOException {
        for (boolean strings : new boolean[] {false, true}) {
            Model m = model(strings);
            Path f = dir.resolve("m" + strings + ".als");
            ModelFile.write(m, f);
            Model back = ModelFile.read(f);
            assertEquals(m, back);
            for (int u = 0; u < m.userIds().size(); u++) {
                for (int i = 0; i < m.itemIds().size(); i++) {
                    assertEquals(Double.doubleToLongBits(m.predictIndex(u, i)),
                            Double.doubleToLongBits(back.predictIndex(u, i)));
                }
            }
            assertEquals(m.recommend(m.userIds().idAt(0), 5), back.recommend(m.userIds().idAt(0), 5));
        }
    }

    @Test
    void rejectsNonModelsWrongVersionsTruncationAndCorruption(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.als");
        ModelFile.write(model(false), good);
        byte[] bytes = Files.readAllBytes(good);

        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "hello, not a model");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.read(other)).getMessage()
                .contains("not an als model file"));

        byte[] version = bytes.clone();
        version[11] = 9; // the low byte of the big-endian version int after the 8-byte magic
        Path v = dir.resolve("v.als");
        Files.write(v, version);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.read(v)).getMessage()
                .contains("version must be 1 but was 9"));

        for (int cut : new int[] {bytes.length - 1, bytes.length / 2, 13}) {
            Path t = dir.resolve("t" + cut + ".als");
            Files.write(t, Arrays.copyOf(bytes, cut));
            assertThrows(ModelFormatException.class, () -> ModelFile.read(t), "cut at " + cut);
        }
        for (int at = 12; at < bytes.length; at += 97) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x10;
            Path c = dir.resolve("c" + at + ".als");
            Files.write(c, flipped);
            assertThrows(ModelFormatException.class, () -> ModelFile.read(c), "byte " + at);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.als");
        Files.writeString(f, "old");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writtenFilesAreReadableLikeOrdinaryFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("shared.als");
        AtomicFiles.write(f, out -> out.write(1));
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(f)));
        }
    }
}
