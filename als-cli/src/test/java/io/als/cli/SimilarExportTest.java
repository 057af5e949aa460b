package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;
import io.als.api.ModelExport;
import io.als.api.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code als similar} (cosine of factor vectors, the query left out) and {@code als export}
 * (a folder of CSV and .npy files), on an implicit model of MovieLens 100K with its titles.
 */
class SimilarExportTest {
    @TempDir
    static Path dir;
    static Path model;
    static Model loaded;
    static Path titles;

    @BeforeAll
    static void train() throws IOException {
        titles = SharedData.require("ml-100k/u.item");
        model = dir.resolve("ml100k-implicit.als");
        MainTest.Run t = MainTest.run("train", "--data", SharedData.require(SharedData.ML_100K).toString(),
                "--implicit", "true", "--rank", "8", "--iterations", "4", "--threads", "2", "--out", model.toString());
        assertEquals(0, t.code(), t.err());
        loaded = ModelFile.read(model);
    }

    private static double cosine(double[] a, int ra, double[] b, int rb, int k) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int c = 0; c < k; c++) {
            dot += a[ra * k + c] * b[rb * k + c];
            na += a[ra * k + c] * a[ra * k + c];
            nb += b[rb * k + c] * b[rb * k + c];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void similarItemsAreRankedByCosineWithoutTheQuery() {
        MainTest.Run r = RecommendCommandTest.ok("similar", "--model", model.toString(), "--item", "50", "-n", "5",
                "--items-file", titles.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        double[] items = loaded.itemFactors().data();
        int k = loaded.rank();
        int query = loaded.itemIds().indexOf("50");
        double previous = 1;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+", 4);
            assertFalse(f[1].equals("50"), "the query itself: " + line);
            double score = Double.parseDouble(f[2]);
            assertEquals(cosine(items, query, items, loaded.itemIds().indexOf(f[1]), k), score, 5e-5, line);
            assertTrue(score <= previous && score >= -1, line);
            previous = score;
            assertTrue(f.length == 4 && !f[3].equals("-"), "a title: " + line);
        }
        MainTest.Run json = RecommendCommandTest.ok("similar", "--model", model.toString(), "--item", "50", "-n", "5",
                "--items-file", titles.toString(), "--json");
        assertTrue(json.out().startsWith("{\"item\":\"50\",\"title\":\"Star Wars (1977)\",\"n\":5,\"returned\":5,"
                + "\"score\":\"cosine\",\"similar\":[{\"rank\":1,\"item\":"), json.out());
        assertEquals(1, json.out().strip().lines().count());
        assertEquals(lines.stream().map(l -> l.trim().split("\\s+")[1]).toList(),
                RecommendCommandTest.jsonItems(json.out(), "item"));
    }

    @Test
    void similarUsersAndTheirLimits() {
        MainTest.Run r = RecommendCommandTest.ok("similar", "--model", model.toString(), "--user", "1", "-n", "3",
                "--json");
        List<String> users = RecommendCommandTest.jsonItems(r.out(), "user");
        assertEquals(3, users.size(), r.out());
        assertFalse(users.contains("1"));
        double[] u = loaded.userFactors().data();
        int first = loaded.userIds().indexOf(users.get(0));
        double top = cosine(u, loaded.userIds().indexOf("1"), u, first, loaded.rank());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"cosine\":([^,}]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(top, Double.parseDouble(m.group(1)), 1e-9, r.out());

        // More than there are: every other user, and a note.
        MainTest.Run all = RecommendCommandTest.ok("similar", "--model", model.toString(), "--user", "1", "-n", "5000");
        assertEquals(942, all.out().lines().count());
        assertTrue(all.err().contains("5000 asked for, 942 returned"), all.err());

        assertTrue(RecommendCommandTest.usage("similar", "--model", model.toString()).err()
                .contains("exactly one of --item I or --user U"));
        assertTrue(RecommendCommandTest.usage("similar", "--model", model.toString(), "--item", "1", "--user", "1")
                .err().contains("exactly one of"));
        assertTrue(RecommendCommandTest.usage("similar", "--model", model.toString(), "--user", "1", "--items-file",
                titles.toString()).err().contains("--items-file shows item titles"));
        assertTrue(RecommendCommandTest.usage("similar", "--model", model.toString(), "--item", "1", "-n", "0").err()
                .contains("-n must be at least 1 but was 0"));
        assertTrue(RecommendCommandTest.failure("similar", "--model", model.toString(), "--item", "99999").err()
                .contains("item '99999' is not in the model"));
    }

    @Test
    void recommendAllOnMovieLensWithTitles() throws IOException {
        Path out = dir.resolve("ml100k-top5.csv");
        MainTest.Run r = RecommendCommandTest.ok("recommend", "--model", model.toString(), "--all", "-n", "5", "--out",
                out.toString(), "--items-file", titles.toString(), "--min-support", "20");
        List<String> lines = Files.readAllLines(out, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1 + 943 * 5, lines.size(), r.err());
        assertEquals("user,item,rank,score,title", lines.get(0));
        // UTF-8 out, whatever the items file's encoding.
        assertTrue(lines.stream().noneMatch(l -> l.contains("\uFFFD")));
        int[] ptr = loaded.ratedPointers();
        int[] idx = loaded.ratedIndices();
        int[] support = new int[loaded.itemIds().size()];
        for (int e = 0; e < ptr[ptr.length - 1]; e++) {
            support[idx[e]]++;
        }
        for (String line : lines.subList(1, lines.size())) {
            String item = line.split(",")[1];
            assertTrue(support[loaded.itemIds().indexOf(item)] >= 20, line);
        }
    }

    @Test
    void exportWritesTheFilesIntoANewFolder() {
        Path out = dir.resolve("export/nested");
        MainTest.Run r = RecommendCommandTest.ok("export", "--model", model.toString(), "--out", out.toString());
        for (String name : ModelExport.fileNames(loaded)) {
            assertTrue(Files.isRegularFile(out.resolve(name)), name);
            assertTrue(r.out().contains(name), r.out());
        }
        assertTrue(r.out().startsWith("exported " + model + " to " + out + ": 943 users, 1682 items"), r.out());
        MainTest.Run json = RecommendCommandTest.ok("export", "--model", model.toString(), "--out", out.toString(),
                "--json");
        assertEquals(1, json.out().strip().lines().count());
        assertTrue(json.out().contains("\"implicit\":true") && json.out().contains("{\"name\":\"item_factors.npy\","),
                json.out());
    }

    @Test
    void exportRefusesAFileAsItsFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "keep me");
        MainTest.Run r = RecommendCommandTest.usage("export", "--model", model.toString(), "--out", file.toString());
        assertTrue(r.err().contains("--out " + file + ": is a regular file, not a directory"), r.err());
        assertEquals("keep me", Files.readString(file));
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("user_factors.csv"));
        MainTest.Run b = RecommendCommandTest.usage("export", "--model", model.toString(), "--out", blocked.toString());
        assertTrue(b.err().contains("user_factors.csv"), b.err());
        try (var listing = Files.list(blocked)) {
            assertEquals(new HashSet<>(List.of(blocked.resolve("user_factors.csv"))),
                    new HashSet<>(listing.toList()), "nothing written");
        }
        assertTrue(RecommendCommandTest.failure("export", "--model", dir.resolve("absent.als").toString(), "--out",
                dir.resolve("x").toString()).err().contains("absent.als"));
    }
}
