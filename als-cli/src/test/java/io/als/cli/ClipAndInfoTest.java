package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} and {@code recommend} clip to the rating scale the model was trained on
 * (as {@code cv} does), {@code --no-clip} prints the raw values, a version-1 model (which has
 * no scale) is not clipped and the output says so; {@code info} describes a model.
 */
class ClipAndInfoTest {
    @TempDir
    Path dir;
    private Path model;
    private Model loaded;

    /** A small fit with a weak penalty, whose predictions overshoot the 1..5 scale for some unrated pairs. */
    @BeforeEach
    void train() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 12; u++) {
            for (int i = 1; i <= 10; i++) {
                if ((u + 2 * i) % 3 != 0) {
                    int r = Math.max(1, Math.min(5, (u <= 6 ? 4 : 1) + (i <= 5 ? 1 : -1) + (u * i) % 2));
                    sb.append(u).append(',').append(i).append(',').append(r).append('\n');
                }
            }
        }
        Path data = Files.writeString(dir.resolve("r.csv"), sb);
        model = dir.resolve("m.als");
        MainTest.Run t = MainTest.run("train", "--data", data.toString(), "--out", model.toString(), "--rank", "6",
                "--lambda", "0.001", "--regularizer", "l2", "--iterations", "15", "--threads", "1", "--biased", "false",
                "--samples", "0");
        assertEquals(0, t.code(), t.err());
        loaded = ModelFile.read(model);
    }

    /** An unrated (user, item) whose raw prediction lies above 5 or below 1. */
    private String[] outsideTheScale() {
        int[] ptr = loaded.ratedPointers();
        int[] idx = loaded.ratedIndices();
        String[] best = null;
        double worst = 0;
        for (int u = 0; u < loaded.userIds().size(); u++) {
            for (int i = 0; i < loaded.itemIds().size(); i++) {
                boolean rated = false;
                for (int e = ptr[u]; e < ptr[u + 1]; e++) {
                    rated |= idx[e] == i;
                }
                double p = loaded.predictIndex(u, i);
                double beyond = Math.max(p - 5, 1 - p);
                if (!rated && beyond > worst) {
                    worst = beyond;
                    best = new String[] {loaded.userIds().idAt(u), loaded.itemIds().idAt(i)};
                }
            }
        }
        assertNotNull(best, "the weakly penalised fit should overshoot the scale somewhere");
        return best;
    }

    @Test
    void predictClipsToTheTrainingScaleUnlessToldNotTo() {
        String[] pair = outsideTheScale();
        double raw = loaded.predict(pair[0], pair[1]);
        double clipped = Math.max(1, Math.min(5, raw));
        MainTest.Run p = MainTest.run("predict", "--model", model.toString(), "--user", pair[0], "--item", pair[1]);
        assertEquals(0, p.code(), p.err());
        assertEquals(String.format(Locale.ROOT, "%.6f", clipped), p.out().trim());
        MainTest.Run raw1 = MainTest.run("predict", "--model", model.toString(), "--user", pair[0], "--item", pair[1],
                "--no-clip");
        assertEquals(String.format(Locale.ROOT, "%.6f", raw), raw1.out().trim());
        MainTest.Run json = MainTest.run("predict", "--model", model.toString(), "--user", pair[0], "--item",
                pair[1], "--json");
        assertTrue(json.out().contains("\"prediction\":" + clipped + ",\"raw_prediction\":" + raw
                + ",\"clipped\":true,\"scale\":\"1..5\""), json.out());
        // --no-clip: the model still has its scale, and the JSON says it was not applied.
        MainTest.Run rawJson = MainTest.run("predict", "--model", model.toString(), "--user", pair[0], "--item",
                pair[1], "--json", "--no-clip");
        assertTrue(rawJson.out().contains("\"prediction\":" + raw + ",\"raw_prediction\":" + raw
                + ",\"clipped\":false,\"scale\":\"1..5\""), rawJson.out());
    }

    @Test
    void recommendShowsClippedScoresInTheRawOrder() {
        String user = outsideTheScale()[0];
        MainTest.Run r = MainTest.run("recommend", "--model", model.toString(), "--user", user, "-n", "10");
        MainTest.Run raw = MainTest.run("recommend", "--model", model.toString(), "--user", user, "-n", "10",
                "--no-clip");
        assertEquals(0, r.code(), r.err());
        String[] clippedLines = r.out().split("\n");
        String[] rawLines = raw.out().split("\n");
        assertEquals(rawLines.length, clippedLines.length);
        boolean changed = false;
        for (int k = 0; k < rawLines.length; k++) {
            String[] c = clippedLines[k].trim().split("\\s+");
            String[] w = rawLines[k].trim().split("\\s+");
            assertEquals(w[1], c[1], "the same item at rank " + (k + 1));
            double score = Double.parseDouble(c[2]);
            assertTrue(score >= 1 && score <= 5, clippedLines[k]);
            assertEquals(Math.max(1, Math.min(5, Double.parseDouble(w[2]))), score, 1e-4);
            changed |= !c[2].equals(w[2]);
        }
        assertTrue(changed, "some score was outside the scale:\n" + raw.out());
    }

    /** The model as a version-1 file: the layout before samples and training info were stored. */
    private Path version1() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("ALSMODEL".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeInt(loaded.rank());
        out.writeInt(loaded.userIds().size());
        out.writeInt(loaded.itemIds().size());
        for (io.als.api.IdIndex ids : new io.als.api.IdIndex[] {loaded.userIds(), loaded.itemIds()}) {
            out.writeByte(0);
            for (int k = 0; k < ids.size(); k++) {
                out.writeLong(ids.numericIdAt(k));
            }
        }
        out.writeDouble(loaded.globalMean());
        for (double b : loaded.userBiases()) {
            out.writeDouble(b);
        }
        for (double b : loaded.itemBiases()) {
            out.writeDouble(b);
        }
        for (double v : loaded.userFactors().data()) {
            out.writeDouble(v);
        }
        for (double v : loaded.itemFactors().data()) {
            out.writeDouble(v);
        }
        int[] ptr = loaded.ratedPointers();
        int[] idx = loaded.ratedIndices();
        out.writeInt(idx.length);
        for (int v : ptr) {
            out.writeInt(v);
        }
        for (int v : idx) {
            out.writeInt(v);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        return Files.write(dir.resolve("v1.als"), bytes.toByteArray());
    }

    @Test
    void aVersion1ModelIsNotClippedAndSaysSo() throws IOException {
        Path v1 = version1();
        String[] pair = outsideTheScale();
        MainTest.Run p = MainTest.run("predict", "--model", v1.toString(), "--user", pair[0], "--item", pair[1]);
        assertEquals(0, p.code(), p.err());
        assertEquals(String.format(Locale.ROOT, "%.6f", loaded.predict(pair[0], pair[1])), p.out().trim());
        assertTrue(p.err().contains("als: note: " + v1 + " records no training rating scale (version-1 files and"
                + " models built in code have none), so predictions are not clipped"), p.err());
        MainTest.Run json = MainTest.run("predict", "--model", v1.toString(), "--user", pair[0], "--item", pair[1],
                "--json");
        assertTrue(json.out().contains("\"clipped\":false,\"scale\":null,\"note\":\"" + v1 + " records no training"
                + " rating scale"), json.out());
        MainTest.Run info = MainTest.run("info", "--model", v1.toString());
        assertTrue(info.out().contains("scale     not recorded: predict and recommend do not clip"), info.out());
        assertTrue(info.out().contains("training  not recorded (version-1 files and models built in code have no"
                + " training info)"), info.out());
        assertTrue(info.out().contains("model     " + v1 + ": format version 1, "), info.out());
    }

    @Test
    void infoDescribesTheModel() throws IOException {
        MainTest.Run r = MainTest.run("info", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        for (String line : new String[] {
            "model     " + model + ": format version 3, " + Files.size(model) + " bytes",
            "kind      plain, one ALS solution",
            "rank      6",
            "users     12",
            "items     10",
            "ratings   80 training ratings; 80 rated (user, item) pairs kept, which recommend leaves out",
            "scale     1..5 (predict and recommend clip to it; --no-clip turns that off)",
            // The default backend: native where its kernels load (Linux on x86-64), else java.
            "training  solver " + DEFAULT_SOLVER + ", regularizer l2, lambda 0.001, 15 of 15 iterations, seed 42, init random, unbiased",
            "data      " + dir.resolve("r.csv") + " (12 users, 10 items)",
        }) {
            assertTrue(out.contains(line + "\n"), "expected '" + line + "' in:\n" + out);
        }
    }

    private static final String DEFAULT_SOLVER = io.als.natives.NativeSolver.available()
            ? io.als.api.AlsConfig.Defaults.SOLVER : io.als.api.AlsConfig.Defaults.PORTABLE_SOLVER;

    @Test
    void infoJsonIsExactlyOneObject() throws IOException {
        MainTest.Run r = MainTest.run("info", "--model", model.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out();
        assertTrue(json.endsWith("}\n") && json.startsWith("{") && json.lines().count() == 1, json);
        assertTrue(json.contains("\"file_version\":3,\"file_bytes\":" + Files.size(model)
                + ",\"kind\":\"plain\",\"biased\":false,\"samples\":1,\"rank\":6,\"users\":12,\"items\":10,"
                + "\"rated_pairs\":80,\"ratings\":80,\"scale\":{\"min\":1.0,\"max\":5.0},\"clipped_by_default\":true,"
                + "\"training\":{\"solver\":\"" + DEFAULT_SOLVER + "\",\"regularizer\":\"l2\",\"lambda\":0.001,"), json);
        assertFalse(r.err().contains("{"), "nothing JSON-like on stderr: " + r.err());
        MainTest.Run bad = MainTest.run("info", "--model", dir.resolve("nosuch.als").toString(), "--json");
        assertEquals(1, bad.code());
        assertEquals(1, bad.out().lines().count(), bad.out());
    }
}
