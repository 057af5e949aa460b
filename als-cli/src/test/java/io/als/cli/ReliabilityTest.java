package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad-input case of docs/reliability.md, end to end through the command line: each ends
 * in a documented fallback (exit 0) or an error (exit 1 or 2) that names the file, line and
 * value, and a failed run leaves no output file behind.
 */
class ReliabilityTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private MainTest.Run train(Path data, String... extra) {
        List<String> argv = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--out",
                dir.resolve("model.als").toString(), "--iterations", "3", "--threads", "1"));
        if (!Arrays.asList(extra).contains("--rank")) {
            argv.addAll(List.of("--rank", "2"));
        }
        argv.addAll(Arrays.asList(extra));
        return MainTest.run(argv.toArray(new String[0]));
    }

    /** A failed train: exit 1, the message contains each fragment, and no model or temp file exists. */
    private void fails(MainTest.Run r, String... fragments) throws IOException {
        assertEquals(1, r.code(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("model.als")), "a failed run must not leave a model");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file");
        }
    }

    private void succeeds(MainTest.Run r) {
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("model.als")));
    }

    private static String grid(int users, int items) {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            for (int i = 1; i <= items; i++) {
                sb.append(u).append("::").append(i).append("::").append(1 + (u * i) % 5).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void wrongFieldCount() throws IOException {
        Path f = write("a.dat", "1::1::5\n1::2\n");
        fails(train(f), f + ":2: expected at least 3 fields separated by '::' but found 2 in '1::2'");
    }

    @Test
    void nonNumericRating() throws IOException {
        Path f = write("a.dat", "1::1::5\n1::2::four\n");
        fails(train(f), f + ":2: rating must be a number but was 'four'");
    }

    @Test
    void strayWhitespaceAndBomAreTolerated() throws IOException {
        succeeds(train(write("a.dat", "\uFEFF 1 :: 1 :: 5 \n1::2::4\t\n2::1::3\n2::2::1\n\n")));
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        Path nan = write("nan.dat", "1::1::5\n1::2::NaN\n");
        fails(train(nan), nan + ":2: rating must be finite but was NaN");
        Path inf = write("inf.dat", "1::1::5\n1::2::1e400\n");
        fails(train(inf), inf + ":2: rating must be finite but was Infinity");
    }

    @Test
    void ratingsOutsideTheDeclaredScaleAreRejected() throws IOException {
        Path f = write("a.dat", "1::1::5\n1::2::7\n");
        fails(train(f, "--scale", "1..5"), f + ":2: rating must be within the declared scale 1..5 but was 7");
        MainTest.Run bad = train(f, "--scale", "five");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--scale must look like MIN..MAX"), bad.err());
    }

    @Test
    void duplicatesUnderEachPolicy() throws IOException {
        Path f = write("a.dat", "1::1::5\n1::2::4\n2::1::3\n1::1::1\n2::2::2\n");
        fails(train(f), f + ":4: duplicate rating for user 1, item 1 (first rated on line 1)", "--duplicates last|mean (ratings) or sum (implicit counts)");
        succeeds(train(f, "--duplicates", "last"));
        Files.delete(dir.resolve("model.als"));
        succeeds(train(f, "--duplicates", "mean"));
        MainTest.Run bad = train(f, "--duplicates", "first");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--duplicates must be one of error, last, mean, sum but was first"), bad.err());
    }

    @Test
    void emptyHeaderOnlyAndSingleRatingFiles() throws IOException {
        Path empty = write("empty.dat", "");
        fails(train(empty), empty + ": ratings must not be empty but the file held nothing");
        Path header = write("header.csv", "userId,movieId,rating,timestamp\n");
        fails(train(header), header + ": ratings must not be empty but the file held no rating (1 line(s))");
        // One rating is a valid (if useless) data set: rank 2 with a positive penalty is solvable.
        succeeds(train(write("one.dat", "1::1::4\n")));
    }

    @Test
    void largeNegativeAndStringIdsAreAccepted() throws IOException {
        Path f = write("ids.csv", "user,item,rating\n9999999999,-5,4\n9999999999,alpha,3\n-7,-5,2\n"
                + "123456789012345678901234567890,alpha,5\n");
        succeeds(train(f));
        MainTest.Run p = MainTest.run("predict", "--model", dir.resolve("model.als").toString(), "--user",
                "123456789012345678901234567890", "--item", "alpha");
        assertEquals(0, p.code(), p.err());
        MainTest.Run q = MainTest.run("predict", "--model", dir.resolve("model.als").toString(), "--user",
                "9999999999", "--item", "-5");
        assertEquals(0, q.code(), q.err());
    }

    @Test
    void rankAboveUsersOrItemsFitsWithAPenaltyAndFailsWithoutOne() throws IOException {
        Path f = write("small.dat", grid(3, 4));
        // Plain ALS (the rank is the system's width): the defaults would add a bias column.
        succeeds(train(f, "--rank", "8", "--lambda", "0.1", "--biased", "false", "--samples", "0"));
        Files.delete(dir.resolve("model.als"));
        MainTest.Run r = train(f, "--rank", "8", "--regularizer", "none", "--lambda", "0", "--biased", "false",
                "--samples", "0");
        fails(r, "normal equation of item 1 is singular: 8 unknowns, 3 rating(s), penalty 0.0",
                "give it a penalty (a --lambda above 0, e.g. 0.1, and a --regularizer other than none) or lower the rank");
    }

    @Test
    void hugeLambdaGivesZeroFactorsNotNaN() throws IOException {
        Path f = write("g.dat", grid(5, 5));
        // Plain ALS: a biased model would still predict its mean.
        succeeds(train(f, "--lambda", "1e300", "--biased", "false", "--samples", "0", "--json"));
        MainTest.Run p = MainTest.run("predict", "--model", dir.resolve("model.als").toString(), "--user", "1",
                "--item", "1", "--no-clip");
        assertEquals(0, p.code(), p.err());
        assertEquals(0.0, Double.parseDouble(p.out().trim()), 1e-12, "the penalty drives every factor to zero");
    }

    @Test
    void overflowingPenaltyIsReportedNotSilentlyNaN() throws IOException {
        // lambda * n_r overflows to infinity; the solve must not let a NaN into the model.
        Path f = write("g.dat", grid(5, 5));
        MainTest.Run r = train(f, "--lambda", "1e308", "--regularizer", "weighted", "--biased", "false", "--samples",
                "0");
        if (r.code() == 0) {
            MainTest.Run p = MainTest.run("predict", "--model", dir.resolve("model.als").toString(), "--user", "1",
                    "--item", "1");
            assertTrue(Double.isFinite(Double.parseDouble(p.out().trim())), p.out());
        } else {
            fails(r, "penalty Infinity; lower lambda");
        }
    }

    @Test
    void gzipIsReadAndADirectoryIsRejected() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(grid(4, 4).getBytes(StandardCharsets.UTF_8));
        }
        Path gz = dir.resolve("r.dat.gz");
        Files.write(gz, bytes.toByteArray());
        succeeds(train(gz));
        Files.delete(dir.resolve("model.als"));
        Path truncated = dir.resolve("cut.dat.gz");
        Files.write(truncated, Arrays.copyOf(bytes.toByteArray(), 15));
        fails(train(truncated), truncated + ": starts like gzip but is not valid gzip data");
        Path sub = Files.createDirectory(dir.resolve("data"));
        fails(train(sub), sub + ": is a directory, not a ratings file");
    }

    @Test
    void outputThatIsADirectoryIsRefusedBeforeFitting() throws IOException {
        Path f = write("g.dat", grid(3, 3));
        Path outDir = Files.createDirectory(dir.resolve("out"));
        MainTest.Run r = MainTest.run("train", "--data", f.toString(), "--out", outDir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is a directory"), r.err());
        try (var files = Files.list(outDir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void unknownUsersAndItemsAtPredictionTime() throws IOException {
        succeeds(train(write("g.dat", grid(3, 3))));
        String model = dir.resolve("model.als").toString();
        MainTest.Run u = MainTest.run("predict", "--model", model, "--user", "42", "--item", "1");
        assertEquals(1, u.code());
        assertTrue(u.err().contains("user '42' is not in the model (3 users were trained)"), u.err());
        MainTest.Run i = MainTest.run("predict", "--model", model, "--user", "1", "--item", "42");
        assertEquals(1, i.code());
        assertTrue(i.err().contains("item '42' is not in the model (3 items were trained)"), i.err());
        MainTest.Run rec = MainTest.run("recommend", "--model", model, "--user", "42");
        assertEquals(1, rec.code());
    }

    @Test
    void badModelFilesAreRejectedAtLoad() throws IOException {
        succeeds(train(write("g.dat", grid(4, 4))));
        byte[] good = Files.readAllBytes(dir.resolve("model.als"));
        Path notModel = write("notes.txt", "just text");
        Path truncated = dir.resolve("cut.als");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path flipped = dir.resolve("flip.als");
        byte[] f = good.clone();
        f[f.length / 2] ^= 1;
        Files.write(flipped, f);
        Path version = dir.resolve("v5.als");
        byte[] v = good.clone();
        v[11] = 5;
        Files.write(version, v);
        for (var c : List.of(List.of(notModel, "not an als model file"), List.of(truncated, "model file is truncated: it has"),
                List.of(flipped, "corrupted or truncated"), List.of(version, "v5.als: model file version 5 is not supported; this als reads versions 1 to 4"))) {
            MainTest.Run r = MainTest.run("predict", "--model", c.get(0).toString(), "--user", "1", "--item", "1");
            assertEquals(1, r.code());
            assertTrue(r.err().contains(c.get(1).toString()), r.err());
        }
    }

    @Test
    void aFailedTrainKeepsTheOldModel() throws IOException {
        succeeds(train(write("g.dat", grid(4, 4))));
        byte[] before = Files.readAllBytes(dir.resolve("model.als"));
        Path bad = write("bad.dat", "1::1::5\n1::2::x\n");
        MainTest.Run r = train(bad);
        assertEquals(1, r.code());
        assertTrue(Arrays.equals(before, Files.readAllBytes(dir.resolve("model.als"))), "old model intact");
    }

    @Test
    void aFitThatCannotFitInTheHeapFailsFastWithAnXmxHint() throws IOException {
        Path f = write("g.dat", grid(3, 3));
        // A rank whose row workspace (2 k^2 doubles) is about twice this JVM's heap: more heap would do
        // (the default heap is a quarter of the machine's memory).
        long rank = (long) Math.sqrt(2.0 * Runtime.getRuntime().maxMemory() / 16);
        MainTest.Run r = train(f, "--rank", String.valueOf(rank), "--samples", "0");
        fails(r, "MiB of heap but only", "ALS_JAVA_OPTS=-Xmx");
        // Beyond the machine's memory no heap would do, and the message says so instead.
        MainTest.Run huge = train(f, "--rank", String.valueOf(Integer.MAX_VALUE / 8));
        fails(huge, "MiB of heap but only", "more than this machine's", "make the job smaller");
    }

    @Test
    void seededTrainingWritesByteIdenticalModelsForAnyThreadCount() throws IOException {
        Path f = write("g.dat", grid(40, 25));
        byte[] first = null;
        for (String threads : new String[] {"1", "2", "8", "2"}) {
            Path out = dir.resolve("m" + threads + ".als");
            MainTest.Run r = MainTest.run("train", "--data", f.toString(), "--out", out.toString(), "--rank", "4",
                    "--seed", "7", "--threads", threads);
            assertEquals(0, r.code(), r.err());
            byte[] bytes = Files.readAllBytes(out);
            if (first == null) {
                first = bytes;
            } else {
                assertTrue(Arrays.equals(first, bytes), threads + " threads gave a different model file");
            }
        }
    }
}
