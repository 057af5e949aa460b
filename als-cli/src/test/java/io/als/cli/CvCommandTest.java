package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code als cv}, run in-process. */
class CvCommandTest {
    @TempDir
    Path dir;

    /** A small ratings file: 40 users, 30 items, about two thirds of the pairs. */
    private Path data() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 40; u++) {
            for (int i = 1; i <= 30; i++) {
                if ((u * 5 + i * 7) % 3 != 0) {
                    sb.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append('\n');
                }
            }
        }
        Path f = dir.resolve("small.tsv");
        Files.writeString(f, sb);
        return f;
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.Ee+-]+|null)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return m.group(1).equals("null") ? Double.NaN : Double.parseDouble(m.group(1));
    }

    @Test
    void kFoldJsonHasTheAgreedKeysAndTheFoldsCoverTheData() throws IOException {
        Path f = data();
        long lines = Files.readAllLines(f).size();
        MainTest.Run r = MainTest.run("cv", "--data", f.toString(), "--folds", "4", "--seed", "3", "--rank", "2",
                "--iterations", "3", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().trim();
        assertEquals(1, json.lines().count(), "one JSON object");
        for (String key : new String[] {"rmse_mean", "rmse_std", "mae_mean", "folds", "n_ratings", "rank", "lambda",
            "iterations", "solver", "train_seconds_mean", "seconds_per_iteration", "cold_start_count"}) {
            assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
        }
        assertEquals(4, number(json, "folds"), 0.0);
        assertEquals(lines, number(json, "n_ratings"), 0.0);
        int total = 0;
        Matcher m = Pattern.compile("\"test_ratings\":(\\d+)").matcher(json);
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        assertEquals(lines, total, "the four test folds hold every rating once");
        assertTrue(json.contains("\"scale\":{\"min\":1.0,\"max\":5.0,\"step\":1.0}"), json);
        // The same seed gives the same figures.
        MainTest.Run again = MainTest.run("cv", "--data", f.toString(), "--folds", "4", "--seed", "3", "--rank", "2",
                "--iterations", "3", "--threads", "2", "--json");
        assertEquals(number(json, "rmse_mean"), number(again.out(), "rmse_mean"), 0.0);
    }

    @Test
    void withoutDataItCrossValidatesTheSyntheticSetAndReportsItsNoiseFloor() {
        MainTest.Run r = MainTest.run("cv", "--folds", "2", "--iterations", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2-fold cross-validation of synthetic:users=943,items=1682,ratings=100000"), r.out());
        assertTrue(r.out().contains("rating scale 1..5, step 1 (5 levels)"), r.out());
        assertTrue(r.out().contains("noise floor of the synthetic data"), r.out());
        assertTrue(r.out().contains("fold 2 of 2"), r.out());
    }

    @Test
    void holdoutIsOneSplitOfTheGivenFraction() throws IOException {
        Path f = data();
        long lines = Files.readAllLines(f).size();
        MainTest.Run r = MainTest.run("cv", "--data", f.toString(), "--holdout", "0.25", "--rank", "2",
                "--iterations", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, number(r.out(), "folds"), 0.0);
        assertEquals(Math.round(0.25 * lines), number(r.out(), "test_ratings"), 0.0);
        // One split has no spread: null, not a standard deviation of 0.
        assertTrue(r.out().contains("\"rmse_std\":null") && r.out().contains("\"mae_std\":null"), r.out());
        MainTest.Run text = MainTest.run("cv", "--data", f.toString(), "--holdout", "0.25", "--rank", "2",
                "--iterations", "2");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("(one split, so no spread)") && !text.out().contains("±"), text.out());
    }

    @Test
    void predefinedSplitsReadBaseAndTestFiles() throws IOException {
        Path splits = dir.resolve("splits");
        Files.createDirectories(splits);
        for (String name : new String[] {"u1", "u2", "ua"}) {
            Files.writeString(splits.resolve(name + ".base"), "1\t1\t5\n1\t2\t3\n2\t1\t4\n2\t2\t2\n3\t1\t1\n3\t3\t4\n");
            // User 9 and item 9 are unknown to the training file.
            Files.writeString(splits.resolve(name + ".test"), "1\t3\t4\n2\t3\t3\n9\t1\t2\n3\t9\t5\n");
        }
        MainTest.Run r = MainTest.run("cv", "--splits", splits.toString(), "--rank", "1", "--iterations", "2",
                "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, number(r.out(), "folds"), 0.0, "u1 and u2 by default; ua is another protocol");
        assertEquals(4, number(r.out(), "cold_start_count"), 0.0, "two cold ratings per split");
        assertEquals(2, number(r.out(), "cold_start_users"), 0.0);
        assertTrue(r.out().contains("\"name\":\"u1.base/u1.test\""), r.out());
        MainTest.Run all = MainTest.run("cv", "--splits", splits.toString(), "--split-names", "u.", "--rank", "1",
                "--iterations", "2", "--json");
        assertEquals(3, number(all.out(), "folds"), 0.0);
        MainTest.Run pair = MainTest.run("cv", "--train", splits.resolve("u1.base").toString(), "--test",
                splits.resolve("u1.test").toString(), "--rank", "1", "--iterations", "2", "--json");
        assertEquals(0, pair.code(), pair.err());
        assertEquals(1, number(pair.out(), "folds"), 0.0);
        assertEquals(number(r.out(), "rmse_mean"), number(pair.out(), "rmse_mean"), 0.0, "u1 and u2 are the same here");
    }

    @Test
    void coldStartStrategies() throws IOException {
        Path train = dir.resolve("t.base");
        Path test = dir.resolve("t.test");
        Files.writeString(train, "1\t1\t5\n1\t2\t3\n2\t1\t4\n2\t2\t2\n");
        Files.writeString(test, "1\t2\t4\n7\t1\t2\n");
        String[] base = {"cv", "--train", train.toString(), "--test", test.toString(), "--rank", "1", "--iterations",
            "2", "--json"};
        MainTest.Run baseline = MainTest.run(concat(base, "--biased", "true"));
        assertEquals(0, baseline.code(), baseline.err());
        assertEquals(1, number(baseline.out(), "cold_start_count"), 0.0);
        assertFalse(Double.isNaN(number(baseline.out(), "rmse_mean")));
        MainTest.Run nan = MainTest.run(concat(base, "--cold-start", "nan"));
        assertTrue(nan.out().contains("\"rmse_mean\":null"), "NaN is null in JSON: " + nan.out());
        MainTest.Run drop = MainTest.run(concat(base, "--cold-start", "drop"));
        assertEquals(1, number(drop.out(), "scored"), 0.0);
        assertEquals(1, number(drop.out(), "cold_start_count"), 0.0, "dropped ratings are still counted");
        // Every test rating cold: drop leaves nothing to score, which is an error, not an RMSE of NaN.
        Path allCold = Files.writeString(dir.resolve("cold.test"), "7\t1\t2\n8\t2\t3\n");
        MainTest.Run none = MainTest.run("cv", "--train", train.toString(), "--test", allCold.toString(), "--rank", "1",
                "--iterations", "2", "--cold-start", "drop");
        assertEquals(1, none.code(), none.err());
        assertTrue(none.err().contains("all 2 test rating(s) are cold (their user or item is not in training), and"
                + " cold start 'drop' leaves none to score"), none.err());
        // A test file that is the training file scores the training error: said in a warning.
        java.util.List<String> log = ModelSizeLogTest.log(CvCommand.class, "cv", "--train", train.toString(), "--test",
                train.toString(), "--rank", "1", "--iterations", "2");
        assertTrue(log.contains(train + " is its own test file: this scores the model on the ratings it was trained"
                + " on, a training error rather than a held-out one"), log.toString());
        MainTest.Run human = MainTest.run("cv", "--train", train.toString(), "--test", test.toString(), "--rank", "1",
                "--iterations", "2", "--biased", "true");
        assertTrue(human.out().contains("cold start: 1 test rating had an unknown user or item (1 unknown user,"
                + " 0 unknown item); they got the model's global mean plus the known user or item bias"), human.out());
    }

    @Test
    void reportWritesTablesAndPlots() throws IOException {
        Path f = data();
        Path out = dir.resolve("report");
        MainTest.Run r = MainTest.run("cv", "--data", f.toString(), "--folds", "3", "--rank", "2", "--iterations", "4",
                "--samples", "5", "--report", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"cv-folds.csv", "cv-iterations.csv", "rmse-per-iteration.svg"}) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
            assertTrue(r.out().contains("wrote " + out.resolve(name)), r.out());
        }
        // One row per fold and iteration, sampling sweeps included.
        assertEquals(1 + 3 * (4 + 5), Files.readAllLines(out.resolve("cv-iterations.csv")).size());
    }

    @Test
    void conflictingFlagsAreUsageErrors() throws IOException {
        Path f = data();
        assertEquals(2, MainTest.run("cv", "--data", f.toString(), "--folds", "3", "--holdout", "0.2").code());
        assertEquals(2, MainTest.run("cv", "--train", f.toString()).code());
        assertEquals(2, MainTest.run("cv", "--data", f.toString(), "--train", f.toString(), "--test",
                f.toString()).code());
        assertEquals(2, MainTest.run("cv", "--data", f.toString(), "--folds", "1").code());
        MainTest.Run bad = MainTest.run("cv", "--data", f.toString(), "--cold-start", "guess");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--cold-start must be one of nan, drop, baseline but was 'guess'"), bad.err());
        MainTest.Run noPairs = MainTest.run("cv", "--splits", dir.toString());
        assertEquals(2, noPairs.code());
        assertTrue(noPairs.err().contains("no NAME.base/NAME.test pair"), noPairs.err());
    }

    @Test
    void noProgressBarWhenStderrIsNotATerminal() throws IOException {
        MainTest.Run r = MainTest.run("cv", "--data", data().toString(), "--folds", "2", "--iterations", "2");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r"), "no carriage-return redraws in captured stderr");
    }

    @Test
    void trainUsesTheSyntheticDataOnlyWhenAskedAndSavesSampledModels() {
        Path model = dir.resolve("m.als");
        MainTest.Run t = MainTest.run("train", "--data", "synthetic:users=60,items=40,ratings=1200", "--out",
                model.toString(), "--rank", "2", "--iterations", "2", "--biased", "true", "--samples", "3", "--json");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("\"samples\":3"), t.out());
        assertTrue(t.out().contains("\"rating_scale\":\"1..5, step 1 (5 levels)\""), t.out());
        MainTest.Run p = MainTest.run("predict", "--model", model.toString(), "--user", "1", "--item", "1");
        assertEquals(0, p.code(), p.err());
        double predicted = Double.parseDouble(p.out().trim());
        assertTrue(predicted > 0 && predicted < 6, p.out());
        // Without --data, train refuses (it used to fit the synthetic set silently) and writes nothing.
        Path none = dir.resolve("d.als");
        MainTest.Run plain = MainTest.run("train", "--out", none.toString(), "--rank", "2", "--iterations", "1");
        assertEquals(2, plain.code(), plain.err());
        assertTrue(plain.err().contains("'train' needs --data FILE (a ratings file), or --data synthetic for the"
                + " built-in synthetic data set"), plain.err());
        assertFalse(Files.exists(none));
        MainTest.Run explicit = MainTest.run("train", "--data", "synthetic", "--out", none.toString(), "--rank", "2",
                "--iterations", "1");
        assertEquals(0, explicit.code(), explicit.err());
        assertTrue(explicit.out().contains("data synthetic:users=943,items=1682,ratings=100000"), explicit.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
