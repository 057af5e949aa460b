package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code als update}: users of a file of new interactions refit against the fixed item
 * factors, new users added, the rest of the model unchanged; and its wrong inputs. The refit
 * rows are checked against fold-in ({@code recommend --items}), which solves the same system
 * for a user given the same items.
 */
class UpdateCommandTest {
    @TempDir
    static Path dir;
    static Path implicit;
    static Path explicit;

    @BeforeAll
    static void train() throws IOException {
        StringBuilder pairs = new StringBuilder();
        StringBuilder ratings = new StringBuilder();
        for (int u = 1; u <= 20; u++) {
            for (int i = 1; i <= 15; i++) {
                if ((u * 7 + i * 3) % 5 != 0 && (i <= 10 || u % (i - 9) == 0)) {
                    pairs.append(u).append(',').append(i).append('\n');
                    ratings.append(u).append(',').append(i).append(',').append(1 + (u + 2 * i) % 5).append('\n');
                }
            }
        }
        implicit = dir.resolve("implicit.als");
        explicit = dir.resolve("explicit.als");
        RecommendCommandTest.ok("train", "--data", Files.writeString(dir.resolve("pairs.csv"), pairs).toString(),
                "--implicit", "true", "--rank", "4", "--iterations", "8", "--alpha", "5", "--solve", "cholesky",
                "--out", implicit.toString(), "--threads", "1");
        RecommendCommandTest.ok("train", "--data", Files.writeString(dir.resolve("ratings.csv"), ratings).toString(),
                "--rank", "3", "--samples", "0", "--lambda", "0.5", "--iterations", "8", "--out", explicit.toString(),
                "--threads", "1");
    }

    @Test
    void aNewUsersRowIsItsFoldInAndOtherUsersAndItemsKeepTheirs() throws IOException {
        Path data = Files.writeString(dir.resolve("new.csv"), "21,2\n21,5\n21,99\n21,14\n3,14\n");
        Path out = dir.resolve("updated.als");
        MainTest.Run r = RecommendCommandTest.ok("update", "--model", implicit.toString(), "--data", data.toString(),
                "--out", out.toString());
        assertTrue(r.out().contains("refit 2 user(s) (1 new) from 4 interaction(s); 21 users in all"), r.out());
        assertTrue(r.err().contains("names 1 item(s) the model does not know, left out (new items need a full"
                + " 'train'): 99"), r.err());
        Model before = ModelFile.read(implicit);
        Model after = ModelFile.read(out);
        assertEquals(21, after.userIds().size());
        // Items and untouched users keep their factors exactly.
        for (String item : List.of("1", "7", "15")) {
            for (String user : List.of("1", "10", "20")) {
                assertEquals(before.predict(user, item), after.predict(user, item), 0.0, user + "," + item);
            }
        }
        // The new user: the same list as fold-in from the same (known) items gives.
        String folded = RecommendCommandTest.ok("recommend", "--model", implicit.toString(), "--items", "2,5,14",
                "-n", "5").out();
        String updated = RecommendCommandTest.ok("recommend", "--model", out.toString(), "--user", "21", "-n", "5")
                .out();
        assertEquals(RecommendCommandTest.items(folded), RecommendCommandTest.items(updated));
        assertEquals(scores(folded), scores(updated), 1e-9);
        // User 3 now has item 14 in training: never recommended back, and its row moved.
        assertFalse(RecommendCommandTest.items(RecommendCommandTest.ok("recommend", "--model", out.toString(),
                "--user", "3", "-n", "20").out()).contains("14"));
        assertNotEquals(before.predict("3", "1"), after.predict("3", "1"));
        assertArrayEquals(Files.readAllBytes(implicit), Files.readAllBytes(dir.resolve("implicit.als")),
                "the --model file is never changed");
        // The model says it was updated, and from what.
        assertTrue(RecommendCommandTest.ok("info", "--model", out.toString()).out()
                .contains("pairs.csv, updated from new.csv (21 users"));
        assertEquals(before.trainingInfo().orElseThrow().source() + ", updated from new.csv",
                after.trainingInfo().orElseThrow().source());
    }

    /**
     * Updates {@code model} from {@code repeated} under {@code --duplicates policy}, and from a
     * file of the one line {@code merged}; the user's row must be the same in both (the model
     * files differ only in the name of the data each was updated from). Returns the first.
     */
    private static Model mergedLikeOneLine(Path model, Path repeated, String policy, String merged, String user)
            throws IOException {
        String name = policy + "-" + model.getFileName();
        RecommendCommandTest.ok("update", "--model", model.toString(), "--data", repeated.toString(), "--duplicates",
                policy, "--out", dir.resolve(name).toString());
        Path single = Files.writeString(dir.resolve(name + ".csv"), merged + "\n");
        RecommendCommandTest.ok("update", "--model", model.toString(), "--data", single.toString(), "--out",
                dir.resolve(name + "-single").toString());
        Model updated = ModelFile.read(dir.resolve(name));
        assertSameRow(ModelFile.read(dir.resolve(name + "-single")), updated, user);
        return updated;
    }

    /** User {@code user} scores every item (1 to 15) exactly alike in both models. */
    private static void assertSameRow(Model expected, Model actual, String user) {
        for (int i = 1; i <= 15; i++) {
            assertEquals(expected.predict(user, Integer.toString(i)), actual.predict(user, Integer.toString(i)), 0.0,
                    "user " + user + ", item " + i);
        }
    }

    /** The scores of text output, summed: equal lists have equal sums to rounding. */
    private static double scores(String out) {
        return out.lines().mapToDouble(l -> Double.parseDouble(l.trim().split("\\s+")[2])).sum();
    }

    @Test
    void theThreadsDoNotChangeTheModelAndJsonIsOneObject() throws IOException {
        Path data = Files.writeString(dir.resolve("more.csv"), "1,12\n2,13\n4,11\n22,1\n22,3\n");
        Path one = dir.resolve("one.als");
        Path two = dir.resolve("two.als");
        RecommendCommandTest.ok("update", "--model", implicit.toString(), "--data", data.toString(), "--out",
                one.toString(), "--threads", "1");
        MainTest.Run r = RecommendCommandTest.ok("update", "--model", implicit.toString(), "--data", data.toString(),
                "--out", two.toString(), "--threads", "2", "--json");
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        String json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        assertTrue(json.contains("\"interactions\":5,\"refit_users\":4,\"new_users\":1,\"users\":21,"
                + "\"unknown_items\":[],\"users_left_out\":[]"), json);

        // A user whose every item is unknown is neither refit nor added, and says so.
        Path lost = Files.writeString(dir.resolve("lost.csv"), "1,12\n6000,99\n6000,98\n");
        MainTest.Run l = RecommendCommandTest.ok("update", "--model", implicit.toString(), "--data", lost.toString(),
                "--out", dir.resolve("lost.als").toString(), "--json");
        assertTrue(l.out().contains("\"new_users\":0,\"users\":20,\"unknown_items\":[\"98\",\"99\"],"
                + "\"users_left_out\":[\"6000\"]"), l.out());
        assertTrue(l.err().contains("1 user(s) of " + lost + " have no item the model knows, so they are neither"
                + " refit nor added: 6000"), l.err());
    }

    @Test
    void anExplicitModelTakesRatingsOnItsScaleInTheFormatGiven() throws IOException {
        Path data = Files.writeString(dir.resolve("new-ratings.txt"), "3;1;5\n3;2;1\n3;4;2\n");
        Path out = dir.resolve("explicit-updated.als");
        RecommendCommandTest.ok("update", "--model", explicit.toString(), "--data", data.toString(), "--format",
                "delim:;", "--out", out.toString());
        Model before = ModelFile.read(explicit);
        Model after = ModelFile.read(out);
        assertEquals(before.userIds().size(), after.userIds().size());
        assertNotEquals(before.predict("3", "1"), after.predict("3", "1"));
        assertEquals(before.predict("4", "1"), after.predict("4", "1"), 0.0);
        // Without --format the ';' file cannot be read.
        assertTrue(RecommendCommandTest.failure("update", "--model", explicit.toString(), "--data", data.toString(),
                "--out", dir.resolve("x.als").toString()).err().contains(data + ":1: cannot tell the format"),
                "a ';' file without --format");

        Path off = Files.writeString(dir.resolve("off-scale.csv"), "3,1,9\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", explicit.toString(), "--data", off.toString(),
                "--out", dir.resolve("x.als").toString()).err()
                .contains(off + ":1: rating must be on the scale 1..5 the model was trained on but was 9"));
        // Under --duplicates last the line named is the one whose rating is off, not the pair's first.
        Path offLater = Files.writeString(dir.resolve("off-later.csv"), "3,1,4\n3,1,9\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", explicit.toString(), "--data",
                offLater.toString(), "--duplicates", "last", "--out", dir.resolve("x.als").toString()).err()
                .contains(offLater + ":2: rating must be on the scale"));
        Path twice = Files.writeString(dir.resolve("twice.csv"), "3,1,4\n3,1,2\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", explicit.toString(), "--data", twice.toString(),
                "--out", dir.resolve("x.als").toString()).err().contains(twice + ":2:"), "a repeated pair");
        // Ids spelt two ways are one pair of the model: refused with the line, whatever --duplicates says.
        Path spelt = Files.writeString(dir.resolve("spelt.csv"), "7,1,4\n007,1,2\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", explicit.toString(), "--data", spelt.toString(),
                "--duplicates", "last", "--out", dir.resolve("x.als").toString()).err().contains(spelt
                + ":2: user 7 and item 1 (line 1) and user 007 and item 1 are the same pair of the model, with ids spelt"
                + " two ways"));
        // --duplicates last keeps the last value (4 then 2: 2), as train does; mean their mean (3).
        Model last = mergedLikeOneLine(explicit, twice, "last", "3,1,2", "3");
        assertNotEquals(before.predict("3", "1"), last.predict("3", "1"));
        Model mean = mergedLikeOneLine(explicit, twice, "mean", "3,1,3", "3");
        assertNotEquals(last.predict("3", "1"), mean.predict("3", "1"));
        assertTrue(RecommendCommandTest.usage("update", "--model", explicit.toString(), "--data", twice.toString(),
                "--duplicates", "sum", "--out", dir.resolve("x.als").toString()).err().contains("--duplicates sum"));
        assertFalse(Files.exists(dir.resolve("x.als")));
    }

    /** --duplicates sum on an implicit model adds repeated counts: two lines of 1 are one line of 2. */
    @Test
    void anImplicitModelsRepeatedCountsAddUnderSum() throws IOException {
        Path repeated = Files.writeString(dir.resolve("repeated.csv"), "1,12,1\n1,12,1\n");
        mergedLikeOneLine(implicit, repeated, "sum", "1,12,2", "1");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data",
                repeated.toString(), "--out", dir.resolve("x.als").toString()).err().contains(repeated + ":2:"),
                "repeated without a policy");
    }

    @Test
    void wrongInputsAreNamedAndWriteNothing() throws IOException {
        Path data = Files.writeString(dir.resolve("some.csv"), "1,12\n");
        byte[] model = Files.readAllBytes(implicit);
        assertTrue(RecommendCommandTest.usage("update", "--model", implicit.toString(), "--data", data.toString(),
                "--out", implicit.toString()).err().contains("is the same file as the input --model"));
        assertArrayEquals(model, Files.readAllBytes(implicit));
        assertTrue(RecommendCommandTest.usage("update", "--model", implicit.toString(), "--out",
                dir.resolve("x.als").toString()).err().contains("'update' needs --data FILE"));
        assertTrue(RecommendCommandTest.usage("update", "--model", implicit.toString(), "--data", "synthetic",
                "--out", dir.resolve("x.als").toString()).err().contains("'update' needs --data FILE"));
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "1,77\n2,78\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data", unknown.toString(),
                "--out", dir.resolve("x.als").toString()).err().contains("none of the 2 item(s) is in the model (77, 78)"));
        // Errors of a line name it, found by the user and item in the file (a header above).
        Path text = Files.writeString(dir.resolve("text-user.csv"), "user,item\n1,2\n5000,3\nnewbie,4\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data", text.toString(),
                "--out", dir.resolve("x.als").toString()).err().contains(text + ":4: user id 'newbie' is not a whole"
                + " number, but the model's user ids are"));
        // The line named is the user's first with a known item, not its unknown item's.
        Path zeros = Files.writeString(dir.resolve("zeros.csv"), "1,2,1\n7000,99,1\n7000,3,0\n7000,4,0\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data", zeros.toString(),
                "--out", dir.resolve("x.als").toString()).err().contains(zeros + ":3: new user 7000 has only values"
                + " of 0"));
        Path negative = Files.writeString(dir.resolve("negative.csv"), "1,2,-1\n");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data",
                negative.toString(), "--out", dir.resolve("x.als").toString()).err().contains(negative + ":1:"),
                "a negative implicit value");
        assertTrue(RecommendCommandTest.failure("update", "--model", implicit.toString(), "--data",
                dir.resolve("missing.csv").toString(), "--out", dir.resolve("x.als").toString()).err()
                .contains("missing.csv"), "a missing file");
        assertFalse(Files.exists(dir.resolve("x.als")));
        assertTrue(RecommendCommandTest.ok("help").out().contains("  update "));
    }
}
