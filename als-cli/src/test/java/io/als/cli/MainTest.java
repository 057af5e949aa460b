package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process with captured streams. */
class MainTest {

    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, new Properties()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... argv) {
        return run(Map.of(), argv);
    }

    @Test
    void referencePrintsTheWorkedExample() {
        Run r = run("reference");
        assertEquals(0, r.code(), r.err());
        // Figures from ../shared/reference/gentle-als.md: step-1 P and U, and the converged prediction.
        assertTrue(r.out().contains("After step 1: P = [0.750000, 3.000000, 4.500000], U = [0.882883, 1.081761]"),
                r.out());
        assertTrue(r.out().contains("Final prediction for user 1, product 2: 2.370246"), r.out());
        assertTrue(r.out().contains("1.897"), "explains the erratum");
    }

    @Test
    void referenceJsonHasTheAgreedKeys() {
        Run r = run("reference", "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().trim();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        for (String key : new String[] {"solver", "first_p", "first_u", "prediction", "sse", "iterations"}) {
            assertTrue(json.contains("\"" + key + "\":"), key);
        }
        assertTrue(json.contains("\"prediction\":2.37024"), json);
    }

    @Test
    void unknownSolverFailsNamingTheInstalledOnes() {
        Run r = run("reference", "--solver", "nosuch");
        // A setting the user gave (flag, environment, config file): a command-line error, exit 2.
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("'nosuch'") && r.err().contains("ejml"), r.err());
        Run env = run(Map.of("ALS_SOLVER", "fromenv"), "solvers");
        assertEquals(Main.USAGE, env.code());
        assertTrue(env.err().contains("environment variable ALS_SOLVER"), env.err());
        // Nothing is listed before the error: with --json the error is the one object on stdout.
        assertEquals("", env.out());
        Run json = run("solvers", "--solver", "vectr", "--json");
        assertEquals(Main.USAGE, json.code());
        assertTrue(json.out().strip().startsWith("{\"error\":") && json.out().strip().lines().count() == 1, json.out());
    }

    @Test
    void vectorSolverWithoutItsJvmModuleSaysWhatToAdd() {
        // Surefire starts this module's test JVM without --add-modules jdk.incubator.vector,
        // as a plain `java` command would: the solver is listed but refuses to run, naming the option.
        assertFalse(io.als.vector.VectorSolver.available());
        // Refused when it is chosen, before any work, as a setting the user made (exit 2).
        Run r = run("reference", "--solver", "vector");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("solver 'vector' (from --solver) needs the JVM option --add-modules"
                + " jdk.incubator.vector"), r.err());
        Run list = run("solvers");
        assertTrue(list.out().contains("vector  (unavailable: needs the JVM option --add-modules jdk.incubator.vector"), list.out());
        Run json = run("solvers", "--json");
        assertTrue(json.out().contains("\"unavailable\":{\"vector\":\"needs the JVM option --add-modules jdk.incubator.vector"),
                json.out());
    }

    @Test
    void wrongFlagsAreUsageErrors() {
        Run r = run("train", "--rnak", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("has no flag '--rnak'"), r.err());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run("train", "--rank").code());
        // --json given a value is refused, and the refusal is the one JSON object asked for.
        Run json = run("info", "--model", "m.als", "--json=true");
        assertEquals(Main.USAGE, json.code());
        assertEquals("{\"error\":\"--json takes no value but was given 'true' (see 'als help info')\",\"exit_code\":2}",
                json.out().strip());
    }

    @Test
    void trainPredictRecommendRoundTrip(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("r.tsv");
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 20; i++) {
                if ((u * 7 + i * 3) % 4 != 0) {
                    sb.append(u).append('\t').append(i).append('\t').append(1 + (u + i) % 5).append('\t').append(0)
                            .append('\n');
                }
            }
        }
        Files.writeString(data, sb);
        Path model = dir.resolve("m.als");
        Run t = run("train", "--data", data.toString(), "--out", model.toString(), "--rank", "3", "--threads", "2",
                "--json");
        assertEquals(0, t.code(), t.err());
        for (String key : new String[] {"solver", "rank", "n_ratings", "n_users", "n_items", "train_seconds",
            "seconds_per_iteration", "final_loss"}) {
            assertTrue(t.out().contains("\"" + key + "\":"), key + " in " + t.out());
        }
        assertTrue(Files.exists(model));
        Run p = run("predict", "--model", model.toString(), "--user", "3", "--item", "4");
        assertEquals(0, p.code(), p.err());
        double predicted = Double.parseDouble(p.out().trim());
        assertTrue(predicted > 0 && predicted < 6, p.out());
        Run rec = run("recommend", "--model", model.toString(), "--user", "1", "-n", "3");
        assertEquals(0, rec.code(), rec.err());
        assertEquals(3, rec.out().lines().count(), rec.out());
        // User 1 rated every item i with (7 + 3i) % 4 != 0; only the others may be recommended.
        rec.out().lines().forEach(line -> {
            int item = Integer.parseInt(line.trim().split("\\s+")[1]);
            assertEquals(0, (7 + 3 * item) % 4, line);
        });
        Run unknown = run("predict", "--model", model.toString(), "--user", "999", "--item", "4");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("user '999' is not in the model"), unknown.err());
    }

    @Test
    void aMalformedLineFailsWithFileLineAndValueAndWritesNothing(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("bad.dat");
        Files.writeString(data, "1::1::5\n1::2::4\n2::1::x\n");
        Path model = dir.resolve("out.als");
        Run r = run("train", "--data", data.toString(), "--out", model.toString(), "--json");
        assertEquals(1, r.code());
        assertTrue(r.err().contains(data + ":3: rating must be a number but was 'x'"), r.err());
        assertTrue(r.out().contains("\"error\":"), r.out());
        assertFalse(Files.exists(model));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary or partial file is left");
        }
    }

    @Test
    void missingDataFileIsNamed(@TempDir Path dir) {
        Run r = run("train", "--data", dir.resolve("absent.data").toString(), "--out", dir.resolve("m").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("absent.data: file not found"), r.err());
    }
}
