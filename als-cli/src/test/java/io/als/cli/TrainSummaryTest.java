package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train} reports after the fit: the iterations run, the sampling sweeps and the
 * final loss, also when {@code --tolerance} stops the ALS iterations early (then the last
 * iteration is not the one asked for, and the summary must still show its loss).
 */
class TrainSummaryTest {

    /** 40 users x 25 items, about 70% rated, from a rank-2 pattern plus noise, seeded. */
    private static Path ratings(Path dir) throws IOException {
        Random rnd = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 40; u++) {
            for (int i = 1; i <= 25; i++) {
                if (rnd.nextDouble() < 0.7) {
                    double r = 3 + Math.sin(u) * Math.cos(i) + 0.8 * Math.cos(u * 0.3) * Math.sin(i * 0.7)
                            + 0.3 * rnd.nextGaussian();
                    sb.append(u).append(',').append(i).append(',').append(Math.round(Math.min(5, Math.max(1, r))))
                            .append('\n');
                }
            }
        }
        Path data = dir.resolve("r.csv");
        Files.writeString(data, sb);
        return data;
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    /**
     * The summary says whether lambda was searched: a search that had no rating to hold out
     * (tiny data) used to be reported as "chosen on held-out ratings" all the same.
     */
    @Test
    void theSummarySaysWhetherTheLambdaSearchRan(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("m.als");
        MainTest.Run searched = MainTest.run("train", "--data", ratings(dir).toString(), "--out", out.toString(),
                "--rank", "2", "--samples", "0", "--iterations", "3");
        assertEquals(0, searched.code(), searched.err());
        assertTrue(Pattern.compile("lambda \\S+ \\(\\w+, chosen on \\d+ held-out ratings\\)").matcher(searched.out()).find(),
                searched.out());
        // Two users who share one item and each have one more: no rating can be held out.
        Path tiny = Files.writeString(dir.resolve("tiny.csv"), "1,1,4\n1,2,3\n2,1,5\n2,3,2\n");
        MainTest.Run skipped = MainTest.run("train", "--data", tiny.toString(), "--out", out.toString(), "--rank", "1",
                "--samples", "0", "--iterations", "3");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains(", not searched: no rating could be held out)"), skipped.out());
        MainTest.Run json = MainTest.run("train", "--data", tiny.toString(), "--out", out.toString(), "--rank", "1",
                "--samples", "0", "--iterations", "3", "--json");
        assertTrue(json.out().contains("\"lambda_auto\":true,\"lambda_searched\":false,\"lambda_held_out\":0"),
                json.out());
        MainTest.Run fixed = MainTest.run("train", "--data", tiny.toString(), "--out", out.toString(), "--rank", "1",
                "--samples", "0", "--iterations", "3", "--lambda", "0.1", "--json");
        assertTrue(fixed.out().contains("\"lambda_auto\":false,\"lambda_searched\":null,\"lambda_held_out\":null"),
                fixed.out());
    }

    @Test
    void anEarlyStopReportsTheIterationsRunAndTheLossOfTheModelWritten(@TempDir Path dir) throws IOException {
        Path data = ratings(dir);
        Path out = dir.resolve("m.als");
        MainTest.Run t = MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--rank", "3",
                "--samples", "0", "--regularizer", "weighted", "--lambda", "0.1", "--tolerance", "0.01",
                "--iterations", "50", "--json");
        assertEquals(0, t.code(), t.err());
        int run = (int) number(t.out(), "iterations");
        assertTrue(run > 1 && run < 50, "the tolerance stops the fit early: " + t.out());
        assertEquals(0, number(t.out(), "sample_sweeps"), t.out());
        // The error of the written model, summed here over the file's ratings (predictions unclipped).
        Model m = ModelFile.read(out);
        double sse = 0;
        int n = 0;
        for (String line : Files.readAllLines(data)) {
            String[] f = line.split(",");
            double e = Double.parseDouble(f[2]) - m.predict(f[0], f[1]);
            sse += e * e;
            n++;
        }
        assertEquals(sse, number(t.out(), "final_sse"), 1e-9 * sse, t.out());
        assertEquals(Math.sqrt(sse / n), number(t.out(), "train_rmse"), 1e-9, t.out());
        assertTrue(number(t.out(), "final_loss") > sse, "the objective adds the penalty: " + t.out());

        MainTest.Run text = MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--rank", "3",
                "--samples", "0", "--regularizer", "weighted", "--lambda", "0.1", "--tolerance", "0.01",
                "--iterations", "50");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(", " + run + " iterations, "), text.out());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "train rmse %.5f", Math.sqrt(sse / n))),
                text.out());
    }

    @Test
    void sweepsAreCountedApartFromTheIterations(@TempDir Path dir) throws IOException {
        Path data = ratings(dir);
        Path out = dir.resolve("m.als");
        MainTest.Run early = MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--rank", "3",
                "--samples", "4", "--tolerance", "0.01", "--iterations", "50", "--json");
        assertEquals(0, early.code(), early.err());
        int run = (int) number(early.out(), "iterations");
        assertTrue(run > 1 && run < 50, early.out());
        assertEquals(4, number(early.out(), "sample_sweeps"), early.out());
        assertTrue(number(early.out(), "final_sse") > 0, early.out());

        MainTest.Run text = MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--rank", "3",
                "--samples", "3", "--iterations", "7");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(", 7 iterations + 3 sampling sweeps, "), text.out());
        assertTrue(text.out().contains(" s/iteration or sweep)"), text.out());
    }
}
