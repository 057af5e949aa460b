package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code als tune}, run in-process on a small synthetic set. */
class TuneCommandTest {
    private static final String DATA = "synthetic:users=120,items=90,ratings=4000,rank=2,seed=4";

    @Test
    void gridSearchReportsEverySettingTheBestAndTheOptimism(@TempDir Path dir) throws Exception {
        MainTest.Run r = MainTest.run("tune", "--data", DATA, "--rank", "1,3", "--lambda", "0.02,0.2",
                "--folds", "3", "--iterations", "3", "--threads", "1", "--held-out", "0.2", "--json",
                "--report", dir.toString());
        assertEquals(0, r.code(), r.err());
        String json = r.out();
        String grid = json.substring(json.indexOf("\"grid\":["), json.indexOf("],\"best\""));
        Matcher m = Pattern.compile("\\{\"rank\":(\\d+),\"lambda\":([0-9.]+),\"rmse_mean\":([0-9.]+)").matcher(grid);
        double best = Double.POSITIVE_INFINITY;
        int points = 0;
        while (m.find()) {
            points++;
            best = Math.min(best, Double.parseDouble(m.group(3)));
        }
        assertEquals(4, points, json);
        assertTrue(json.contains("\"rank\":[1,3],\"lambda\":[0.02,0.2]"), "the grid's axes: " + json);
        Matcher b = Pattern.compile("\"best\":\\{\"rank\":\\d+,\"lambda\":[0-9.]+,\"rmse_mean\":([0-9.]+)").matcher(json);
        assertTrue(b.find(), json);
        assertEquals(best, Double.parseDouble(b.group(1)), 0.0, "the best is the lowest mean CV RMSE");
        assertEquals(800, CvCommandTest.number(json, "held_out_ratings"), 0.0);
        double optimism = CvCommandTest.number(json, "optimism");
        Matcher h = Pattern.compile("\"best\":\\{[^}]*\"heldout_rmse\":([0-9.]+)").matcher(json);
        assertTrue(h.find(), json);
        assertEquals(Double.parseDouble(h.group(1)) - best, optimism, 1e-12);
        assertEquals(5, Files.readAllLines(dir.resolve("tune-grid.csv")).size());
        assertTrue(Files.exists(dir.resolve("rmse-grid.svg")));
        // The grid's lambdas are used as given: no search is reported.
        assertTrue(json.contains("\"lambda_auto\":false,\"validation\":0.0"), json);
    }

    @Test
    void textOutputNamesTheBestSetting() {
        MainTest.Run r = MainTest.run("tune", "--data", DATA, "--rank", "2", "--lambda", "0.05,0.1", "--folds", "2",
                "--iterations", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("<- best"), r.out());
        assertTrue(r.out().contains("best: rank 2, lambda"), r.out());
        assertTrue(r.out().contains("optimism:"), r.out());
        assertTrue(r.out().contains("rank and lambda from the grid (") && !r.out().contains("searched from"), r.out());
    }

    @Test
    void badListsAreUsageErrors() {
        MainTest.Run r = MainTest.run("tune", "--data", DATA, "--rank", "2,x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--rank must be an integer but was 'x'"), r.err());
        assertEquals(2, MainTest.run("tune", "--data", DATA, "--held-out", "1.5").code());
        MainTest.Run validation = MainTest.run("tune", "--data", DATA, "--lambda", "4", "--validation", "0.1");
        assertEquals(2, validation.code(), validation.err());
        assertTrue(validation.err().contains("--validation sets train's and cv's lambda search"), validation.err());
        MainTest.Run empty = MainTest.run("tune", "--data", DATA, "--lambda", "1,,2");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("--lambda has an empty element in '1,,2'"), empty.err());
        // A grid value given twice would be fitted twice.
        String[][] twice = {{"--rank", "8,8", "8"}, {"--lambda", "0.1,0.10", "0.10"}};
        for (String[] t : twice) {
            MainTest.Run d = MainTest.run("tune", "--data", DATA, t[0], t[1]);
            assertEquals(2, d.code(), d.err());
            assertTrue(d.err().contains(t[0] + " names " + t[2] + " twice; give each value once"), d.err());
        }
        MainTest.Run alpha = MainTest.run("tune", "--data", DATA, "--implicit", "true", "--alpha", "1,auto,1.0");
        assertEquals(2, alpha.code(), alpha.err());
        assertTrue(alpha.err().contains("--alpha names 1.0 twice"), alpha.err());
    }

    /** A --config file's rank, lambda and validation do not reach tune's grid: a warning says so, and no search is reported. */
    @Test
    void theConfigFilesGridKeysAreNamedAndIgnored(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.properties"), "als.rank = 3\nals.validation = 0.1\n");
        java.util.List<String> log = ModelSizeLogTest.log(TuneCommand.class, "tune", "--data", DATA, "--rank", "2",
                "--lambda", "0.1", "--folds", "2", "--iterations", "2", "--threads", "1", "--config", config.toString());
        assertTrue(log.contains("als.rank in " + config + " is not used by tune, which takes ranks from --rank and"
                + " lambdas from --lambda (each with a default); ignored"), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("als.validation in " + config)), log.toString());
        MainTest.Run r = MainTest.run("tune", "--data", DATA, "--rank", "2", "--lambda", "0.1", "--folds", "2",
                "--iterations", "2", "--threads", "1", "--config", config.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"lambda_auto\":false,\"validation\":0.0"), r.out());
        assertTrue(r.out().contains("\"rank\":[2],\"lambda\":[0.1]"), r.out());
    }
}
