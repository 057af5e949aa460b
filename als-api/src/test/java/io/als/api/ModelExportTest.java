package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of {@link ModelExport}, read back here with a reader of the two formats written in the test. */
class ModelExportTest {

    /** The data of a {@code .npy} file after checking its header: shape and type as given. */
    private static ByteBuffer npyData(Path file, String descr, String shape) throws IOException {
        byte[] b = Files.readAllBytes(file);
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int len = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(0, (10 + len) % 64);
        String header = new String(b, 10, len, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }",
                header.stripTrailing());
        assertTrue(header.endsWith("\n"));
        return ByteBuffer.wrap(b, 10 + len, b.length - 10 - len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static double[] doubles(ByteBuffer data) {
        double[] out = new double[data.remaining() / 8];
        data.asDoubleBuffer().get(out);
        return out;
    }

    private static double[] arr(java.nio.DoubleBuffer b) {
        double[] out = new double[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static double[] csvNumbers(Path file, String header) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals(header, lines.get(0));
        return lines.stream().skip(1).flatMap(l -> Stream.of(l.split(","))).mapToDouble(Double::parseDouble)
                .toArray();
    }

    @Test
    void aBiasedSampledModelWithNumericIds(@TempDir Path dir) throws IOException {
        Model m = RecommenderFixtures.model(41, 4, 3, 2, 2, true, false, 0.5);
        Model numeric = Model.builder(IdIndex.ofNumeric(5, 9, 12, 40), IdIndex.ofNumeric(7, 8, 1000000000000L), 2, 2)
                .biased(m.globalMean())
                .addSample(m.userFactors(0).copy(), m.itemFactors(0).copy(), arr(m.userBiases(0)),
                        arr(m.itemBiases(0)))
                .addSample(m.userFactors(1).copy(), m.itemFactors(1).copy(), arr(m.userBiases(1)),
                        arr(m.itemBiases(1)))
                .rated(m.ratedPointers(), m.ratedIndices()).build();
        Path out = dir.resolve("export");
        ModelExport.write(numeric, out);
        Set<String> written;
        try (Stream<Path> files = Files.list(out)) {
            written = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(new TreeSet<>(ModelExport.fileNames(numeric)), written);
        assertEquals(new TreeSet<>(List.of("model_info.csv", "user_ids.csv", "item_ids.csv", "user_ids.npy",
                "item_ids.npy", "user_factors.csv", "user_factors.npy", "item_factors.csv", "item_factors.npy",
                "user_biases.csv", "user_biases.npy", "item_biases.csv", "item_biases.npy", "global_mean.csv",
                "global_mean.npy")), written);

        // Factors: the samples side by side, 4 x 4 and 3 x 4.
        double[] users = doubles(npyData(out.resolve("user_factors.npy"), "<f8", "(4, 4)"));
        double[] items = doubles(npyData(out.resolve("item_factors.npy"), "<f8", "(3, 4)"));
        assertArrayEquals(users, csvNumbers(out.resolve("user_factors.csv"), "f0,f1,f2,f3"), 0.0);
        assertArrayEquals(items, csvNumbers(out.resolve("item_factors.csv"), "f0,f1,f2,f3"), 0.0);
        double[] ub = doubles(npyData(out.resolve("user_biases.npy"), "<f8", "(4,)"));
        double[] ib = doubles(npyData(out.resolve("item_biases.npy"), "<f8", "(3,)"));
        assertArrayEquals(ub, csvNumbers(out.resolve("user_biases.csv"), "user_bias"), 0.0);
        assertArrayEquals(ib, csvNumbers(out.resolve("item_biases.csv"), "item_bias"), 0.0);
        double mu = doubles(npyData(out.resolve("global_mean.npy"), "<f8", "()"))[0];
        assertEquals(numeric.globalMean(), csvNumbers(out.resolve("global_mean.csv"), "global_mean")[0]);
        // The documented formula gives the model's predictions.
        for (int u = 0; u < 4; u++) {
            for (int i = 0; i < 3; i++) {
                double dot = 0;
                for (int c = 0; c < 4; c++) {
                    dot += users[u * 4 + c] * items[i * 4 + c];
                }
                assertEquals(numeric.predictIndex(u, i), mu + ub[u] + ib[i] + dot / 2, 1e-12);
            }
        }
        long[] uid = new long[4];
        npyData(out.resolve("user_ids.npy"), "<i8", "(4,)").asLongBuffer().get(uid);
        assertArrayEquals(new long[] {5, 9, 12, 40}, uid);
        long[] iid = new long[3];
        npyData(out.resolve("item_ids.npy"), "<i8", "(3,)").asLongBuffer().get(iid);
        assertArrayEquals(new long[] {7, 8, 1000000000000L}, iid);
        assertEquals(List.of("item_id", "7", "8", "1000000000000"), Files.readAllLines(out.resolve("item_ids.csv")));
        assertEquals(List.of("key,value", "rank,2", "samples,2", "biased,true", "implicit,false", "users,4",
                "items,3", "global_mean," + numeric.globalMean()), Files.readAllLines(out.resolve("model_info.csv")));
    }

    @Test
    void textIdsAreCsvOnlyAndQuotedWhenTheyMustBe(@TempDir Path dir) throws IOException {
        Model m = new Model(IdIndex.ofStrings("plain", "with,comma", "say \"hi\""), IdIndex.ofStrings("x"),
                FactorMatrix.of(3, 1, 1, 2, 3), FactorMatrix.of(1, 1, 0.5), 0, new double[3], new double[1],
                new int[] {0, 0, 0, 0}, new int[0]);
        ModelExport.write(m, dir);
        assertFalse(Files.exists(dir.resolve("user_ids.npy")));
        assertFalse(Files.exists(dir.resolve("user_biases.csv")), "an unbiased model has no bias files");
        // Sorted ids: "plain" < "say \"hi\"" < "with,comma".
        assertEquals(List.of("user_id", "plain", "\"say \"\"hi\"\"\"", "\"with,comma\""),
                Files.readAllLines(dir.resolve("user_ids.csv")));
        assertArrayEquals(new double[] {1, 2, 3},
                doubles(npyData(dir.resolve("user_factors.npy"), "<f8", "(3, 1)")), 0.0);
    }

    /** Exporting over an earlier export removes the files of ours this model does not have, and nothing else. */
    @Test
    void anExportOverAnotherLeavesOneModelsFiles(@TempDir Path dir) throws IOException {
        Model biased = RecommenderFixtures.model(41, 4, 3, 2, 1, true, false, 0.5);
        ModelExport.write(biased, dir);
        assertTrue(Files.exists(dir.resolve("user_biases.npy")) && Files.exists(dir.resolve("global_mean.csv")));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Model plain = new Model(IdIndex.ofStrings("a", "b"), IdIndex.ofStrings("x"), FactorMatrix.of(2, 1, 1, 2),
                FactorMatrix.of(1, 1, 0.5), 0, new double[2], new double[1], new int[] {0, 0, 0}, new int[0]);
        ModelExport.write(plain, dir);
        Set<String> left;
        try (Stream<Path> files = Files.list(dir)) {
            left = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> expected = new TreeSet<>(ModelExport.fileNames(plain));
        expected.add("notes.txt");
        assertEquals(expected, left);
    }

    /** Ids that a CSV reader or a list file would change unquoted (a comma, a #, edge spaces) are quoted. */
    @Test
    void idsThatWouldNotReadBackAreQuoted() {
        assertEquals("plain", ModelExport.quoted("plain"));
        assertEquals("\"i,2\"", ModelExport.quoted("i,2"));
        assertEquals("\" s \"", ModelExport.quoted(" s "));
        assertEquals("\"a#b\"", ModelExport.quoted("a#b"));
        assertEquals("\"a\"\"b\"", ModelExport.quoted("a\"b"));
        assertEquals("\"t\t\"", ModelExport.quoted("t\t"));
    }
}
