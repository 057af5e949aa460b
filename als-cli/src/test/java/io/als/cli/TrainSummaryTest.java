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
