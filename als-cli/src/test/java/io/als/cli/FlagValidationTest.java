package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad flag value exits 2, names its flag, and is found before any data or model is
 * read: the data and model files named here do not exist, so reading them first would fail
 * with exit 1 and "file not found" instead.
 */
class FlagValidationTest {
    /** Neither exists: a command that read its input before checking its flags would say so. */
    static final String NO_DATA = "/nonexistent-als-dir/ratings.data";
    static final String NO_MODEL = "/nonexistent-als-dir/model.als";

    @TempDir
    Path dir;

    static Stream<Arguments> badFlags() {
        String[] train = {"train", "--data", NO_DATA, "--out", "/nonexistent-als-dir/out.als"};
        String[] cv = {"cv", "--data", NO_DATA};
        String[] tune = {"tune", "--data", NO_DATA};
        String[] predict = {"predict", "--model", NO_MODEL, "--user", "1", "--item", "1"};
        String[] recommend = {"recommend", "--model", NO_MODEL, "--user", "1"};
        List<Arguments> cases = new ArrayList<>();
        for (String[] base : List.of(train, cv)) {
            for (String[] bad : List.of(
                    new String[] {"--rank", "0"}, new String[] {"--rank", "abc"}, new String[] {"--lambda", "-1"},
                    new String[] {"--threads", "0"}, new String[] {"--biased", "maybe"},
                    new String[] {"--regularizer", "foo"}, new String[] {"--solver", "nosuch"},
                    new String[] {"--init", "foo"}, new String[] {"--samples", "-1"}, new String[] {"--noise", "0"},
                    new String[] {"--noise", "loud"}, new String[] {"--lambda", "often"},
                    new String[] {"--validation", "0.7"}, new String[] {"--compress", "maybe"},
                    new String[] {"--duplicates", "foo"}, new String[] {"--scale", "5..1"},
                    new String[] {"--iterations", "0"}, new String[] {"--tolerance", "-0.5"},
                    new String[] {"--seed", "1.5"}, new String[] {"--format", "delim:,:headr"},
                    new String[] {"--format", "delim:,:cols=-1,1,2"}, new String[] {"--data", "synthetic:rank=0"},
                    new String[] {"--config", "/nonexistent-als-dir/als.properties"})) {
                cases.add(Arguments.of(concat(base, bad), bad[0]));
            }
        }
        cases.add(Arguments.of(concat(train, "--out", "--quiet"), "--out"));
        cases.add(Arguments.of(concat(cv, "--holdout", "1.5"), "--holdout"));
        cases.add(Arguments.of(concat(cv, "--holdout", "0"), "--holdout"));
        cases.add(Arguments.of(concat(cv, "--folds", "1"), "--folds"));
        cases.add(Arguments.of(concat(cv, "--cold-start", "foo"), "--cold-start"));
        cases.add(Arguments.of(concat(cv, "--split-names", "u[1-"), "--split-names"));
        cases.add(Arguments.of(concat(tune, "--rank", "10,0"), "--rank"));
        cases.add(Arguments.of(concat(tune, "--lambda", "0.1,abc"), "--lambda"));
        // A non-zero number too small for a double would read as 0: refused, as a flag and in a list.
        cases.add(Arguments.of(concat(train, "--lambda", "1e-400"), "--lambda"));
        cases.add(Arguments.of(concat(cv, "--tolerance", "1e-400"), "--tolerance"));
        cases.add(Arguments.of(concat(tune, "--lambda", "0.1,1e-400"), "--lambda"));
        cases.add(Arguments.of(concat(tune, "--held-out", "1"), "--held-out"));
        cases.add(Arguments.of(concat(tune, "--folds", "1"), "--folds"));
        cases.add(Arguments.of(concat(tune, "--solver", "nosuch"), "--solver"));
        cases.add(Arguments.of(concat(tune, "--biased", "maybe"), "--biased"));
        cases.add(Arguments.of(concat(recommend, "-n", "-3"), "-n"));
        cases.add(Arguments.of(concat(recommend, "-n", "abc"), "-n"));
        cases.add(Arguments.of(concat(predict, "--json", "--user", "--item"), "--user"));
        cases.add(Arguments.of(concat(train, "--out", "bad\0name"), "--out"));
        cases.add(Arguments.of(new String[] {"reference", "--threads", "0"}, "--threads"));
        cases.add(Arguments.of(new String[] {"reference", "--solver", "nosuch"}, "--solver"));
        cases.add(Arguments.of(new String[] {"solvers", "--solver", ""}, "--solver"));
        cases.add(Arguments.of(new String[] {"fetch", "ml-2m", "--dir", "/nonexistent-als-dir/d"}, "--set"));
        cases.add(Arguments.of(new String[] {"fetch", "ml-1m", "--base-url", "ftp://example.invalid/"}, "--base-url"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void aBadValueExitsTwoNamingItsFlagBeforeAnyInputIsRead(String[] argv, String flag) {
        MainTest.Run r = MainTest.run(argv);
        assertEquals(Main.USAGE, r.code(), String.join(" ", argv) + ": " + r.err());
        String message = r.err().lines().filter(l -> l.startsWith("als: error: ")).findFirst().orElse("");
        assertTrue(message.contains(flag + " ") || message.contains(flag + ":") || message.contains("from " + flag),
                "names " + flag + ": " + r.err());
        assertFalse(message.contains("file not found") && !flag.equals("--config"), "read the input first: " + message);
        assertFalse(message.contains("null"), message);
    }

    @Test
    void everyValueFlagOfEveryCommandRefusesAFlagAsItsValue() {
        int checked = 0;
        for (Command c : Main.commands().values()) {
            for (String flag : c.options().valueFlags()) {
                MainTest.Run r = MainTest.run(c.name(), flag, "--json");
                assertEquals(Main.USAGE, r.code(), c.name() + " " + flag + ": " + r.err());
                assertTrue(r.err().contains(flag + " needs a value") && r.err().contains("'--json', which is a flag"),
                        r.err());
                // A short flag of the command where the value belongs (-n is recommend's count).
                if (c.options().valueFlags().contains("-n") && !flag.equals("-n")) {
                    MainTest.Run shortFlag = MainTest.run(c.name(), flag, "-n", "3");
                    assertEquals(Main.USAGE, shortFlag.code(), c.name() + " " + flag + " -n: " + shortFlag.err());
                    assertTrue(shortFlag.err().contains(flag + " needs a value") && shortFlag.err().contains("'-n', which"
                            + " is a flag of '" + c.name() + "'"), shortFlag.err());
                }
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    @Test
    void aFlagTakenAsTheOutputNameWritesNothing() throws IOException {
        Path data = dir.resolve("r.dat");
        Files.writeString(data, "1::1::5\n1::2::3\n2::1::4\n");
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", "--quiet");
        assertEquals(2, r.code());
        assertEquals("als: error: --out needs a value (MODEL) but was given '--quiet', which is a flag; write"
                + " --out=--quiet if that is the value (see 'als help train')", r.err().strip());
        assertFalse(Files.exists(Path.of("--quiet")));
        assertFalse(Files.exists(dir.resolve("--quiet")));
    }

    @Test
    void messagesReadAsTheFlagMustBe() {
        assertEquals("als: error: --rank must be positive but was 0 (see 'als help train')",
                MainTest.run("train", "--data", NO_DATA, "--out", "m", "--rank", "0").err().strip());
        assertEquals("als: error: --holdout must be above 0 and below 1 but was 1.5 (see 'als help cv')",
                MainTest.run("cv", "--data", NO_DATA, "--holdout", "1.5").err().strip());
        assertEquals("als: error: --format 'delim:,:headr' has an unknown option 'headr'; the options of delim:SEP are"
                + " header and cols=U,I,R (see 'als help train')",
                MainTest.run("train", "--data", NO_DATA, "--out", "m", "--format", "delim:,:headr").err().strip());
        assertEquals("als: error: -n must be at least 1 but was -3 (see 'als help recommend')",
                MainTest.run("recommend", "--model", NO_MODEL, "--user", "1", "-n", "-3").err().strip());
        MainTest.Run json = MainTest.run("cv", "--data", NO_DATA, "--folds", "1", "--json");
        assertEquals("{\"error\":\"--folds must be at least 2 but was 1 (see 'als help cv')\",\"exit_code\":2}",
                json.out().strip());
    }

    @Test
    void badDataAndBadModelsStillExitOne() throws IOException {
        assertEquals(Main.FAILURE, MainTest.run("train", "--data", NO_DATA, "--out", dir.resolve("m").toString()).code());
        assertEquals(Main.FAILURE, MainTest.run("predict", "--model", NO_MODEL, "--user", "1", "--item", "1").code());
        Path bad = dir.resolve("bad.dat");
        Files.writeString(bad, "1::1::5\n1::2::x\n");
        assertEquals(Main.FAILURE, MainTest.run("cv", "--data", bad.toString(), "--holdout", "0.5").code());
    }

    @Test
    void helpForAnUnknownCommandExitsTwoWithTheList() {
        MainTest.Run r = MainTest.run("help", "nosuch");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().startsWith("als: error: there is no command 'nosuch'; commands are [reference, train,"),
                r.err());
        assertTrue(r.err().contains("usage: als COMMAND"), "the list of commands: " + r.err());
        assertEquals(Main.USAGE, MainTest.run("help", "train", "extra").code());
        MainTest.Run all = MainTest.run("help");
        assertEquals(Main.OK, all.code());
        assertTrue(all.out().contains("usage: als COMMAND"), all.out());
        MainTest.Run one = MainTest.run("help", "train");
        assertEquals(Main.OK, one.code());
        assertTrue(one.out().startsWith("usage: als train"), one.out());
        assertEquals(Main.OK, MainTest.run("train", "--help").code());
        // 'als' alone is a wrong command line: its usage goes to stderr, stdout stays empty.
        MainTest.Run none = MainTest.run();
        assertEquals(Main.USAGE, none.code());
        assertTrue(none.out().isEmpty() && none.err().contains("usage: als COMMAND"), none.out() + none.err());
        // With --json, help is one JSON object, and a wrong help line is the usual error object.
        for (String[] argv : new String[][] {{"help", "--json"}, {"help", "train", "--json"}, {"train", "--help",
            "--json"}}) {
            MainTest.Run j = MainTest.run(argv);
            assertEquals(Main.OK, j.code(), j.err());
            String out = j.out().strip();
            assertTrue(out.startsWith("{") && out.endsWith("}") && out.lines().count() == 1
                    && out.contains("\"help\":\"usage: als "), out);
        }
        assertEquals(Main.OK, MainTest.run("help", "--quiet").code());
        assertEquals(Main.OK, MainTest.run("help", "train", "--json", "--quiet").code());
        MainTest.Run bad = MainTest.run("help", "nosuch", "--json");
        assertEquals(Main.USAGE, bad.code());
        assertTrue(bad.out().strip().startsWith("{\"error\":\"there is no command 'nosuch'"), bad.out());
    }

    @Test
    void aNearMissOfASolverNameIsSuggested() {
        MainTest.Run r = MainTest.run("reference", "--solver", "vectr");
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("but was 'vectr' (from --solver); did you mean 'vector'?"), r.err());
        assertFalse(r.err().contains("jar"), "no advice to install a jar: " + r.err());
        MainTest.Run far = MainTest.run("reference", "--solver", "nosuch");
        assertTrue(far.err().contains("a solver is installed by putting its jar"), far.err());
        assertEquals(Main.OK, MainTest.run("reference", "--solver", "EJML").code(), "any letter case selects");
    }

    @Test
    void aMillionThreadsOnATinyFileFinishAtOnce() throws IOException {
        Path data = dir.resolve("six.dat");
        Files.writeString(data, "1::1::5\n1::2::3\n2::1::4\n2::3::1\n3::2::2\n3::3::4\n");
        long start = System.nanoTime();
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", dir.resolve("m.als").toString(),
                "--threads", "1000000", "--rank", "2", "--json");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "took " + (System.nanoTime() - start) / 1e9 + " s");
        assertTrue(r.out().contains("\"threads\":1,"), "one block of rows, one thread: " + r.out());
    }

    @Test
    void cvsProgressBarCountsTheSamplingSweeps() throws IOException {
        Path data = dir.resolve("g.dat");
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 12; u++) {
            for (int i = 1; i <= 8; i++) {
                if ((u + 2 * i) % 3 != 0) {
                    sb.append(u).append("::").append(i).append("::").append(1 + (u * i) % 5).append('\n');
                }
            }
        }
        Files.writeString(data, sb);
        // The bar draws, as under a terminal; with 2 folds of 1 iteration and 3 sweeps, only the last update is 100%.
        MainTest.Run r = MainTest.run(Map.of(ProgressBar.STDERR_TTY, "1"), "cv", "--data", data.toString(), "--folds",
                "2", "--rank", "2", "--iterations", "1", "--samples", "3", "--json");
        assertEquals(Main.OK, r.code(), r.err());
        String[] draws = r.err().split("\r");
        long full = Arrays.stream(draws).filter(d -> d.contains("] 100%")).count();
        assertEquals(1, full, "100% only when every iteration and sweep is done: " + Arrays.toString(draws));
        assertTrue(r.err().contains("split 2/2, iteration 4/4"), r.err());
    }

    @Test
    void fetchWithoutANetworkSaysWhyAndLeavesNothing() {
        Path target = dir.resolve("new/movielens");
        MainTest.Run r = MainTest.run("fetch", "ml-100k", "--dir", target.toString(), "--base-url",
                "http://files.example.invalid/datasets/movielens/");
        assertEquals(Main.FAILURE, r.code(), r.err());
        assertEquals("als: error: cannot download http://files.example.invalid/datasets/movielens/ml-100k.zip.md5:"
                + " cannot resolve files.example.invalid (no network, or no DNS for that name)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("new")), "no folder is left behind");
        MainTest.Run json = MainTest.run("fetch", "ml-100k", "--dir", target.toString(), "--base-url",
                "http://files.example.invalid/", "--json");
        assertFalse(json.out().contains("\"error\":null"), json.out());
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void settingsThatNeedAnotherSettingNameTheirFlag() {
        String out = "/nonexistent-als-dir/o.als";
        String engine = RecommendCommandTest.usage("train", "--data", NO_DATA, "--out", out, "--engine", "foo").err();
        assertTrue(engine.contains("--engine must be local or one of [spark] but was 'foo'"), engine);
        String ials = RecommendCommandTest.usage("train", "--data", NO_DATA, "--out", out, "--regularizer", "ials")
                .err();
        assertTrue(ials.contains("--regularizer ials is the penalty of an implicit fit; add --implicit true"), ials);
    }

    /** Ids may start with a dash: only a flag of the command itself is refused where a value belongs. */
    @Test
    void idsThatStartWithADashAreValues(@TempDir Path tmp) throws IOException {
        Path data = Files.writeString(tmp.resolve("dash.csv"), "-a,-x,5\n-a,i1,3\n-b,-x,4\n-b,-y,2\nc,-y,5\nc,i1,1\n");
        Path model = tmp.resolve("dash.als");
        MainTest.Run t = MainTest.run("train", "--data", data.toString(), "--out", model.toString(), "--rank", "2",
                "--samples", "0", "--lambda", "0.5", "--iterations", "3");
        assertEquals(0, t.code(), t.err());
        for (String[] argv : new String[][] {
            {"recommend", "--model", model.toString(), "--user", "-a"},
            {"recommend", "--model", model.toString(), "--user=-a"},
            {"predict", "--model", model.toString(), "--user", "-b", "--item", "-x"},
            {"similar", "--model", model.toString(), "--item", "-x"},
            {"recommend", "--model", model.toString(), "--user", "c", "--allow", "-x"}}) {
            MainTest.Run r = MainTest.run(argv);
            assertEquals(0, r.code(), String.join(" ", argv) + ": " + r.err());
        }
        MainTest.Run forgotten = MainTest.run("recommend", "--model", model.toString(), "--items", "-n", "3");
        assertEquals(Main.USAGE, forgotten.code());
        assertTrue(forgotten.err().contains("'-n', which is a flag of 'recommend'; write --items=-n if that is the value"),
                forgotten.err());
    }
}
