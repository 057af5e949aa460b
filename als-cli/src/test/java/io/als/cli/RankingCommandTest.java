package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cv} and {@code tune} as ranking evaluations, on MovieLens 100K with tiny fits (the
 * figures of the popularity baseline do not depend on the fit).
 */
class RankingCommandTest {
    /** A fit that costs next to nothing. */
    private static final String[] TINY = {"--implicit", "true", "--iterations", "1", "--threads", "1", "--quiet"};

    @TempDir
    Path dir;

    private static String data() {
        return SharedData.require(SharedData.ML_100K).toString();
    }

    private static String[] argv(String command, String... extra) {
        List<String> a = new ArrayList<>(List.of(command, "--data", data()));
        a.addAll(Arrays.asList(TINY));
        a.addAll(Arrays.asList(extra));
        if (!a.contains("--rank")) {
            a.addAll(List.of("--rank", "2"));
        }
        return a.toArray(String[]::new);
    }

    /** Runs and checks the output is exactly one JSON object. */
    private static String json(String command, String... extra) {
        MainTest.Run r = MainTest.run(argv(command, concat(extra, "--json")));
        assertEquals(0, r.code(), r.err());
        String out = r.out().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}") && out.lines().count() == 1, "one JSON object: " + out);
        return out;
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double number(String json, String key) {
        return CvCommandTest.number(json, key);
    }

    @Test
    void implicitCvReportsEveryMetricBesidePopularityAndEchoesTheImplicitSettings() {
        String j = json("cv", "--threshold", "4", "--alpha", "2", "--confidence", "log", "--epsilon", "0.5",
                "--alpha0", "0.5", "--solve", "cg", "--cg-steps", "2", "--regularizer", "ials", "--lambda", "0.01",
                "--nu", "0.5");
        assertTrue(j.contains("\"evaluation\":\"ranking\""), j);
        // ML-100K has 55,375 ratings of 4 or 5.
        assertEquals(55375, number(j, "n_positives"), 0.0);
        assertTrue(j.contains("\"implicit\":true,\"alpha\":2.0,\"alpha_auto\":false,\"confidence\":\"log\","
                + "\"epsilon\":0.5,\"alpha0\":0.5,\"solve\":\"cg\",\"cg_steps\":2,\"nu\":0.5"), j);
        assertTrue(j.contains("\"k\":10,\"cutoffs\":[10,20]"), j);
        String pop = j.substring(j.indexOf("\"popularity\":{"));
        for (String m : List.of("precision", "recall", "ndcg", "map", "hit_rate", "mrr", "coverage")) {
            assertTrue(j.contains("\"" + m + "@10\":") && j.contains("\"" + m + "@20\":"), m + " in " + j);
        }
        // The baseline on this protocol (per-user 20% of the positives of users with at least 5, seed 42).
        assertEquals(0.154, number(pop, "ndcg@10"), 0.005);
        assertEquals(0.117, number(pop, "precision@10"), 0.005);
        assertEquals(1, CvCommandTest.number(j, "splits"), 0.0);
        // One split has no spread: its standard deviations are null, not 0.
        assertTrue(j.contains("\"model_std\":{\"precision@10\":null,"), j);
    }

    /** The text tables show "-" for the spread of one split, and a number for several. */
    @Test
    void theSpreadOfOneSplitIsShownAsNone() {
        MainTest.Run one = MainTest.run(argv("cv", "--threshold", "4"));
        assertEquals(0, one.code(), one.err());
        // The settings line gives the alpha rule, not the target it is computed from (0.5).
        assertTrue(one.out().contains("implicit(alpha auto: 0.5 over each training split's mean value, linear,")
                && !one.out().contains("implicit(alpha 0.5,"), one.out());
        String ndcg = one.out().lines().filter(l -> l.strip().startsWith("ndcg ")).findFirst().orElseThrow();
        assertEquals("-", ndcg.strip().split("\\s+")[2], one.out());
        MainTest.Run three = MainTest.run(argv("cv", "--threshold", "4", "--protocol", "kfold", "--folds", "3"));
        assertEquals(0, three.code(), three.err());
        ndcg = three.out().lines().filter(l -> l.strip().startsWith("ndcg ")).findFirst().orElseThrow();
        assertTrue(ndcg.strip().split("\\s+")[2].matches("0\\.\\d{4}"), three.out());
        MainTest.Run tune = MainTest.run(argv("tune", "--threshold", "4", "--rank", "2", "--lambda", "0.1",
                "--alpha", "1"));
        assertEquals(0, tune.code(), tune.err());
        assertTrue(tune.out().lines().anyMatch(l -> l.matches("\\s+als\\s+2\\s+0\\.1\\s+1\\.0\\s+0\\.\\d{4}\\s+-\\s.*")),
                tune.out());
        assertTrue(tune.out().lines().anyMatch(l -> l.matches("best: .*: ndcg@10 0\\.\\d{4} \\(popularity.*")), tune.out());
    }

    @Test
    void withoutThresholdEveryRatingIsAPositive() {
        String j = json("cv", "--min-positives", "100", "--holdout", "0.5");
        assertEquals(100000, number(j, "n_positives"), 0.0);
        String fold = j.substring(j.indexOf("\"fold_results\""));
        // Only users with at least 100 ratings are evaluated, and they hold out half of their ratings.
        double users = number(fold, "users");
        double held = number(fold, "test_positives") + number(fold, "cold_items");
        assertTrue(users < 943 && users > 100, j);
        assertTrue(held > 100 * users / 2 && held < 50000, j);
    }

    @Test
    void kFoldGivesOneResultPerFoldAndKMovesTheCutoff() {
        String j = json("cv", "--threshold", "4", "--protocol", "kfold", "--folds", "3", "-k", "5");
        assertEquals(3, number(j, "splits"), 0.0);
        assertTrue(j.matches(".*\"model_std\":\\{\"precision@5\":0\\.\\d+.*"), j);
        assertEquals(3, j.split("\"name\":\"fold ").length - 1, j);
        assertTrue(j.contains("\"k\":5,\"cutoffs\":[5,20]") && j.contains("\"ndcg@5\":"), j);
    }

    @Test
    void leaveLastOutAndTimeSplitReadTheTimestamps() {
        String last = json("cv", "--threshold", "4", "--protocol", "last", "--min-positives", "2");
        String fold = last.substring(last.indexOf("\"fold_results\""));
        // One held-out positive per evaluated user; the 942 users with positives all have at least 2.
        assertEquals(number(fold, "users"), number(fold, "test_positives"), 0.0);
        assertEquals(942, number(fold, "test_positives") + number(fold, "cold_items"), 0.0);
        String time = json("cv", "--threshold", "4", "--protocol", "time", "--holdout", "0.1", "--min-positives", "1");
        assertTrue(time.contains("\"name\":\"time split at "), time);
        assertEquals(0.1, number(time, "holdout"), 0.0);
    }

    @Test
    void reportPlotsNdcgPerIteration() throws IOException {
        MainTest.Run r = MainTest.run(argv("cv", "--threshold", "4", "--report", dir.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ndcg@10 per iteration:"), r.out());
        assertTrue(r.out().contains("popularity@10"), r.out());
        for (String f : List.of("ranking-folds.csv", "ranking-iterations.csv", "ndcg-per-iteration.svg")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        assertTrue(Files.readString(dir.resolve("ndcg-per-iteration.svg")).contains("NDCG@10 per iteration"));
        assertTrue(Files.readString(dir.resolve("ranking-folds.csv")).contains(",popularity,10,"));
    }

    @Test
    void aCutoffBeyondTheCatalogueIsNoted() {
        MainTest.Run r = MainTest.run(argv("cv", "--threshold", "4", "-k", "5000"));
        assertEquals(0, r.code(), r.err());
        // ML-100K's ratings of 4 and 5 cover 1,447 items.
        assertTrue(r.err().contains("als: note: -k 5000 is more than the 1447 items of the data"), r.err());
        assertFalse(MainTest.run(argv("cv", "--threshold", "4", "-k", "5")).err().contains("als: note: -k"));
    }

    @Test
    void tuneSearchesRankLambdaAndAlpha() throws IOException {
        String j = json("tune", "--threshold", "4", "--rank", "2,3", "--lambda", "0.1", "--alpha", "1,3",
                "--report", dir.toString());
        assertTrue(j.contains("\"rank\":[2,3],\"lambda\":[0.1],") && j.contains("\"alpha\":[1.0,3.0],"), j);
        // Four grid points, and the best once more.
        assertEquals(5, j.split("\\{\"rank\":\\d,\"lambda\":").length - 1, j);
        assertTrue(j.contains("\"best\":{\"rank\":"), j);
        assertEquals(6, Files.readAllLines(dir.resolve("ranking-grid.csv")).size(), "4 settings, popularity, header");
        assertTrue(Files.readString(dir.resolve("ndcg-grid.svg")).contains("alpha 3.0"));
        MainTest.Run text = MainTest.run(argv("tune", "--threshold", "4", "--rank", "2", "--lambda", "0.1,1",
                "--alpha", "1"));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("<- best") && text.out().contains("popularity"), text.out());
        // The settings line does not pretend that one alpha was used: alpha comes from the grid.
        assertTrue(text.out().contains("rank, lambda and alpha from the grid") && !text.out().contains("implicit(alpha")
                && text.out().contains("implicit(linear"), text.out());
        // An alpha chosen from the data is shown to 4 digits (0.5 over ML-100K's mean positive value, 0.114079...).
        MainTest.Run auto = MainTest.run(argv("tune", "--threshold", "4", "--rank", "2", "--lambda", "0.1",
                "--alpha", "auto"));
        assertEquals(0, auto.code(), auto.err());
        // The asterisk marks an alpha each split chose from its own training values, and a line says so.
        assertTrue(auto.out().contains(" 0.1141* ") && auto.out().contains("alpha 0.1141:")
                && auto.out().contains("* alpha from the data: each split's fit took 0.5"), auto.out());
        assertFalse(text.out().contains("alpha from the data"), "a given alpha is used as it is");
    }

    /**
     * Tune's default alphas are 0.4, 1 and 2.5 times the default alpha, which for the linear
     * confidence is 0.5 over the mean positive value, chosen by each split's fit from its own
     * training positives; {@code auto} in a list is that alpha. ML-100K has 34,174 ratings of 4
     * and 21,201 of 5: a mean of 242,701 / 55,375 over all positives, and the training part's
     * mean is within a few parts in 10^4 of it.
     */
    @Test
    void tunesAlphasFollowTheDefaultAlpha() {
        double whole = 0.5 / (242701.0 / 55375);
        String j = json("tune", "--threshold", "4", "--lambda", "0.1");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"alpha\":\\[([^,]+),([^,]+),([^\\]]+)\\],")
                .matcher(j);
        assertTrue(m.find() && j.contains("\"alpha_from_data\":[true,true,true],"), j);
        double auto = Double.parseDouble(m.group(2));
        assertEquals(whole, auto, 1e-3 * whole, "the training split's mean is close to the whole's");
        assertTrue(Math.abs(auto - whole) > 1e-6 * whole, "but it is the training split's: " + auto);
        assertEquals(0.4 * auto, Double.parseDouble(m.group(1)), 1e-12 * auto);
        assertEquals(2.5 * auto, Double.parseDouble(m.group(3)), 1e-12 * auto);
        String listed = json("tune", "--threshold", "4", "--lambda", "0.1", "--alpha", "AUTO,1");
        assertTrue(listed.contains("\"alpha\":[" + auto + ",1.0],") && listed.contains("\"alpha_from_data\":[true,false],"),
                listed);
        String log = json("tune", "--threshold", "4", "--lambda", "0.1", "--confidence", "log");
        assertTrue(log.contains("\"alpha\":[0.2,0.5,1.25],") && log.contains("\"alpha_from_data\":[false,false,false],"),
                log);
        MainTest.Run twice = MainTest.run(argv("tune", "--threshold", "4", "--lambda", "0.1", "--alpha", "auto,Auto"));
        assertEquals(Main.USAGE, twice.code(), twice.err());
        assertTrue(twice.err().contains("--alpha names Auto twice"), twice.err());
        // With the log confidence auto is the fixed default, 0.5: given beside it, it is a repeat.
        MainTest.Run same = MainTest.run(argv("tune", "--threshold", "4", "--lambda", "0.1", "--confidence", "log",
                "--alpha", "auto,0.5"));
        assertEquals(Main.USAGE, same.code(), same.err());
        assertTrue(same.err().contains("--alpha repeats a value: auto is 0.5 with --confidence log"), same.err());
        MainTest.Run bad = MainTest.run(argv("tune", "--threshold", "4", "--alpha", "auto,x"));
        assertEquals(Main.USAGE, bad.code(), bad.err());
        assertTrue(bad.err().contains("--alpha"), bad.err());
    }

    /**
     * Found in a new-user trial: tune took "auto" from every positive, held-out ones included,
     * while cv takes it from each training split; the same settings scored differently in the
     * sixth digit. Now tune's auto point is cv's fit, to the last digit.
     */
    @Test
    void everyTrainingCommandAcceptsTheImplicitFlags() {
        for (String command : List.of("train", "cv", "tune")) {
            String help = Main.help(Main.commands().get(command));
            for (String flag : List.of("--implicit", "--alpha", "--confidence", "--epsilon", "--alpha0", "--solve",
                    "--cg-steps", "--nu")) {
                assertTrue(help.contains(flag + " "), command + " " + flag);
            }
        }
    }

    /** Each needs a file that does not exist: reading data before the check would fail with exit 1. */
    static Stream<Arguments> badFlags() {
        String[] cv = {"cv", "--data", FlagValidationTest.NO_DATA};
        String[] tune = {"tune", "--data", FlagValidationTest.NO_DATA};
        String[] train = {"train", "--data", FlagValidationTest.NO_DATA, "--out", "/nonexistent-als-dir/o.als"};
        List<Arguments> cases = new ArrayList<>();
        for (String[] base : List.of(cv, tune)) {
            for (String[] bad : List.of(new String[] {"--threshold", "four"}, new String[] {"--threshold", "NaN"},
                    new String[] {"--protocol", "random"}, new String[] {"--min-positives", "0"},
                    new String[] {"-k", "0"}, new String[] {"-k", "ten"})) {
                cases.add(Arguments.of(concat(base, bad), bad[0]));
            }
        }
        for (String[] base : List.of(cv, train)) {
            for (String[] bad : List.of(new String[] {"--implicit", "maybe"},
                    new String[] {"--implicit", "true", "--alpha", "-1"},
                    new String[] {"--implicit", "true", "--confidence", "cubic"},
                    new String[] {"--implicit", "true", "--epsilon", "0"},
                    new String[] {"--implicit", "true", "--alpha0", "2"},
                    new String[] {"--implicit", "true", "--solve", "lu"},
                    new String[] {"--implicit", "true", "--cg-steps", "0"},
                    new String[] {"--implicit", "true", "--nu", "3"}, new String[] {"--alpha", "2"})) {
                cases.add(Arguments.of(concat(base, bad), bad[bad.length - 2]));
            }
        }
        cases.add(Arguments.of(concat(tune, "--implicit", "true", "--alpha", "1,x"), "--alpha"));
        cases.add(Arguments.of(concat(tune, "--alpha", "1,2"), "--alpha"));
        cases.add(Arguments.of(concat(cv, "--protocol", "holdout", "--folds", "3"), "--folds"));
        cases.add(Arguments.of(concat(cv, "--protocol", "last", "--holdout", "0.3"), "--holdout"));
        cases.add(Arguments.of(concat(cv, "--implicit", "true", "--cold-start", "drop"), "--cold-start"));
        cases.add(Arguments.of(concat(tune, "--implicit", "true", "--held-out", "0.1"), "--held-out"));
        cases.add(Arguments.of(new String[] {"cv", "--data", "synthetic", "--protocol", "last"}, "--protocol"));
        cases.add(Arguments.of(new String[] {"cv", "--protocol", "time"}, "--protocol"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void aBadRankingOrImplicitValueExitsTwoBeforeTheDataIsRead(String[] argv, String flag) {
        MainTest.Run r = MainTest.run(argv);
        assertEquals(Main.USAGE, r.code(), String.join(" ", argv) + ": " + r.err());
        String message = r.err().lines().filter(l -> l.startsWith("als: error: ")).findFirst().orElse("");
        assertTrue(message.contains(flag + " ") || message.contains(flag + ":"), "names " + flag + ": " + r.err());
        assertFalse(message.contains("file not found"), "read the input first: " + message);
    }

    @Test
    void aFileWithoutTimestampsFailsNamingFileAndLine() throws IOException {
        Path f = dir.resolve("r.dat");
        Files.writeString(f, "1::1::5\n1::2::4\n1::3::5\n2::1::5\n2::2::4\n2::3::3\n");
        MainTest.Run r = MainTest.run("cv", "--data", f.toString(), "--protocol", "last", "--min-positives", "2",
                "--implicit", "true", "--rank", "1", "--iterations", "1", "--quiet");
        assertEquals(Main.FAILURE, r.code(), r.err());
        assertTrue(r.err().contains(f + ":1: has no timestamp"), r.err());
    }

    /** The ials penalty is a flag value of implicit fits, and refused (exit 2, naming it) without --implicit true. */
    @Test
    void theIalsPenaltyNeedsAnImplicitFit() {
        String out = json("cv", "--regularizer", "ials", "--lambda", "0.01", "--nu", "0.5");
        assertTrue(out.contains("\"regularizer\":\"ials\""), out);
        MainTest.Run r = MainTest.run("cv", "--data", data(), "--regularizer", "ials", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("ials") && r.err().contains("implicit"), r.err());
    }
}
