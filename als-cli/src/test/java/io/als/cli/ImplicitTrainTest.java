package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.ImplicitFeedback;
import io.als.api.Model;
import io.als.api.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --implicit true}: two-column files read as interactions, the implicit settings
 * stored and reported by {@code train} and {@code info}, and wrong values refused.
 */
class ImplicitTrainTest {
    @TempDir
    Path dir;

    private Path pairs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 12; u++) {
            for (int i = 1; i <= 9; i++) {
                if ((u + i) % 3 != 0) {
                    sb.append(u).append(',').append(i).append('\n');
                }
            }
        }
        return Files.writeString(dir.resolve("pairs.csv"), sb);
    }

    /**
     * A confidence beyond {@code ImplicitFeedback.MAX_CONFIDENCE} is refused, with every backend:
     * before, native returned scores of 1e22 where java and ejml reported a singular system (a
     * trial of 2026-12-01 with --alpha 1e150).
     */
    @Test
    void anAlphaThatDrownsTheConfidencesOneIsRefused() throws IOException {
        for (String solver : new String[] {"native", "java"}) {
            MainTest.Run r = MainTest.run("train", "--data", pairs().toString(), "--implicit", "true", "--alpha",
                    "1e150", "--rank", "3", "--iterations", "2", "--solver", solver, "--out",
                    dir.resolve("huge.als").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("alpha 1.0E150 makes a confidence of 1.000e+150 (for a value of 1.0), above"
                    + " 1e+15: the rows' systems would lose every digit"), r.err());
            assertFalse(Files.exists(dir.resolve("huge.als")), "no model written");
        }
        // Just inside the bound, a fit runs.
        RecommendCommandTest.ok("train", "--data", pairs().toString(), "--implicit", "true", "--alpha", "1e14",
                "--rank", "3", "--iterations", "2", "--out", dir.resolve("big.als").toString());
    }

    @Test
    void trainsOnPairsAndReportsAnImplicitModel() throws IOException {
        Path model = dir.resolve("m.als");
        MainTest.Run t = RecommendCommandTest.ok("train", "--data", pairs().toString(), "--implicit", "true",
                "--alpha", "3", "--confidence", "log", "--epsilon", "2", "--alpha0", "0.5", "--solve", "cg",
                "--cg-steps", "2", "--regularizer", "ials", "--lambda", "0.01", "--nu", "0.5", "--rank", "3",
                "--iterations", "3", "--out", model.toString(),
                "--threads", "1", "--json");
        String json = t.out().strip();
        assertTrue(json.startsWith("{\"kind\":\"implicit\","), json);
        assertTrue(json.contains("\"train_rmse\":null") && json.contains("\"rating_scale\":null")
                && json.contains("\"value_range\":\"1..1"), json);
        assertTrue(json.contains("\"implicit\":{\"alpha\":3.0,\"confidence\":\"log\",\"epsilon\":2.0,\"alpha0\":0.5,"
                + "\"solve\":\"cg\",\"cg_steps\":2,\"nu\":0.5,\"bm25_k1\":100.0,\"bm25_b\":0.8}"), json);
        Model m = ModelFile.read(model);
        assertTrue(m.trainingInfo().orElseThrow().isImplicit());
        assertEquals(3.0, m.trainingInfo().orElseThrow().implicit().alpha());

        MainTest.Run info = RecommendCommandTest.ok("info", "--model", model.toString());
        assertTrue(info.out().contains("kind      implicit feedback"), info.out());
        assertTrue(info.out().contains("implicit  alpha 3.0, confidence log (epsilon 2.0), alpha0 0.5, solve cg, 2"
                + " steps, nu 0.5"), info.out());
        assertTrue(info.out().contains("never clip"), info.out());
        MainTest.Run infoJson = RecommendCommandTest.ok("info", "--model", model.toString(), "--json");
        assertTrue(infoJson.out().contains("\"kind\":\"implicit\"") && infoJson.out().contains("\"clipped_by_default\":false")
                && infoJson.out().contains("\"implicit\":{\"alpha\":3.0,\"confidence\":\"log\""), infoJson.out());

        MainTest.Run text = RecommendCommandTest.ok("train", "--data", pairs().toString(), "--implicit", "true",
                "--rank", "3", "--iterations", "2", "--out", dir.resolve("m2.als").toString(), "--threads", "1");
        assertTrue(text.out().contains("(implicit feedback)") && text.out().contains("weighted loss")
                && !text.out().contains("rmse"), text.out());
    }

    /**
     * {@code --confidence bm25} with its two parameters: they reach the fit (the model differs
     * from the linear one's), the model file keeps them, {@code info} shows them, a fold-in
     * uses them, and bad values are refused as bad flags.
     */
    @Test
    void bm25ConfidencesAreAnOptionWithTheirParameters() throws IOException {
        // Rows of different lengths (user u has the items i <= 2 + u % 6, or a multiple of u),
        // so that k1 and b matter: on rows of one length BM25 is only the items' idf.
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 12; u++) {
            for (int i = 1; i <= 9; i++) {
                if (i <= 2 + u % 6 || i % u == 0) {
                    sb.append(u).append(',').append(i).append('\n');
                }
            }
        }
        String data = Files.writeString(dir.resolve("uneven.csv"), sb).toString();
        Path model = dir.resolve("b.als");
        MainTest.Run t = RecommendCommandTest.ok("train", "--data", data, "--implicit", "true", "--confidence", "bm25",
                "--bm25-k1", "50", "--bm25-b", "0.3", "--rank", "3", "--iterations", "3", "--out", model.toString(),
                "--threads", "1", "--json");
        assertTrue(t.out().contains("\"confidence\":\"bm25\"") && t.out().contains("\"bm25_k1\":50.0,\"bm25_b\":0.3"),
                t.out());
        ImplicitFeedback f = ModelFile.read(model).trainingInfo().orElseThrow().implicit();
        assertEquals(ImplicitFeedback.Confidence.BM25, f.confidence());
        assertEquals(50, f.bm25K1());
        assertEquals(0.3, f.bm25B());
        MainTest.Run info = RecommendCommandTest.ok("info", "--model", model.toString());
        assertTrue(info.out().contains("confidence bm25 (k1 50.0, b 0.3)"), info.out());

        Path linear = dir.resolve("l.als");
        RecommendCommandTest.ok("train", "--data", data, "--implicit", "true", "--rank", "3", "--iterations", "3",
                "--out", linear.toString(), "--threads", "1");
        assertFalse(java.util.Arrays.equals(ModelFile.read(model).userFactors().data(),
                ModelFile.read(linear).userFactors().data()), "BM25 changed nothing");
        Path k1 = dir.resolve("k.als");
        RecommendCommandTest.ok("train", "--data", data, "--implicit", "true", "--confidence", "bm25",
                "--bm25-k1", "5", "--bm25-b", "0.3", "--rank", "3", "--iterations", "3", "--out", k1.toString(),
                "--threads", "1");
        assertFalse(java.util.Arrays.equals(ModelFile.read(model).userFactors().data(),
                ModelFile.read(k1).userFactors().data()), "k1 changed nothing");

        MainTest.Run folded = RecommendCommandTest.ok("recommend", "--model", model.toString(), "--items", "1,2",
                "-n", "3", "--json");
        assertTrue(folded.out().startsWith("{") && folded.out().contains("\"recommendations\""), folded.out());

        String out = dir.resolve("bad.als").toString();
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "true",
                "--confidence", "bm25", "--bm25-b", "1.5").err().contains("--bm25-b"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "true",
                "--confidence", "bm25", "--bm25-k1", "0").err().contains("--bm25-k1"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--bm25-k1", "3").err()
                .contains("--bm25-k1 is a setting of an implicit fit"));
        assertFalse(Files.exists(dir.resolve("bad.als")));
    }

    /**
     * Without --alpha (or with --alpha auto) a linear confidence takes alpha 0.5 over the mean
     * positive value: here the values are 2, 4 and a 0 (no preference), so 0.5 / 3.
     */
    @Test
    void theDefaultAlphaIsChosenFromTheMeanValue() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 6; u++) {
            sb.append(u).append(",1,2\n").append(u).append(",2,4\n").append(u).append(',').append(3 + u % 3)
                    .append(u % 2 == 0 ? ",2\n" : ",4\n");
        }
        sb.append("7,1,0\n7,3,2\n7,4,4\n");
        String data = Files.writeString(dir.resolve("values.csv"), sb).toString();
        for (String[] flags : new String[][] {{}, {"--alpha", "auto"}, {"--alpha", "AUTO"}}) {
            java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("train", "--data", data,
                    "--implicit", "true", "--rank", "2", "--iterations", "2", "--threads", "1", "--json", "--out",
                    dir.resolve("a.als").toString()));
            argv.addAll(java.util.List.of(flags));
            MainTest.Run t = RecommendCommandTest.ok(argv.toArray(String[]::new));
            assertTrue(t.out().contains("\"alpha\":" + (0.5 / 3) + ","), String.join(" ", flags) + ": " + t.out());
        }
        MainTest.Run given = RecommendCommandTest.ok("train", "--data", data, "--implicit", "true", "--alpha", "0.5",
                "--rank", "2", "--iterations", "2", "--json", "--out", dir.resolve("g.als").toString());
        assertTrue(given.out().contains("\"alpha\":0.5,"), given.out());
        MainTest.Run log = RecommendCommandTest.ok("train", "--data", data, "--implicit", "true", "--confidence", "log",
                "--rank", "2", "--iterations", "2", "--json", "--out", dir.resolve("l.als").toString());
        assertTrue(log.out().contains("\"alpha\":0.5,"), log.out());
        String bad = RecommendCommandTest.usage("train", "--data", data, "--implicit", "true", "--alpha", "lots",
                "--out", dir.resolve("b.als").toString()).err();
        assertTrue(bad.contains("--alpha") && bad.contains("a number or auto"), bad);
    }

    @Test
    void explicitModelsStillSayTheirKind() throws IOException {
        Path data = Files.writeString(dir.resolve("r.csv"), "1,1,5\n1,2,3\n2,1,4\n2,3,2\n3,2,1\n3,3,5\n");
        MainTest.Run t = RecommendCommandTest.ok("train", "--data", data.toString(), "--rank", "2", "--samples", "0",
                "--lambda", "1", "--out", dir.resolve("e.als").toString(), "--json");
        assertTrue(t.out().startsWith("{\"kind\":\"explicit\",") && t.out().contains("\"rating_scale\":\"1..5")
                && t.out().contains("\"implicit\":null"), t.out());
        MainTest.Run info = RecommendCommandTest.ok("info", "--model", dir.resolve("e.als").toString(), "--json");
        assertTrue(info.out().contains("\"clipped_by_default\":true") && info.out().contains("\"implicit\":null"),
                info.out());
    }

    @Test
    void theConfigFileCanAskForAnImplicitFit() throws IOException {
        Path config = Files.writeString(dir.resolve("fit.properties"), "als.implicit = true\nals.rank = 2\n"
                + "als.iterations = 2\n");
        Path model = dir.resolve("c.als");
        // Two columns would fail as explicit ratings (no rating field): read as pairs, they fit.
        RecommendCommandTest.ok("train", "--data", pairs().toString(), "--config", config.toString(), "--out",
                model.toString());
        assertTrue(ModelFile.read(model).trainingInfo().orElseThrow().isImplicit());
        MainTest.Run explicit = MainTest.run("train", "--data", pairs().toString(), "--out", dir.resolve("x.als")
                .toString());
        assertEquals(Main.FAILURE, explicit.code(), explicit.err());
    }

    @Test
    void wrongImplicitInputsAreRefused() throws IOException {
        Path negative = Files.writeString(dir.resolve("neg.csv"), "1,1,2\n1,2,-1\n");
        MainTest.Run r = RecommendCommandTest.failure("train", "--data", negative.toString(), "--implicit", "true",
                "--out", dir.resolve("n.als").toString());
        assertTrue(r.err().contains(negative + ":2:"), r.err());
        assertFalse(Files.exists(dir.resolve("n.als")));
        String data = pairs().toString();
        String out = dir.resolve("u.als").toString();
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--alpha", "2").err()
                .contains("--alpha is a setting of an implicit fit; add --implicit true"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "maybe").err()
                .contains("--implicit"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "true",
                "--alpha", "-1").err().contains("--alpha"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "true",
                "--confidence", "square").err().contains("--confidence"));
        assertTrue(RecommendCommandTest.usage("train", "--data", data, "--out", out, "--implicit", "true",
                "--solve", "lu").err().contains("--solve"));
        assertFalse(Files.exists(dir.resolve("u.als")));
        // cg-float needs a backend with single-precision CG (vector); these tests' JVM runs the default,
        // java. Refused as a bad setting (2) before the data is read: the file does not even exist.
        MainTest.Run single = RecommendCommandTest.usage("train", "--data", dir.resolve("absent.csv").toString(),
                "--out", out, "--implicit", "true", "--solve", "cg-float", "--solver", "java");
        assertTrue(single.err().contains("solve cg-float needs a backend with single-precision conjugate gradient")
                && single.err().contains("'java'"), single.err());
        assertTrue(RecommendCommandTest.usage("cv", "--data", dir.resolve("absent.csv").toString(), "--implicit",
                "true", "--solve", "cg-float", "--solver", "ejml").err().contains("'ejml'"));
    }

    @Test
    void cvWithoutAThresholdHoldsOutNoValueOfZero() throws IOException {
        // Found in a new-user trial: 0s (no preference) were held out and scored as positives.
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 10; u++) {
            for (int i = 1; i <= 12; i++) {
                sb.append(u).append(',').append((u * 7 + i) % 15).append(',').append(i <= 8 ? 1 : 0).append('\n');
            }
        }
        Path data = Files.writeString(dir.resolve("zeros.csv"), sb);
        MainTest.Run r = MainTest.run("cv", "--data", data.toString(), "--implicit", "true", "--rank", "2",
                "--iterations", "2", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        // 8 positives per user, 2 of them (20%) held out; the 40 zeros are in neither count.
        java.util.regex.Matcher test = java.util.regex.Pattern.compile("\"test_positives\":(\\d+)").matcher(r.out());
        java.util.regex.Matcher train = java.util.regex.Pattern.compile("\"train_positives\":(\\d+)").matcher(r.out());
        assertTrue(test.find() && train.find(), r.out());
        assertEquals(20, Integer.parseInt(test.group(1)), r.out());
        assertEquals(60, Integer.parseInt(train.group(1)), r.out());
        // A ranking evaluation of an explicit fit keeps every rating, 0s included (found in a review).
        MainTest.Run explicit = MainTest.run("cv", "--data", data.toString(), "--protocol", "holdout", "--rank", "2",
                "--iterations", "2", "--threads", "1", "--lambda", "0.1", "--samples", "0", "--json");
        assertEquals(0, explicit.code(), explicit.err());
        java.util.regex.Matcher t2 = java.util.regex.Pattern.compile("\"test_positives\":(\\d+)").matcher(explicit.out());
        java.util.regex.Matcher r2 = java.util.regex.Pattern.compile("\"train_positives\":(\\d+)").matcher(explicit.out());
        assertTrue(t2.find() && r2.find(), explicit.out());
        assertEquals(120, Integer.parseInt(t2.group(1)) + Integer.parseInt(r2.group(1)), explicit.out());
    }

    /** A setting the fit would ignore is refused (exit 2, before any data is read), as a flag or a config key. */
    @Test
    void settingsThatWouldBeIgnoredAreRefused() throws IOException {
        String absent = dir.resolve("absent.csv").toString();
        String out = dir.resolve("ignored.als").toString();
        String[][] cases = {
            {"--epsilon 2", "--epsilon applies to --confidence log only"},
            {"--confidence linear --bm25-k1 5", "--bm25-k1 applies to --confidence bm25 only"},
            {"--confidence log --bm25-b 0.5", "--bm25-b applies to --confidence bm25 only"},
            {"--solve cholesky --cg-steps 5", "--cg-steps applies to --solve cg or cg-float only"},
            {"--nu 2", "--nu applies to --regularizer ials only"},
            {"--noise 1", "--noise is a setting of an explicit fit's posterior samples, and an implicit fit draws none"},
            {"--lambda auto", "--lambda auto is a setting of an explicit fit"},
            {"--samples 5", "--samples 5 is a setting of an explicit fit"},
            {"--biased true", "--biased true is a setting of an explicit fit"},
        };
        for (String[] c : cases) {
            List<String> argv = new java.util.ArrayList<>(List.of("train", "--data", absent, "--out", out,
                    "--implicit", "true"));
            argv.addAll(List.of(c[0].split(" ")));
            String err = RecommendCommandTest.usage(argv.toArray(String[]::new)).err();
            assertTrue(err.contains(c[1]), c[0] + ": " + err);
        }
        // The same settings where they apply are taken.
        RecommendCommandTest.ok("train", "--data", pairs().toString(), "--out", out, "--implicit", "true", "--rank", "2",
                "--iterations", "2", "--confidence", "log", "--epsilon", "2", "--solve", "cg", "--cg-steps", "2",
                "--regularizer", "ials", "--nu", "1", "--lambda", "0.001");
        // Explicit fits: the sampling settings without samples.
        assertTrue(RecommendCommandTest.usage("train", "--data", absent, "--out", out, "--samples", "0", "--noise", "1")
                .err().contains("--noise applies to a fit that draws posterior samples"));
        assertTrue(RecommendCommandTest.usage("train", "--data", absent, "--out", out, "--samples", "0", "--compress",
                "false").err().contains("--compress applies to a fit that draws posterior samples"));
        // With implicit, the sampling settings' message does not send the user to --samples.
        assertTrue(RecommendCommandTest.usage("train", "--data", absent, "--out", out, "--implicit", "true",
                "--compress", "false").err().contains("--compress is a setting of an explicit fit's posterior samples,"
                + " and an implicit fit draws none"));
        // --regularizer none has no lambda to take (0 is no penalty, so it may be given).
        assertTrue(RecommendCommandTest.usage("train", "--data", absent, "--out", out, "--regularizer", "none",
                "--lambda", "1").err().contains("--lambda does not apply to --regularizer none, which has no penalty"));
        String ratings = Files.writeString(dir.resolve("r3.csv"), "1,1,4\n1,2,3\n2,1,5\n2,2,2\n3,2,4\n3,1,1\n")
                .toString();
        RecommendCommandTest.ok("train", "--data", ratings, "--out", out, "--regularizer", "none",
                "--lambda", "0", "--samples", "0", "--rank", "1", "--iterations", "1", "--biased", "false");
        // A config file may be a profile shared by fits a flag makes different: its keys that this fit
        // ignores are named in a warning, and the fit goes on.
        Path config = Files.writeString(dir.resolve("implicit-keys.properties"), "als.alpha = 2\n");
        List<String> log = ModelSizeLogTest.log(TrainingOptions.class, "train", "--data", ratings, "--out",
                out, "--config", config.toString(), "--rank", "1", "--iterations", "1", "--samples", "0");
        assertTrue(log.contains("als.alpha in " + config + " is a setting of an implicit fit; add --implicit true;"
                + " ignored"), log.toString());
        Path profile = Files.writeString(dir.resolve("profile.properties"), "als.samples = 20\nals.noise = 0.5\n");
        log = ModelSizeLogTest.log(TrainingOptions.class, "train", "--data", ratings, "--out", out,
                "--config", profile.toString(), "--samples", "0", "--rank", "1", "--iterations", "1");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("als.noise in " + profile + " applies to a fit that draws"
                + " posterior samples")), log.toString());
        // The same profile on an implicit fit: its explicit-only samples are named and left out, as
        // other keys this fit ignores are (they used to stop the fit), and the fit goes on.
        String implicitOut = dir.resolve("profile-implicit.als").toString();
        log = ModelSizeLogTest.log(TrainingOptions.class, "train", "--data", ratings, "--out", implicitOut,
                "--config", profile.toString(), "--implicit", "true", "--rank", "1", "--iterations", "1");
        assertTrue(log.contains("als.samples = 20 in " + profile + " is a setting of an explicit fit: an implicit fit"
                + " has no biases, posterior samples or lambda search; ignored"), log.toString());
        assertTrue(Files.isRegularFile(Path.of(implicitOut)));
    }

    /** An event log with repeated pairs, merged by --duplicates sum, fits as the file of its counts does. */
    @Test
    void duplicatesSumTurnsAnEventLogIntoCounts() throws IOException {
        Path log = Files.writeString(dir.resolve("events.csv"),
                "user,item\n1,1\n1,2\n2,2\n1,1\n3,1\n2,3\n1,1\n3,3\n2,2\n4,2\n4,3\n");
        Path counts = Files.writeString(dir.resolve("counts.csv"),
                "user,item,count\n1,1,3\n1,2,1\n2,2,2\n2,3,1\n3,1,1\n3,3,1\n4,2,1\n4,3,1\n");
        Path a = dir.resolve("events.als");
        Path b = dir.resolve("counts.als");
        String[] fromLogArgs = {"train", "--data", log.toString(), "--out", a.toString(), "--implicit", "true",
            "--rank", "2", "--iterations", "3", "--alpha", "1", "--threads", "1"};
        assertTrue(RecommendCommandTest.failure(fromLogArgs).err().contains("--duplicates last|mean (ratings) or sum (implicit counts)"));
        RecommendCommandTest.ok(RankingCommandTest.concat(fromLogArgs, "--duplicates", "sum"));
        // Summed ratings would leave their scale: sum is for implicit counts.
        String[] explicit = {"train", "--data", counts.toString(), "--out", b.toString(), "--duplicates", "sum"};
        assertTrue(RecommendCommandTest.usage(explicit).err().contains("--duplicates sum adds the values of repeated"
                + " pairs, which suits implicit counts (--implicit true); for ratings use last or mean"));
        String[] fromCountsArgs = fromLogArgs.clone();
        fromCountsArgs[2] = counts.toString();
        fromCountsArgs[4] = b.toString();
        RecommendCommandTest.ok(fromCountsArgs);
        Model fromLog = ModelFile.read(a);
        Model fromCounts = ModelFile.read(b);
        assertEquals(fromCounts.userFactors(), fromLog.userFactors());
        assertEquals(fromCounts.itemFactors(), fromLog.itemFactors());
    }

    @Test
    void dataWithoutAPositiveValueIsRefusedNamingTheFile() throws IOException {
        Path zeros = Files.writeString(dir.resolve("zeros.csv"), "1,1,0\n1,2,0\n2,2,0\n");
        Path out = dir.resolve("zeros.als");
        String err = RecommendCommandTest.failure("train", "--data", zeros.toString(), "--implicit", "true", "--out",
                out.toString()).err();
        assertTrue(err.contains(zeros + ": every value is 0, which implicit feedback reads as no preference"), err);
        assertFalse(Files.exists(out));
    }
}
