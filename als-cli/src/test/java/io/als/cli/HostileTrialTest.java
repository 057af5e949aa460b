package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases a hostile trial from a fresh clone found (2026-12-01, third session): pipes read once,
 * links to nowhere refused before the work, an export that would have removed its own model,
 * thread counts that filled the heap, and list flags checked late or with the wrong exit code.
 */
class HostileTrialTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static Path implicitModel;

    @BeforeAll
    static void train() throws IOException {
        data = FileSafetyTest.ratings(dir);
        model = dir.resolve("e.als");
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", model.toString(), "--rank", "2",
                "--iterations", "2", "--samples", "0", "--lambda", "0.1", "--biased", "false", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        implicitModel = dir.resolve("i.als");
        r = MainTest.run("train", "--data", data.toString(), "--out", implicitModel.toString(), "--rank", "2",
                "--iterations", "2", "--implicit", "true", "--threads", "1");
        assertEquals(0, r.code(), r.err());
    }

    /** A named pipe with a thread that writes {@code bytes} into it once. */
    private static Path pipe(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.deleteIfExists(p);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assumeTrue(mk.waitFor() == 0, "needs mkfifo");
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(p)) {
                out.write(bytes);
            } catch (IOException e) {
                // the reader went away: the test's assertion says what happened
            }
        });
        writer.setDaemon(true);
        writer.start();
        return p;
    }

    private static void usage(MainTest.Run r, String... fragments) {
        assertEquals(Main.USAGE, r.code(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
    }

    @Test
    void aModelFromAPipeIsReadOnceByEveryCommand() throws Exception {
        byte[] bytes = Files.readAllBytes(model);
        MainTest.Run info = MainTest.run("info", "--model", pipe("m1", bytes).toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("format version") && info.out().contains(bytes.length + " bytes"), info.out());
        MainTest.Run predict = MainTest.run("predict", "--model", pipe("m2", bytes).toString(), "--user", "1", "--item",
                "2");
        assertEquals(0, predict.code(), predict.err());
        assertEquals(MainTest.run("predict", "--model", model.toString(), "--user", "1", "--item", "2").out(),
                predict.out());
    }

    /** The flag check reads --config before the command does: a pipe's settings must reach the fit. */
    @Test
    void aConfigFromAPipeIsUsedNotIgnored() throws Exception {
        Path config = pipe("c1", "als.rank = 3\n".getBytes());
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", dir.resolve("c.als").toString(),
                "--iterations", "1", "--samples", "0", "--lambda", "0.1", "--config", config.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"rank\":3"), r.out());
    }

    @Test
    void aFolderThroughALinkToNowhereIsRefusedBeforeTheWork() throws IOException {
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nothing-here"));
        usage(MainTest.run("cv", "--data", data.toString(), "--rank", "2", "--iterations", "1", "--samples", "0",
                "--lambda", "0.1", "--folds", "2", "--report", dangling.toString()),
                "--report " + dangling + ": is a symbolic link to " + dir.resolve("nothing-here") + ", which does not"
                        + " exist");
        usage(MainTest.run("export", "--model", model.toString(), "--out", dangling.resolve("sub").toString()),
                "--out " + dangling.resolve("sub") + ": " + dangling + " is a symbolic link");
        assertTrue(Files.isSymbolicLink(dangling) && !Files.exists(dir.resolve("nothing-here")));
    }

    /** Export removes the names an earlier export wrote that this model has none of: never the model itself. */
    @Test
    void exportNeverRemovesItsOwnModel() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("exported"));
        // A plain model has no biases, so an export removes user_biases.csv from the folder.
        Path copy = Files.copy(model, folder.resolve("user_biases.csv"));
        usage(MainTest.run("export", "--model", copy.toString(), "--out", folder.toString()),
                copy + " is the model file --model " + copy + ", which this export would remove");
        assertTrue(Files.isRegularFile(copy));
        assertEquals(-1, Files.mismatch(copy, model));
    }

    /** Each thread keeps a workspace: the count is capped as a fit's is, not taken at its word. */
    @Test
    void recommendCapsItsThreads() {
        MainTest.Run r = MainTest.run("recommend", "--model", model.toString(), "--all", "--out",
                dir.resolve("all.csv").toString(), "--include-seen", "-n", "2", "--threads", "2147483647", "--json");
        assertEquals(0, r.code(), r.err());
        int threads = (int) CvCommandTest.number(r.out(), "threads");
        assertTrue(threads >= 1 && threads <= 4 * Runtime.getRuntime().availableProcessors(), r.out());
        // cv reports the threads its fits use, not the number asked for.
        MainTest.Run cv = MainTest.run("cv", "--data", data.toString(), "--rank", "2", "--iterations", "1", "--samples",
                "0", "--lambda", "0.1", "--folds", "2", "--threads", "2147483647", "--json");
        assertEquals(0, cv.code(), cv.err());
        assertEquals(4 * Runtime.getRuntime().availableProcessors(), (int) CvCommandTest.number(cv.out(), "threads"));
    }

    @Test
    void listFlagsAreCheckedBeforeTheModelIsRead() {
        String missing = dir.resolve("missing.als").toString();
        usage(MainTest.run("recommend", "--model", missing, "--user", "1", "--allow", "1,,2"),
                "--allow has an empty element");
        usage(MainTest.run("recommend", "--model", missing, "--user", "1", "--deny", "1,"), "--deny has an empty element");
        usage(MainTest.run("recommend", "--model", missing, "--items", "1,,2"), "--items has an empty element");
    }

    @Test
    void foldInEntriesAreCheckedAsCommandLineValues() {
        String m = model.toString();
        // Two spellings of one numeric id: a command-line mistake, exit 2, naming --items.
        usage(MainTest.run("recommend", "--model", m, "--items", "2,02"), "--items names item 2 twice (as 2 and 02)");
        // Beyond what training takes: refused as training refuses it, not left to fail as a singular system.
        usage(MainTest.run("recommend", "--model", implicitModel.toString(), "--items", "2:1e12,3"),
                "--items value of item 2 must be at most 1.0E9 in size");
        // Java's number suffixes and hex are not numbers of a data file: the entry is read as one id.
        MainTest.Run suffix = MainTest.run("recommend", "--model", m, "--items", "2:4d,3");
        assertEquals(0, suffix.code(), suffix.err());
        assertTrue(suffix.err().contains("1 item(s) the model does not know, left out: 2:4d"), suffix.err());
    }

    /**
     * Ids that hold a comma, a # or spaces at their ends (CSV ratings files can hold them) are
     * named in double quotes in --allow, --deny and --items, inline and in a list file.
     */
    @Test
    void listFlagsTakeQuotedIds() throws IOException {
        Path odd = Files.writeString(dir.resolve("odd.csv"), "u1,\"i,2\",5\nu1,\" s \",4\nu1,a#b,3\nu2,\"i,2\",4\n"
                + "u2,x,2\nu3,x,5\nu3,\" s \",1\nu3,a#b,4\nu4,x,3\nu4,a#b,2\n");
        Path m = dir.resolve("odd.als");
        MainTest.Run t = MainTest.run("train", "--data", odd.toString(), "--out", m.toString(), "--rank", "2",
                "--iterations", "2", "--samples", "0", "--lambda", "0.1", "--threads", "1");
        assertEquals(0, t.code(), t.err());
        String[] all = {"recommend", "--model", m.toString(), "--user", "u4", "--include-seen", "-n", "10"};
        MainTest.Run denied = MainTest.run(RankingCommandTest.concat(all, "--deny", "\"i,2\",\" s \",\"a#b\""));
        assertEquals(0, denied.code(), denied.err());
        assertEquals(1, denied.out().strip().lines().count(), denied.out());
        assertTrue(denied.out().contains(" x "), denied.out());
        Path list = Files.writeString(dir.resolve("deny.txt"), "\"i,2\"  # the comma one\n\" s \"\n\"a#b\"\n");
        MainTest.Run fromFile = MainTest.run(RankingCommandTest.concat(all, "--deny", list.toString()));
        assertEquals(denied.out(), fromFile.out());
        MainTest.Run allowed = MainTest.run(RankingCommandTest.concat(all, "--allow", "\" s \""));
        assertTrue(allowed.out().contains(" s "), allowed.out());
        MainTest.Run folded = MainTest.run("recommend", "--model", m.toString(), "--items", "\"i,2\":5,\" s \"", "--json");
        assertEquals(0, folded.code(), folded.err());
        assertTrue(folded.out().contains("\"items\":[{\"item\":\"i,2\",\"value\":5.0},{\"item\":\" s \",\"value\":5.0}]"),
                folded.out());
        usage(MainTest.run("recommend", "--model", m.toString(), "--items", "\"i,2"), "--items has a quote that is not"
                + " closed");
        usage(MainTest.run("recommend", "--model", m.toString(), "--user", "u1", "--deny", "\"x\"y"),
                "--deny has 'y' after the quoted id \"x\"");
    }

    /** An id that starts with -- is named after =, which says it is the value, not a flag. */
    @Test
    void anIdThatLooksLikeAFlagIsGivenAfterEquals() throws IOException {
        Path data2 = Files.writeString(dir.resolve("dashes.csv"), "--x,1,5\n--x,2,3\nu,1,4\nu,3,2\nv,2,4\nv,3,5\n");
        Path m = dir.resolve("dashes.als");
        MainTest.Run t = MainTest.run("train", "--data", data2.toString(), "--out", m.toString(), "--rank", "2",
                "--iterations", "2", "--samples", "0", "--lambda", "0.1", "--threads", "1");
        assertEquals(0, t.code(), t.err());
        MainTest.Run r = MainTest.run("predict", "--model", m.toString(), "--user=--x", "--item", "3");
        assertEquals(0, r.code(), r.err());
        usage(MainTest.run("predict", "--model", m.toString(), "--user", "--x", "--item", "3"),
                "--user needs a value (U) but was given '--x', which is a flag; write --user=--x if that is the value");
    }

    /** Found by a second hostile trial, on this session's own changes. */
    @Test
    void quotedListEntriesAreStrict() throws IOException {
        String m = model.toString();
        // After a quoted id only :NUMBER may follow.
        for (String junk : new String[] {"\"2\":garbage:4", "\"2\"::4", "\"2\":4:5"}) {
            usage(MainTest.run("recommend", "--model", m, "--items", junk), "--items value of item 2 must be a number");
        }
        // An empty quoted id is an empty element.
        usage(MainTest.run("recommend", "--model", m, "--user", "1", "--deny", "\"\",2"), "--deny has an empty element");
        // A / decides per entry: quoted it is an id, unquoted a file that is not there.
        MainTest.Run slash = MainTest.run("recommend", "--model", m, "--user", "1", "--deny", "2,\"x/y\"");
        assertEquals(0, slash.code(), slash.err());
        MainTest.Run path = MainTest.run("recommend", "--model", m, "--user", "1", "--deny", "\"2\",x/y");
        assertEquals(1, path.code(), path.err());
        assertTrue(path.err().contains("x/y: file not found (an id that holds a / goes in double quotes)"), path.err());
        // A list file's unclosed quote is the file's fault (exit 1), not the command line's.
        Path open = Files.writeString(dir.resolve("open.txt"), "\"2\n");
        MainTest.Run bad = MainTest.run("recommend", "--model", m, "--user", "1", "--deny", open.toString());
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.err().contains(":1 has a quote that is not closed"), bad.err());
        // Control characters of an unknown id are escaped in the note; a long id is cut.
        MainTest.Run note = MainTest.run("recommend", "--model", m, "--user", "1", "--deny", "2,zz\u001b[2J," + "w".repeat(500));
        assertEquals(0, note.code(), note.err());
        assertTrue(note.err().contains("zz\\u001b[2J") && !note.err().contains("\u001b")
                && note.err().contains("w".repeat(60) + "...") && !note.err().contains("w".repeat(61)), note.err());
        // A value too small for a double is not 0 without a word.
        usage(MainTest.run("recommend", "--model", implicitModel.toString(), "--items", "2:1e-400,3"),
                "--items value of item 2 must be 0 or at least 4.9E-324 in size");
    }

    /** Java's number syntax (4d, 0x1p2) is no number of any flag or config key. */
    @Test
    void flagNumbersAreDecimal() throws IOException {
        String[] train = {"train", "--data", data.toString(), "--out", dir.resolve("n.als").toString(), "--rank", "2",
            "--iterations", "1", "--samples", "0"};
        usage(MainTest.run(RankingCommandTest.concat(train, "--lambda", "0x1p2")), "lambda must be a number or auto"
                + " but was '0x1p2'");
        usage(MainTest.run(RankingCommandTest.concat(train, "--lambda", "4F")), "lambda must be a number or auto");
        usage(MainTest.run(RankingCommandTest.concat(train, "--lambda", "0.1", "--scale", "0x1p0..5")), "--scale");
        usage(MainTest.run("cv", "--data", data.toString(), "--holdout", "0x1p-2"), "--holdout must be a number but"
                + " was '0x1p-2'");
        usage(MainTest.run("tune", "--data", data.toString(), "--lambda", "4d,0.5"), "--lambda must be a number or auto"
                + " but was '4d'");
        Path config = Files.writeString(dir.resolve("hex.properties"), "als.lambda = 0x1p2\n");
        usage(MainTest.run(RankingCommandTest.concat(train, "--config", config.toString())), "als.lambda");
    }
}
