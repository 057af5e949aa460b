package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.Ratings;
import io.als.api.RatingsReader;
import io.als.api.SolverRegistry;
import io.als.cli.Cli;
import io.als.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two ways in from outside Java code: {@code ./als train --engine spark} and the spark-submit main class. */
class SparkEntryPointsTest {

    private static final List<String> SETTINGS = List.of("--rank", "5", "--iterations", "3", "--seed", "1",
            "--samples", "0", "--lambda", "0.1", "--regularizer", "weighted", "--biased", "false");

    @Test
    void trainWithEngineSparkWritesTheModelFileOfTheLocalFit(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        Path local = dir.resolve("local.als");
        Path spark = dir.resolve("spark.als");
        // The engine's default backend is the portable java one (AlsConfig.Defaults.PORTABLE_SOLVER);
        // the local command's default is native, which rounds differently: the local fit names java.
        assertEquals(0, train(data, local, List.of("--solver", "java")).code, "local train");
        PrintStream stdout = System.out;
        ByteArrayOutputStream leaked = new ByteArrayOutputStream();
        Run run;
        System.setOut(new PrintStream(leaked, true, StandardCharsets.UTF_8));
        try {
            run = train(data, spark, List.of("--engine", "spark", "--master", "local[2]", "--blocks", "3", "--json"));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(0, run.code, "spark train; stderr:\n" + run.err);
        Models.assertBitIdentical(ModelFile.read(local), ModelFile.read(spark));
        // Even the training information is the same: the files are equal byte for byte.
        assertArrayEquals(java.nio.file.Files.readAllBytes(local), java.nio.file.Files.readAllBytes(spark),
                "model files");
        String json = run.out.trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), "one JSON object: " + json);
        assertTrue(json.contains("\"engine\":\"spark\""), json);
        assertEquals("", leaked.toString(StandardCharsets.UTF_8), "nothing on the process's stdout");
    }

    @Test
    void implicitTrainWithEngineSparkOnOneBlockWritesTheModelFileOfTheLocalFit(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        Path local = dir.resolve("local.als");
        Path spark = dir.resolve("spark.als");
        List<String> implicit = List.of("--rank", "6", "--iterations", "3", "--seed", "2", "--implicit", "true",
                "--alpha", "1.5", "--solve", "cg", "--cg-steps", "2");
        assertEquals(0, run(data, local, implicit, List.of("--solver", "java")).code, "local train (the engine's backend)");
        Run run = run(data, spark, implicit, List.of("--engine", "spark", "--master", "local[2]", "--blocks", "1",
                "--json"));
        assertEquals(0, run.code, "spark train; stderr:\n" + run.err);
        // One block: the Gram matrices are summed exactly as on one machine, so the files are equal byte for byte.
        assertArrayEquals(java.nio.file.Files.readAllBytes(local), java.nio.file.Files.readAllBytes(spark),
                "model files");
        String json = run.out.trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && !json.contains("\n"), "one JSON object: " + json);
        assertTrue(json.contains("\"kind\":\"implicit\"") && json.contains("\"train_rmse\":null")
                && json.contains("\"alpha\":1.5") && json.contains("\"solve\":\"cg\""), json);
        Model model = ModelFile.read(spark);
        assertEquals(1.5, model.trainingInfo().orElseThrow().implicit().alpha());
    }

    @Test
    void theBareCommandFitsWithTheEnginesDefaults(@TempDir Path dir) throws Exception {
        // The form the bar calls: no sampling or lambda flags. Sampling and the lambda search
        // run on one machine only, so the engine's defaults leave them out: the library's default
        // model (biased, l2) with the penalty's default lambda.
        Path data = LocalSpark.ml100k();
        Path out = dir.resolve("bare.als");
        Run run = run(data, out, List.of("--rank", "5", "--iterations", "3", "--seed", "1", "--engine", "spark",
                "--master", "local[2]"), List.of());
        assertEquals(0, run.code, run.err);
        AlsConfig config = AlsConfig.builder().rank(5).iterations(3).seed(1).samples(0).validation(0).build();
        Model expected = new AlternatingLeastSquares(config, SolverRegistry.discover().get("java"))
                .fit(RatingsReader.detecting().read(data), FitListener.NONE);
        Model actual = ModelFile.read(out);
        assertTrue(actual.biased());
        assertEquals(AlsConfig.Defaults.lambdaFor(AlsConfig.Defaults.REGULARIZER),
                actual.trainingInfo().orElseThrow().lambda());
        Models.assertBitIdentical(expected, actual);
    }

    @Test
    void shipFloatIsAnEngineFlagWithTwoValues(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        Path local = dir.resolve("local.als");
        Path floats = dir.resolve("floats.als");
        assertEquals(0, train(data, local, List.of()).code, "local train");
        Run bad = train(data, dir.resolve("x.als"), List.of("--engine", "spark", "--ship", "half"));
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("--ship must be double or float but was 'half'"), bad.err);
        Run noEngine = train(data, dir.resolve("y.als"), List.of("--ship", "float"));
        assertEquals(2, noEngine.code, noEngine.err);
        assertTrue(noEngine.err.contains("--ship") && noEngine.err.contains("--engine spark"), noEngine.err);
        Run run = train(data, floats, List.of("--engine", "spark", "--master", "local[2]", "--blocks", "2", "--ship",
                "float"));
        assertEquals(0, run.code, run.err);
        Model expected = ModelFile.read(local);
        Model actual = ModelFile.read(floats);
        assertTrue(Models.maxRelative(expected.itemFactors().data(), actual.itemFactors().data()) > 0,
                "--ship float changed nothing");
        Models.assertAgreeByRow(expected, actual, 1e-4);
    }

    /** Wrong inputs Spark would meet only after starting (seconds, then a stack trace) fail first, in a line. */
    @Test
    void wrongMasterDataAndCheckpointDirFailBeforeSparkStarts(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        for (String master : List.of("foo", "local[0]", "local[x]")) {
            Run bad = train(data, dir.resolve("m.als"), List.of("--engine", "spark", "--master", master));
            assertEquals(2, bad.code, bad.err);
            assertTrue(bad.err.contains("--master must be local, local[N] or local[*] (N at least 1), or a cluster's URL"
                    + " (spark://HOST:PORT, k8s://..., yarn) but was '" + master + "'"), bad.err);
        }
        Run missing = train(dir.resolve("nosuch.csv"), dir.resolve("m.als"), List.of("--engine", "spark"));
        assertEquals(1, missing.code, missing.err);
        assertTrue(missing.err.contains("nosuch.csv: file not found"), missing.err);
        Path file = java.nio.file.Files.writeString(dir.resolve("afile"), "x");
        Run checkpoint = train(data, dir.resolve("m.als"), List.of("--engine", "spark", "--checkpoint-dir",
                file.toString()));
        assertEquals(2, checkpoint.code, checkpoint.err);
        assertTrue(checkpoint.err.contains("--checkpoint-dir " + file + ": is a regular file, not a directory"),
                checkpoint.err);
        assertFalse(java.nio.file.Files.exists(dir.resolve("m.als")));
    }

    /**
     * Found by a trial of the Spark path: each of these started Spark first (7 to 65 s) and
     * then failed with Spark's stack trace, a stopped context, or an out-of-memory error.
     */
    @Test
    void commandLineMistakesOfTheClusterPathFailBeforeSparkStarts(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        Path out = dir.resolve("m.als");
        for (String master : List.of("spark://", "spark://127.0.0.1", "local-cluster[1,1,512]")) {
            Run bad = train(data, out, List.of("--engine", "spark", "--master", master));
            assertEquals(2, bad.code, master + ": " + bad.err);
            assertTrue(bad.err.contains("--master must be"), bad.err);
        }
        Run noCheckpoints = train(data, out, List.of("--engine", "spark", "--master", "spark://127.0.0.1:7077"));
        assertEquals(2, noCheckpoints.code, noCheckpoints.err);
        assertTrue(noCheckpoints.err.contains("give --checkpoint-dir DIR"), noCheckpoints.err);
        // Nothing listens on port 1: refused at once, saying so.
        long t0 = System.nanoTime();
        Run unreachable = train(data, out, List.of("--engine", "spark", "--master", "spark://127.0.0.1:1",
                "--checkpoint-dir", dir.toString()));
        assertEquals(1, unreachable.code, unreachable.err);
        assertTrue(unreachable.err.contains("--master spark://127.0.0.1:1: no Spark master answers"), unreachable.err);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "refused before Spark starts");
        Run blocks = train(data, out, List.of("--engine", "spark", "--blocks", "2147483647"));
        assertEquals(2, blocks.code, blocks.err);
        assertTrue(blocks.err.contains("--blocks must be at least 1 and at most 100000"), blocks.err);
        Run threads = train(data, out, List.of("--engine", "spark", "--threads", "64"));
        assertEquals(2, threads.code, threads.err);
        assertTrue(threads.err.contains("--threads applies to a local fit"), threads.err);
        Path config = java.nio.file.Files.writeString(dir.resolve("s.properties"), "als.samples = 5\n");
        Run samples = run(data, out, List.of("--rank", "5", "--lambda", "0.1"), List.of("--engine", "spark",
                "--config", config.toString()));
        assertEquals(2, samples.code, samples.err);
        assertTrue(samples.err.contains("als.samples in " + config + " is 5, but a fit with --engine spark draws no"
                + " posterior samples"), samples.err);
        // A bad line is named with its number, as a local fit names it; an empty file is found.
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.data"), "1\t2\t3\n1\t3\tabc\n");
        Run line = train(bad, out, List.of("--engine", "spark"));
        assertEquals(1, line.code, line.err);
        assertTrue(line.err.contains("bad.data:2: rating must be a number but was 'abc'"), line.err);
        Path blank = java.nio.file.Files.writeString(dir.resolve("blank.data"), "\n\n");
        Run empty = train(blank, out, List.of("--engine", "spark"));
        assertEquals(1, empty.code, empty.err);
        assertTrue(empty.err.contains("ratings must not be empty"), empty.err);
        for (Run r : List.of(noCheckpoints, unreachable, blocks, threads, samples, line, empty)) {
            assertFalse(r.err.contains("starting Spark"), "Spark was started: " + r.err);
        }
        assertFalse(java.nio.file.Files.exists(out));
    }

    @Test
    void sparkSubmitMainWritesTheModelAndTheFactors(@TempDir Path dir) throws Exception {
        Path data = LocalSpark.ml100k();
        LocalSpark.session();
        List<String> argv = new ArrayList<>(List.of("--data", data.toString(), "--out", dir.resolve("m.als").toString(),
                "--blocks", "2", "--user-factors", dir.resolve("users.parquet").toString()));
        argv.addAll(SETTINGS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Model model = SparkTrain.run(argv.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8));
        Ratings ratings = RatingsReader.detecting().read(data);
        AlsConfig config = AlsConfig.plain().rank(5).iterations(3).seed(1).lambda(0.1).build();
        Model expected = new AlternatingLeastSquares(config, SolverRegistry.discover().get("java"))
                .fit(ratings, FitListener.NONE);
        Models.assertBitIdentical(expected, model);
        Models.assertBitIdentical(expected, ModelFile.read(dir.resolve("m.als")));
        assertEquals(ratings.numUsers(), LocalSpark.session().read().parquet(dir.resolve("users.parquet").toString())
                .count());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("trained on Spark"), out.toString());
    }

    private record Run(int code, String out, String err) {
    }

    private static Run train(Path data, Path out, List<String> more) {
        return run(data, out, SETTINGS, more);
    }

    private static Run run(Path data, Path out, List<String> settings, List<String> more) {
        List<String> argv = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString()));
        argv.addAll(settings);
        argv.addAll(more);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                Map.of(), new Properties());
        int code = Main.run(argv.toArray(new String[0]), cli);
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
