package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.internal.AtomicFiles;
import io.als.spi.FactorMatrix;
import io.als.spi.Solver;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    private static Ratings ratings(boolean stringIds) {
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
        return b.build();
    }

    private static Model model(boolean stringIds) {
        Ratings r = ratings(stringIds);
        SplittableRandom rnd = new SplittableRandom(4);
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

    /** A fitted model: biased, three samples, with its training info. */
    private static Model sampledFit(boolean stringIds) {
        Solver solver = new EliminationSolver();
        AlsConfig config = AlsConfig.builder().rank(3).iterations(3).regularizer("l2").lambda(0.7).biased(true)
                .samples(3).noise(0.6).seed(9).threads(1).compress(false).build();
        return new AlternatingLeastSquares(config, solver).fit(ratings(stringIds).withSource("test ratings"));
    }

    private static void assertSamePredictions(Model m, Model back) {
        for (int u = 0; u < m.userIds().size(); u++) {
            for (int i = 0; i < m.itemIds().size(); i++) {
                assertEquals(Double.doubleToLongBits(m.predictIndex(u, i)),
                        Double.doubleToLongBits(back.predictIndex(u, i)), "user " + u + ", item " + i);
            }
        }
        assertEquals(m.recommend(m.userIds().idAt(0), 5), back.recommend(m.userIds().idAt(0), 5));
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path dir) throws IOException {
        for (boolean strings : new boolean[] {false, true}) {
            for (Model m : List.of(model(strings), sampledFit(strings))) {
                Path f = dir.resolve("m" + strings + m.samples() + ".als");
                ModelFile.write(m, f);
                Model back = ModelFile.read(f);
                assertEquals(m, back);
                assertEquals(m.rank(), back.rank());
                assertEquals(m.samples(), back.samples());
                assertEquals(m.biased(), back.biased());
                assertEquals(m.trainingInfo(), back.trainingInfo());
                assertSamePredictions(m, back);
            }
        }
    }

    @Test
    void aFittedModelStoresWhatItIsAndHowItWasTrained(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("fit.als");
        ModelFile.write(sampledFit(false), f);
        Model back = ModelFile.read(f);
        assertEquals(3, back.rank());
        assertEquals(3, back.samples());
        assertTrue(back.biased());
        Ratings r = ratings(false);
        double[] range = r.range();
        assertEquals(new TrainingInfo("elimination", 3, "l2", 0.7, 3, 3, 9, Initialization.RANDOM, true, 3, 0.6,
                "test ratings", r.numUsers(), r.numItems(), r.size(), new RatingScale(range[0], range[1])),
                back.trainingInfo().orElseThrow());
    }

    // ------------------------------------------------------------------ version 1

    /**
     * A version-1 writer, kept here as the format was documented before version 2: magic,
     * version 1, rank, users, items, ids (byte kind; numeric ids as longs), mean, user biases,
     * item biases, user factors, item factors (row-major), rated count, row pointers, item
     * indices, CRC-32 of all of it.
     */
    private static byte[] version1(long[] userIds, long[] itemIds, int rank, double mean, double[] userBias,
                                   double[] itemBias, double[] users, double[] items, int[] ptr, int[] idx)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("ALSMODEL".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeInt(rank);
        out.writeInt(userIds.length);
        out.writeInt(itemIds.length);
        for (long[] ids : new long[][] {userIds, itemIds}) {
            out.writeByte(0);
            for (long id : ids) {
                out.writeLong(id);
            }
        }
        out.writeDouble(mean);
        for (double[] values : new double[][] {userBias, itemBias, users, items}) {
            for (double v : values) {
                out.writeDouble(v);
            }
        }
        out.writeInt(idx.length);
        for (int p : ptr) {
            out.writeInt(p);
        }
        for (int i : idx) {
            out.writeInt(i);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return bytes.toByteArray();
    }

    @Test
    void aVersion1SampledModelLoadsAsOneSampleOfItsStoredRankAndPredictsAsBefore(@TempDir Path dir)
            throws IOException {
        // Version 1 stored S samples of rank k as one rank-S*k factorisation, each sample's
        // factors scaled by 1/sqrt(S). Three samples of rank 2 over 4 users and 3 items:
        int samples = 3;
        int k = 2;
        int width = samples * k;
        SplittableRandom rnd = new SplittableRandom(12);
        double[] users = new double[4 * width];
        double[] items = new double[3 * width];
        double scale = 1 / Math.sqrt(samples);
        Arrays.setAll(users, e -> scale * rnd.nextGaussian());
        Arrays.setAll(items, e -> scale * rnd.nextGaussian());
        double[] userBias = {0.1, -0.2, 0.3, 0};
        double[] itemBias = {-0.4, 0.5, 0.05};
        double mean = 3.25;
        int[] ptr = {0, 2, 3, 3, 4};
        int[] idx = {0, 2, 1, 0};
        Path f = dir.resolve("old.als");
        Files.write(f, version1(new long[] {5, 6, 7, 8}, new long[] {10, 20, 30}, width, mean, userBias, itemBias,
                users, items, ptr, idx));

        Model m = ModelFile.read(f);
        assertEquals(width, m.rank(), "the stored rank, samples side by side");
        assertEquals(1, m.samples(), "version 1 did not record the sample count");
        assertTrue(m.biased(), "a non-zero mean and biases");
        assertTrue(m.trainingInfo().isEmpty(), "version 1 did not record the settings");
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < 3; i++) {
                // Version 1's prediction: mean + biases + the dot product over all stored columns, in column order.
                double dot = 0;
                for (int c = 0; c < width; c++) {
                    dot += users[u * width + c] * items[i * width + c];
                }
                assertEquals(Double.doubleToLongBits(mean + userBias[u] + itemBias[i] + dot),
                        Double.doubleToLongBits(m.predict(5 + u, 10L * (i + 1))), "user " + u + ", item " + i);
            }
        }
        // User 5 rated items 10 and 30, so only 20 is left to recommend.
        assertEquals(List.of("20"), m.recommend("5", 3).stream().map(Model.Recommendation::item).toList());

        // Written again, it is a version-3 file (what every model but a BM25 one is written as) of the same model.
        Path again = dir.resolve("again.als");
        ModelFile.write(m, again);
        assertEquals(3, java.nio.ByteBuffer.wrap(Files.readAllBytes(again), 8, 4).getInt());
        assertEquals(m, ModelFile.read(again));
    }

    @Test
    void aVersion1UnbiasedModelLoadsUnbiased(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("plain.als");
        Files.write(f, version1(new long[] {1, 2}, new long[] {3}, 1, 0, new double[2], new double[1],
                new double[] {0.5, 2}, new double[] {4}, new int[] {0, 1, 1}, new int[] {0}));
        Model m = ModelFile.read(f);
        assertFalse(m.biased());
        assertEquals(2.0, m.predict(1, 3), 0.0);
        assertEquals(8.0, m.predict(2, 3), 0.0);
    }

    /**
     * A file the version-1 writer itself wrote (./als train at commit b6f8904 on the 23
     * ratings of 6 users and 5 items below, with --rank 2 --biased true --samples 3
     * --iterations 3 --regularizer l2 --lambda 0.5 --threads 1), and the predictions and the
     * recommendation ./als predict --json and ./als recommend --json printed from it then.
     * Ratings (user item rating): 1 101 3, 1 102 5, 1 103 4, 1 105 1, 2 102 4, 2 103 4,
     * 2 104 5, 2 105 2, 3 101 2, 3 104 1, 3 105 5, 4 101 2, 4 102 1, 4 103 2, 4 105 2,
     * 5 101 2, 5 102 2, 5 103 2, 6 101 3, 6 102 2, 6 103 3, 6 104 5, 6 105 5.
     */
    @Test
    void aFileWrittenByTheVersion1WriterPredictsWhatItPredictedThen(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("v1-sampled-biased.als");
        try (InputStream in = ModelFileTest.class.getResourceAsStream("v1-sampled-biased.als")) {
            Files.write(f, in.readAllBytes());
        }
        Model m = ModelFile.read(f);
        assertEquals(6, m.rank(), "3 samples of rank 2, side by side");
        assertEquals(1, m.samples());
        assertTrue(m.biased());
        String[] users = {"1", "4", "6"};
        String[] items = {"101", "103", "105"};
        double[][] printed = {
            {3.7634937180000483, 4.0495725415821235, 0.6940520711829175},
            {2.4997670968165315, 2.174127362512603, 2.0429756080864445},
            {2.8506549115069175, 2.362630030343568, 3.806866184651441},
        };
        for (int u = 0; u < 3; u++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(printed[u][i], m.predict(users[u], items[i]), 0.0, users[u] + ", " + items[i]);
            }
        }
        assertEquals(List.of(new Model.Recommendation("101", 3.2316040679006073)), m.recommend("2", 2));
    }

    // ------------------------------------------------------------------ bad files

    @Test
    void rejectsNonModelsUnknownVersionsTruncationAndCorruption(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.als");
        ModelFile.write(sampledFit(false), good);
        byte[] bytes = Files.readAllBytes(good);

        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "hello, not a model");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.read(other)).getMessage()
                .contains("not an als model file"));

        for (int found : new int[] {9, 0}) {
            byte[] version = bytes.clone();
            version[11] = (byte) found; // the low byte of the big-endian version int after the 8-byte magic
            Path v = dir.resolve("v" + found + ".als");
            Files.write(v, version);
            String message = assertThrows(ModelFormatException.class, () -> ModelFile.read(v)).getMessage();
            assertTrue(message.startsWith(v + ": model file version " + found + " is not supported;"
                    + " this als reads versions 1 to " + ModelFile.VERSION), message);
        }

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

    /**
     * Version 4 added BM25's k1 and b at the end of the implicit settings, and is written only
     * for a BM25 model: its parameters survive a round trip. Any other implicit model is written
     * as version 3, which older builds read. A version-3 file that names the BM25 confidence,
     * which version 3 did not have, is refused.
     */
    @Test
    void implicitSettingsKeepBm25sParametersAndOtherModelsStayVersion3(@TempDir Path dir) throws IOException {
        ImplicitFeedback bm25 = new ImplicitFeedback(2, ImplicitFeedback.Confidence.BM25, 1, 0.5,
                ImplicitFeedback.RowSolve.CG, 3, 1, 42.5, 0.25);
        Model m = RecommenderFixtures.model(5, 8, 6, 2, 1, false, bm25, 0.4);
        Path file = dir.resolve("bm25.als");
        ModelFile.write(m, file);
        byte[] v4 = Files.readAllBytes(file);
        assertEquals(4, java.nio.ByteBuffer.wrap(v4).getInt(8));
        assertEquals(bm25, ModelFile.read(file).trainingInfo().orElseThrow().implicit());

        Model linear = RecommenderFixtures.model(5, 8, 6, 2, 1, false, true, 0.4);
        Path three = dir.resolve("linear.als");
        ModelFile.write(linear, three);
        assertEquals(3, java.nio.ByteBuffer.wrap(Files.readAllBytes(three)).getInt(8));
        Model back = ModelFile.read(three);
        assertEquals(linear.trainingInfo().orElseThrow().implicit(), back.trainingInfo().orElseThrow().implicit());
        assertSamePredictions(linear, back);

        // The BM25 file made version 3: its k1 and b (42.5, 0.25: found once in the file) cut out.
        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(16).putDouble(42.5).putDouble(0.25);
        int at = indexOf(v4, tail.array());
        assertTrue(at > 0, "the BM25 parameters are in the file");
        assertEquals(-1, indexOf(Arrays.copyOfRange(v4, at + 1, v4.length), tail.array()), "and only once");
        byte[] v3 = new byte[v4.length - 16];
        System.arraycopy(v4, 0, v3, 0, at);
        System.arraycopy(v4, at + 16, v3, at, v4.length - at - 16);
        java.nio.ByteBuffer.wrap(v3).putInt(8, 3);
        Path old = dir.resolve("v3.als");
        Files.write(old, withChecksum(v3));
        String msg = assertThrows(ModelFormatException.class, () -> ModelFile.read(old)).getMessage();
        assertTrue(msg.contains("confidence 2") && msg.contains("version 3"), msg);
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The bytes with their last eight replaced by the CRC-32 of the rest, as the format ends. */
    private static byte[] withChecksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        byte[] out = bytes.clone();
        java.nio.ByteBuffer.wrap(out).putLong(out.length - 8, crc.getValue());
        return out;
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
