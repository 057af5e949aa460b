package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code als recommend}: the one-user form with its filters, every user into a CSV file
 * ({@code --all}), a new user folded in ({@code --items}), and every wrong command line.
 * Small models trained by the tests, one explicit and one implicit.
 */
class RecommendCommandTest {
    static final int USERS = 20;
    static final int ITEMS = 15;

    @TempDir
    static Path dir;
    static Path explicit;
    static Path implicit;
    static Path implicitData;
    /** Training items of each user (both data sets have the same pattern). */
    static final Map<String, Set<String>> SEEN = new HashMap<>();
    /** Training interactions of each item. */
    static final Map<String, Integer> SUPPORT = new HashMap<>();

    /** Whether user u has item i: a pattern that gives items between 4 and 19 interactions. */
    static boolean has(int u, int i) {
        return (u * 7 + i * 3) % 5 != 0 && (i <= 10 || u % (i - 9) == 0);
    }

    @BeforeAll
    static void train() throws IOException {
        StringBuilder ratings = new StringBuilder();
        StringBuilder pairs = new StringBuilder("user,item\n");
        for (int u = 1; u <= USERS; u++) {
            for (int i = 1; i <= ITEMS; i++) {
                if (has(u, i)) {
                    ratings.append(u).append('\t').append(i).append('\t').append(1 + (u + 2 * i) % 5).append('\n');
                    pairs.append(u).append(',').append(i).append('\n');
                    SEEN.computeIfAbsent(Integer.toString(u), k -> new HashSet<>()).add(Integer.toString(i));
                    SUPPORT.merge(Integer.toString(i), 1, Integer::sum);
                }
            }
        }
        Path data = Files.writeString(dir.resolve("r.tsv"), ratings);
        implicitData = Files.writeString(dir.resolve("pairs.csv"), pairs);
        explicit = dir.resolve("explicit.als");
        implicit = dir.resolve("implicit.als");
        MainTest.Run e = MainTest.run("train", "--data", data.toString(), "--out", explicit.toString(), "--rank", "4",
                "--samples", "0", "--lambda", "0.5", "--iterations", "8", "--threads", "1");
        assertEquals(0, e.code(), e.err());
        MainTest.Run i = MainTest.run("train", "--data", implicitData.toString(), "--implicit", "true", "--rank", "4",
                "--iterations", "8", "--alpha", "5", "--out", implicit.toString(), "--threads", "1");
        assertEquals(0, i.code(), i.err());
    }

    static MainTest.Run ok(String... argv) {
        MainTest.Run r = MainTest.run(argv);
        assertEquals(0, r.code(), String.join(" ", argv) + ": " + r.err());
        return r;
    }

    static MainTest.Run usage(String... argv) {
        MainTest.Run r = MainTest.run(argv);
        assertEquals(Main.USAGE, r.code(), String.join(" ", argv) + ": " + r.err() + r.out());
        return r;
    }

    static MainTest.Run failure(String... argv) {
        MainTest.Run r = MainTest.run(argv);
        assertEquals(Main.FAILURE, r.code(), String.join(" ", argv) + ": " + r.err() + r.out());
        return r;
    }

    /** The item column of text output. */
    static List<String> items(String out) {
        List<String> items = new ArrayList<>();
        out.lines().forEach(l -> items.add(l.trim().split("\\s+")[1]));
        return items;
    }

    /** The "item" values of JSON output, in order. */
    static List<String> jsonItems(String json, String key) {
        List<String> items = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\"rank\":\\d+,\"" + key + "\":\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }

    // ------------------------------------------------------------------ --user

    @Test
    void userListLeavesOutTrainingItemsUnlessIncludeSeen() {
        MainTest.Run r = ok("recommend", "--model", explicit.toString(), "--user", "3", "-n", "100");
        List<String> got = items(r.out());
        assertEquals(ITEMS - SEEN.get("3").size(), got.size(), r.out());
        got.forEach(i -> assertFalse(SEEN.get("3").contains(i), i));
        assertTrue(r.err().contains("100 asked for, " + got.size() + " returned"), r.err());

        MainTest.Run all = ok("recommend", "--model", explicit.toString(), "--user", "3", "-n", "100",
                "--include-seen");
        assertEquals(ITEMS, items(all.out()).size(), all.out());
        assertTrue(items(all.out()).containsAll(SEEN.get("3")));
    }

    @Test
    void allowDenyAndMinSupportFilterTheList() throws IOException {
        String m = implicit.toString();
        List<String> allowed = items(ok("recommend", "--model", m, "--user", "3", "-n", "100", "--include-seen",
                "--allow", "2,5,9,999").out());
        assertEquals(Set.of("2", "5", "9"), new HashSet<>(allowed));
        assertTrue(MainTest.run("recommend", "--model", m, "--user", "3", "--allow", "2,999").err()
                .contains("--allow names 1 item(s) the model does not know, ignored: 999"));
        // Only unknown items allowed would leave every list empty: a failure, like --items with none known.
        assertTrue(failure("recommend", "--model", m, "--user", "3", "--allow", "998,999").err()
                .contains("--allow: none of the 2 item(s) is in the model (998, 999), so nothing could be recommended"));
        assertTrue(ok("recommend", "--model", m, "--user", "3", "--deny", "998,999").err()
                .contains("--deny names 2 item(s) the model does not know, ignored"));
        assertTrue(usage("recommend", "--model", m, "--user", "3", "-n", "99999999999").err()
                .contains("-n must be an integer of at most 2147483647 but was '99999999999'"));
        for (String list : new String[] {",", "2,,5", "2,"}) {
            assertTrue(usage("recommend", "--model", m, "--user", "3", "--allow", list).err()
                    .contains("--allow has an empty element in '" + list + "'"), list);
        }

        Path list = Files.writeString(dir.resolve("deny.txt"), "# not these\n2\n5, 9\n\n");
        List<String> denied = items(ok("recommend", "--model", m, "--user", "3", "-n", "100", "--include-seen",
                "--deny", list.toString()).out());
        assertEquals(ITEMS - 3, denied.size());
        assertFalse(denied.contains("2") || denied.contains("5") || denied.contains("9"), denied.toString());

        // The deny-list wins over the allow-list.
        assertEquals(List.of("9"), items(ok("recommend", "--model", m, "--user", "3", "--include-seen",
                "--allow", "5,9", "--deny", "5").out()));

        int threshold = 10;
        List<String> supported = items(ok("recommend", "--model", m, "--user", "3", "-n", "100", "--include-seen",
                "--min-support", Integer.toString(threshold)).out());
        long expected = SUPPORT.values().stream().filter(s -> s >= threshold).count();
        assertTrue(expected > 0 && expected < ITEMS, "the pattern must have items on both sides: " + SUPPORT);
        assertEquals(expected, supported.size());
        supported.forEach(i -> assertTrue(SUPPORT.get(i) >= threshold, i));
    }

    @Test
    void badListsAndCountsAreNamed() throws IOException {
        String m = implicit.toString();
        assertTrue(usage("recommend", "--model", m, "--user", "3", "--min-support", "-1").err()
                .contains("--min-support must be at least 0 but was -1"));
        assertTrue(usage("recommend", "--model", m, "--user", "3", "-n", "0").err()
                .contains("-n must be at least 1 but was 0"));
        assertTrue(usage("recommend", "--model", m, "--user", "3", "-n", "-2").err()
                .contains("-n must be at least 1 but was -2"));
        Path missing = dir.resolve("nowhere/allow.txt");
        assertTrue(failure("recommend", "--model", m, "--user", "3", "--allow", missing.toString()).err()
                .contains("--allow " + missing + ": file not found"));
        Path empty = Files.writeString(dir.resolve("empty-list.txt"), "# nothing\n\n");
        assertTrue(failure("recommend", "--model", m, "--user", "3", "--deny", empty.toString()).err()
                .contains("the file holds no item id"));
        assertTrue(failure("recommend", "--model", m, "--user", "999").err().contains("user '999' is not in the model"));
    }

    @Test
    void userJsonIsOneObjectWithTheList() {
        MainTest.Run r = ok("recommend", "--model", explicit.toString(), "--user", "3", "-n", "2", "--json");
        String json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.startsWith("{\"user\":\"3\",\"n\":2,\"returned\":2,\"clipped\":true,"), json);
        assertEquals(2, jsonItems(json, "item").size(), json);
    }

    @Test
    void modesAndTheirFlagsMustMatch() {
        String m = explicit.toString();
        assertTrue(usage("recommend", "--model", m).err().contains("exactly one of --user U, --all, --users LIST,"
                + " --items LIST or --users-for ITEM but was given none"));
        assertTrue(usage("recommend", "--model", m, "--users", "1", "--users-for", "2").err()
                .contains("but was given more than one"));
        assertTrue(usage("recommend", "--model", m, "--users", "1").err().contains("--users needs --out FILE"));
        assertTrue(usage("recommend", "--model", m, "--user", "1", "--out", dir.resolve("x.csv").toString())
                .err().contains("--out goes with --all, --users or --users-for"));
        assertTrue(usage("recommend", "--model", m, "--users-for", "1,2").err()
                .contains("--users-for names 2 items; without --out it prints one item's users"));
        for (String[] itemsOnly : new String[][] {{"--allow", "1"}, {"--deny", "1"}, {"--min-support", "2"},
            {"--items-file", "u.item"}}) {
            assertTrue(usage("recommend", "--model", m, "--users-for", "1", itemsOnly[0], itemsOnly[1]).err()
                    .contains(itemsOnly[0] + " chooses or names items"), itemsOnly[0]);
        }
        assertTrue(usage("recommend", "--model", m, "--user", "1", "--all", "--out", dir.resolve("x.csv").toString())
                .err().contains("exactly one of"));
        assertTrue(usage("recommend", "--model", m, "--all").err().contains("--all needs --out FILE"));
        assertTrue(usage("recommend", "--model", m, "--items", "1", "--include-seen").err()
                .contains("--include-seen applies to --user, --all, --users and --users-for"));
        assertTrue(usage("recommend", "--model", m, "--user", "1", "--threads", "0").err().contains("--threads"));
        assertFalse(Files.exists(dir.resolve("x.csv")));
    }

    // ------------------------------------------------------------------ --all

    @Test
    void allWritesEveryUsersListAsCsv() throws IOException {
        Path out = dir.resolve("all.csv");
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--all", "-n", "3", "--out", out.toString());
        assertTrue(r.out().contains("wrote " + USERS * 3 + " recommendations"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,item,rank,score", lines.get(0));
        assertEquals(1 + USERS * 3, lines.size());
        Model model = ModelFile.read(implicit);
        Set<String> users = new HashSet<>();
        for (int k = 1; k < lines.size(); k++) {
            String[] f = lines.get(k).split(",");
            users.add(f[0]);
            assertEquals((k - 1) % 3 + 1, Integer.parseInt(f[2]), lines.get(k));
            assertFalse(SEEN.get(f[0]).contains(f[1]), "a training item: " + lines.get(k));
            // An implicit model's scores are its raw predictions, never clipped.
            assertEquals(model.predict(f[0], f[1]), Double.parseDouble(f[3]), 1e-12, lines.get(k));
            if (f[2].equals("1")) {
                // The same list as the one-user form.
                List<String> one = items(ok("recommend", "--model", implicit.toString(), "--user", f[0], "-n", "3")
                        .out());
                assertEquals(one, List.of(f[1], lines.get(k + 1).split(",")[1], lines.get(k + 2).split(",")[1]));
            } else {
                assertTrue(Double.parseDouble(f[3]) <= Double.parseDouble(lines.get(k - 1).split(",")[3]));
            }
        }
        assertEquals(USERS, users.size());
    }

    @Test
    void allIsTheSameForAnyThreadCountAndReportsJson() throws IOException {
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv");
        ok("recommend", "--model", explicit.toString(), "--all", "--out", one.toString(), "--threads", "1");
        MainTest.Run r = ok("recommend", "--model", explicit.toString(), "--all", "--out", two.toString(),
                "--threads", "2", "--json");
        assertEquals(Files.readString(one), Files.readString(two));
        String json = r.out().strip();
        assertEquals(1, json.lines().count());
        assertTrue(json.contains("\"users\":" + USERS) && json.contains("\"threads\":2")
                && json.contains("\"lines\":" + (Files.readAllLines(two).size() - 1)), json);
    }

    @Test
    void allClipsAnExplicitModelsScoresUnlessNoClip() throws IOException {
        Path clipped = dir.resolve("clipped.csv");
        Path raw = dir.resolve("raw.csv");
        ok("recommend", "--model", explicit.toString(), "--all", "-n", "4", "--out", clipped.toString());
        ok("recommend", "--model", explicit.toString(), "--all", "-n", "4", "--out", raw.toString(), "--no-clip");
        Model model = ModelFile.read(explicit);
        io.als.api.RatingScale scale = model.trainingInfo().orElseThrow().scale();
        List<String> a = Files.readAllLines(clipped);
        List<String> b = Files.readAllLines(raw);
        assertEquals(a.size(), b.size());
        boolean outside = false;
        for (int k = 1; k < a.size(); k++) {
            String[] c = a.get(k).split(",");
            String[] r = b.get(k).split(",");
            assertEquals(c[1], r[1], "clipping never reorders");
            double predicted = model.predict(r[0], r[1]);
            assertEquals(predicted, Double.parseDouble(r[3]), 1e-12);
            assertEquals(scale.clip(predicted), Double.parseDouble(c[3]), 1e-12);
            outside |= predicted != scale.clip(predicted);
        }
        assertTrue(outside || a.equals(b), "identical files only when nothing lies outside the scale");
    }

    @Test
    void allWithMoreThanTheCatalogueReturnsWhatThereIsAndSaysSo() throws IOException {
        Path out = dir.resolve("short.csv");
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--all", "-n", "50", "--out", out.toString());
        int expected = 0;
        for (Set<String> seen : SEEN.values()) {
            expected += ITEMS - seen.size();
        }
        assertEquals(expected, Files.readAllLines(out).size() - 1);
        assertTrue(r.err().contains("50 asked for per user; " + USERS + " of " + USERS + " users got fewer"), r.err());
    }

    @Test
    void allRefusesToReplaceAnInputOrAFolder() throws IOException {
        byte[] before = Files.readAllBytes(implicit);
        MainTest.Run r = usage("recommend", "--model", implicit.toString(), "--all", "--out", implicit.toString());
        assertTrue(r.err().contains("is the same file as the input --model"), r.err());
        assertEquals(new String(before, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(Files.readAllBytes(implicit), java.nio.charset.StandardCharsets.ISO_8859_1));
        Path allow = Files.writeString(dir.resolve("allow-in.txt"), "1\n2\n");
        assertTrue(usage("recommend", "--model", implicit.toString(), "--all", "--allow", allow.toString(), "--out",
                allow.toString()).err().contains("the input --allow"));
        assertEquals("1\n2\n", Files.readString(allow));
        assertTrue(usage("recommend", "--model", implicit.toString(), "--all", "--out", dir.toString()).err()
                .contains("not a regular file"));
    }

    // ------------------------------------------------------------------ --users

    /** The data lines of a CSV written by recommend, by user, in file order. */
    private static Map<String, List<String>> linesByUser(Path csv) throws IOException {
        Map<String, List<String>> by = new java.util.LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        assertEquals("user,item,rank,score", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            by.computeIfAbsent(line.split(",")[0], k -> new ArrayList<>()).add(line);
        }
        return by;
    }

    @Test
    void usersWritesTheListedUsersListsInTheOrderGiven() throws IOException {
        Path every = dir.resolve("every.csv");
        ok("recommend", "--model", implicit.toString(), "--all", "-n", "4", "--out", every.toString());
        Map<String, List<String>> all = linesByUser(every);

        Path some = dir.resolve("some.csv");
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--users", "7,3,nobody,7", "-n", "4",
                "--out", some.toString(), "--json");
        Map<String, List<String>> got = linesByUser(some);
        // Each listed user once, in the order given, with the same lines as --all writes for it.
        assertEquals(List.of("7", "3"), new ArrayList<>(got.keySet()));
        assertEquals(all.get("7"), got.get("7"));
        assertEquals(all.get("3"), got.get("3"));
        assertTrue(r.err().contains("--users names 1 user(s) the model does not know, left out: nobody"), r.err());
        assertTrue(r.out().strip().contains("\"users\":2,") && r.out().strip().contains("\"lines\":8,")
                && r.out().contains("\"unknown_users\":[\"nobody\"]"), r.out());
        // A destination ending in '/' is refused; when the name without it is a file, that file is suggested.
        assertTrue(usage("recommend", "--model", implicit.toString(), "--users", "7", "--out", some + "/").err()
                .contains("give a file name such as " + some + " (a file now, which would be replaced)"));

        // A file of users (with a comment), and the filters of the item lists.
        Path list = Files.writeString(dir.resolve("users.txt"), "# two users\n12\n1\n");
        Path filtered = dir.resolve("filtered.csv");
        ok("recommend", "--model", implicit.toString(), "--users", list.toString(), "-n", "20", "--include-seen",
                "--deny", "2", "--out", filtered.toString());
        Map<String, List<String>> byFile = linesByUser(filtered);
        assertEquals(List.of("12", "1"), new ArrayList<>(byFile.keySet()));
        assertEquals(ITEMS - 1, byFile.get("12").size());
        byFile.values().forEach(ls -> ls.forEach(l -> assertNotEquals("2", l.split(",")[1], l)));

        // None known: exit 1 and nothing written; an empty file of users: exit 1.
        Path none = dir.resolve("none.csv");
        assertTrue(failure("recommend", "--model", implicit.toString(), "--users", "x,y", "--out", none.toString())
                .err().contains("--users: none of the 2 user(s) is in the model (x, y)"));
        Path empty = Files.writeString(dir.resolve("no-users.txt"), "# nobody\n");
        assertTrue(failure("recommend", "--model", implicit.toString(), "--users", empty.toString(), "--out",
                none.toString()).err().contains("the file holds no user id"));
        assertFalse(Files.exists(none));
        assertTrue(usage("recommend", "--model", implicit.toString(), "--users", "1,,2", "--out", none.toString())
                .err().contains("--users has an empty element in '1,,2'"));
        // The list file is an input: never the output.
        assertTrue(usage("recommend", "--model", implicit.toString(), "--users", list.toString(), "--out",
                list.toString()).err().contains("the input --users"));
        assertEquals("# two users\n12\n1\n", Files.readString(list));
    }

    // ------------------------------------------------------------------ --users-for

    @Test
    void usersForRanksTheUsersWithoutTheItemByTheirScoreForIt() throws IOException {
        Model model = ModelFile.read(implicit);
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--users-for", "12", "-n", "100");
        List<String> users = items(r.out());
        // Every user without item 12 in training, and no other.
        Set<String> without = new HashSet<>();
        for (int u = 1; u <= USERS; u++) {
            if (!SEEN.get(Integer.toString(u)).contains("12")) {
                without.add(Integer.toString(u));
            }
        }
        assertEquals(without, new HashSet<>(users));
        assertEquals(USERS - SUPPORT.get("12"), users.size());
        assertTrue(r.err().contains("100 asked for, " + users.size() + " returned"), r.err());
        // Best first by the model's own prediction, computed per user here.
        double previous = Double.POSITIVE_INFINITY;
        for (String line : r.out().strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            double score = Double.parseDouble(f[2]);
            assertEquals(model.predict(f[1], "12"), score, 5e-5, line);
            assertTrue(score <= previous, line);
            previous = score;
        }

        MainTest.Run seen = ok("recommend", "--model", implicit.toString(), "--users-for", "12", "-n", "100",
                "--include-seen");
        assertEquals(USERS, items(seen.out()).size());
        assertTrue(seen.err().contains("100 asked for, " + USERS + " returned: no more users"), seen.err());

        String json = ok("recommend", "--model", implicit.toString(), "--users-for", "12", "-n", "3", "--json").out()
                .strip();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.startsWith("{\"item\":\"12\",\"n\":3,\"returned\":3,"), json);
        assertEquals(users.subList(0, 3), jsonItems(json, "user"));

        assertTrue(failure("recommend", "--model", implicit.toString(), "--users-for", "99").err()
                .contains("item '99' is not in the model"));

        // An explicit model's scores are clipped to its scale unless --no-clip, as the other forms' are;
        // the threads do not change the list.
        String clipped = ok("recommend", "--model", explicit.toString(), "--users-for", "2", "--json", "--threads",
                "1").out().strip();
        String raw = ok("recommend", "--model", explicit.toString(), "--users-for", "2", "--json", "--no-clip",
                "--threads", "2").out().strip();
        assertTrue(clipped.contains("\"clipped\":true") && raw.contains("\"clipped\":false"), clipped + raw);
        assertEquals(jsonItems(clipped, "user"), jsonItems(raw, "user"));
        Matcher scores = Pattern.compile("\"score\":([^,]*),\"raw_score\":([^}]*)}").matcher(raw);
        int n = 0;
        while (scores.find()) {
            assertEquals(scores.group(1), scores.group(2), raw);
            n++;
        }
        assertEquals(jsonItems(raw, "user").size(), n);
    }

    @Test
    void usersForAListWritesEachItemsUsersAsCsv() throws IOException {
        Path out = dir.resolve("users-for.csv");
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--users-for", "12,2,nothing,12", "-n", "4",
                "--out", out.toString(), "--json");
        assertTrue(r.err().contains("--users-for names 1 item(s) the model does not know, left out: nothing"),
                r.err());
        String json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.contains("\"items\":2,\"n\":4,\"lines\":8,\"items_with_fewer\":0,"
                + "\"unknown_items\":[\"nothing\"]"), json);
        List<String> lines = Files.readAllLines(out);
        assertEquals("item,user,rank,score", lines.get(0));
        assertEquals(9, lines.size(), lines.toString());
        // Each item's lines, in the order given and once, are the users the one-item form prints.
        Model model = ModelFile.read(implicit);
        for (int q = 0; q < 2; q++) {
            String item = q == 0 ? "12" : "2";
            List<String> printed = items(ok("recommend", "--model", implicit.toString(), "--users-for", item, "-n",
                    "4").out());
            for (int k = 0; k < 4; k++) {
                String[] f = lines.get(1 + 4 * q + k).split(",");
                assertEquals(List.of(item, printed.get(k), Integer.toString(k + 1)), List.of(f[0], f[1], f[2]));
                assertEquals(model.predict(f[1], item), Double.parseDouble(f[3]), 1e-12, lines.get(1 + 4 * q + k));
            }
        }
        // More users than there are: every user without the item, and a note.
        Path many = dir.resolve("users-for-many.csv");
        MainTest.Run all = ok("recommend", "--model", implicit.toString(), "--users-for", "12", "-n", "500", "--out",
                many.toString());
        assertEquals(1 + USERS - SUPPORT.get("12"), Files.readAllLines(many).size());
        assertTrue(all.err().contains("1 of 1 items got fewer"), all.err());
        assertTrue(failure("recommend", "--model", implicit.toString(), "--users-for", "x,y", "--out",
                dir.resolve("none.csv").toString()).err().contains("--users-for: none of the 2 item(s) is in the"
                + " model (x, y)"));
        assertFalse(Files.exists(dir.resolve("none.csv")));
    }

    // ------------------------------------------------------------------ --items

    @Test
    void foldInNeverRecommendsTheGivenItemsAndNamesUnknownOnes() {
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--items", "1,4:3,nosuch,12", "-n", "100",
                "--json");
        String json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.startsWith("{\"items\":[{\"item\":\"1\",\"value\":1.0},{\"item\":\"4\",\"value\":3.0},"
                + "{\"item\":\"12\",\"value\":1.0}],\"unknown_items\":[\"nosuch\"],"), json);
        List<String> got = jsonItems(json, "item");
        assertEquals(ITEMS - 3, got.size(), json);
        assertFalse(got.contains("1") || got.contains("4") || got.contains("12"), got.toString());
        assertTrue(r.err().contains("--items names 1 item(s) the model does not know, left out: nosuch"), r.err());

        MainTest.Run text = ok("recommend", "--model", implicit.toString(), "--items", "1,4", "-n", "3");
        assertEquals(3, text.out().lines().count(), text.out());
    }

    @Test
    void foldInValuesMatterAndBareIdsTakeTheTopOfAnExplicitScale() {
        String m = explicit.toString();
        String low = ok("recommend", "--model", m, "--items", "1:1,2:1,3:1", "-n", "3", "--json", "--no-clip").out();
        String high = ok("recommend", "--model", m, "--items", "1:5,2:5,3:5", "-n", "3", "--json", "--no-clip").out();
        String bare = ok("recommend", "--model", m, "--items", "1,2,3", "-n", "3", "--json", "--no-clip").out();
        assertNotEquals(low.substring(low.indexOf("\"recommendations\"")),
                high.substring(high.indexOf("\"recommendations\"")));
        // The explicit model was trained on 1..5: a bare id stands for 5.
        assertEquals(high.substring(high.indexOf("\"recommendations\"")),
                bare.substring(bare.indexOf("\"recommendations\"")));
        assertTrue(bare.contains("{\"item\":\"1\",\"value\":5.0}"), bare);
    }

    @Test
    void foldInWrongListsExitTwoAndNoKnownItemExitsOne() {
        String m = implicit.toString();
        assertTrue(usage("recommend", "--model", m, "--items", "").err().contains("--items needs a value"));
        assertTrue(usage("recommend", "--model", m, "--items", " , ").err()
                .contains("--items has an empty element in ' , '"));
        assertTrue(usage("recommend", "--model", m, "--items", "1,2,1").err().contains("names item 1 twice"));
        assertTrue(usage("recommend", "--model", m, "--items", "1:").err().contains("has a colon but no value"));
        assertTrue(usage("recommend", "--model", m, "--items", "1:NaN").err()
                .contains("--items value of item 1 must be a finite number but was NaN"));
        assertTrue(usage("recommend", "--model", m, "--items", "1:-2").err()
                .contains("must be at least 0 for an implicit model"));
        MainTest.Run none = failure("recommend", "--model", m, "--items", "x,y", "--json");
        assertTrue(none.err().contains("--items: none of the 2 item(s) is in the model (x, y)"), none.err());
        assertTrue(none.out().contains("\"exit_code\":1"), none.out());
        // A value that is not a number makes the entry one id, and the message says so.
        assertTrue(failure("recommend", "--model", m, "--items", "1:abc").err()
                .contains("(1:abc); give items the model was trained on (an entry whose text after its last ':'"));
        // An implicit 0 is no preference, as in training: zeros alone are nothing to fold in.
        assertTrue(usage("recommend", "--model", m, "--items", "1:0,2:0,x:3").err()
                .contains("--items gives every known item the value 0"));
        ok("recommend", "--model", m, "--items", "1:0,2:1");
        // An explicit model's fold-in values must be ratings on its scale (1..5 here).
        String e = explicit.toString();
        for (String bad : new String[] {"1:9", "1:0.5", "1:-3", "1:1e300"}) {
            assertTrue(usage("recommend", "--model", e, "--items", bad + ",2:4").err()
                    .contains("must be a rating on the model's scale 1..5 but was"), bad);
        }
        ok("recommend", "--model", e, "--items", "1:1,2:5");
    }

    // ------------------------------------------------------------------ titles, help, clipping

    @Test
    void titlesAppearAsAColumnAndAJsonField() throws IOException {
        Path titles = Files.writeString(dir.resolve("movies.csv"),
                "movieId,title,genres\n1,\"One, The\",x\n2,Two,x\n3,Three,x\n4,Four,x\n5,Five,x\n6,Six,x\n7,Seven,x\n"
                        + "8,Eight,x\n9,Nine,x\n10,Ten,x\n11,Eleven,x\n12,Twelve,x\n13,Thirteen,x\n14,Fourteen,x\n");
        MainTest.Run text = ok("recommend", "--model", implicit.toString(), "--user", "3", "-n", "100",
                "--include-seen", "--items-file", titles.toString());
        assertTrue(text.out().contains("  One, The\n") && text.out().contains("  Ten\n"), text.out());
        // Item 15 has no title in the file: a dash.
        assertTrue(text.out().lines().anyMatch(l -> l.trim().split("\\s+")[1].equals("15") && l.endsWith("  -")),
                text.out());
        MainTest.Run json = ok("recommend", "--model", implicit.toString(), "--user", "3", "--include-seen",
                "--allow", "1,15", "--items-file", titles.toString(), "--json");
        assertTrue(json.out().contains("\"item\":\"1\",") && json.out().contains("\"title\":\"One, The\"")
                && json.out().contains("\"title\":null"), json.out());

        Path out = dir.resolve("titled.csv");
        ok("recommend", "--model", implicit.toString(), "--all", "--include-seen", "--allow", "1", "--out",
                out.toString(), "--items-file", titles.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,item,rank,score,title", lines.get(0));
        assertTrue(lines.get(1).endsWith(",\"One, The\""), lines.get(1));

        Path foreign = Files.writeString(dir.resolve("foreign.dat"), "100::Hundred::x\n");
        assertTrue(ok("recommend", "--model", implicit.toString(), "--user", "3", "--items-file", foreign.toString())
                .err().contains("has a title for none of the items shown"));
        // --all writes a title column: the same warning when it would be empty for every item.
        assertTrue(ok("recommend", "--model", implicit.toString(), "--all", "--out", dir.resolve("foreign.csv").toString(),
                "--items-file", foreign.toString()).err().contains("has a title for none of the model's items"));
        assertFalse(ok("recommend", "--model", implicit.toString(), "--all", "--out", dir.resolve("own.csv").toString(),
                "--items-file", titles.toString()).err().contains("has a title for none"));
        assertTrue(failure("recommend", "--model", implicit.toString(), "--user", "3", "--items-file",
                dir.resolve("absent.csv").toString()).err().contains("absent.csv: file not found"));
    }

    @Test
    void implicitScoresAreNeverClipped() {
        // Trained on pairs (every value 1): clipping to 1..1 would print 1 for everything.
        MainTest.Run p = ok("predict", "--model", implicit.toString(), "--user", "3", "--item", "1", "--json");
        assertTrue(p.out().contains("\"clipped\":false"), p.out());
        Matcher m = Pattern.compile("\"prediction\":([^,]+),\"raw_prediction\":([^,]+),").matcher(p.out());
        assertTrue(m.find(), p.out());
        assertEquals(m.group(2), m.group(1));
        assertNotEquals(1.0, Double.parseDouble(m.group(1)));
        MainTest.Run r = ok("recommend", "--model", implicit.toString(), "--user", "3", "--json");
        Matcher s = Pattern.compile("\"score\":([^,]+),\"raw_score\":([^,}]+)").matcher(r.out());
        int seen = 0;
        while (s.find()) {
            assertEquals(s.group(2), s.group(1));
            seen++;
        }
        assertTrue(seen > 0, r.out());
        assertFalse(r.err().contains("clip"), r.err());
    }

    @Test
    void helpListsTheNewCommandsAndFlags() {
        String usage = ok("help").out();
        assertTrue(usage.contains("  similar ") && usage.contains("  export ") && usage.contains("  recommend "), usage);
        String rec = ok("help", "recommend").out();
        for (String flag : new String[] {"--all", "--users ", "--users-for", "--items ", "--out", "--threads", "--include-seen", "--allow",
            "--deny", "--min-support", "--items-file", "--no-clip", "-n, --n"}) {
            assertTrue(rec.contains(flag), flag + " in " + rec);
        }
        String sim = ok("similar", "--help").out();
        assertTrue(sim.contains("--item ") && sim.contains("--user") && sim.contains("--items-file"), sim);
        assertTrue(ok("export", "--help").out().contains("--out DIR"));
    }
}
