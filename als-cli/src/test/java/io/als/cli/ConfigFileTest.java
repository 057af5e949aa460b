package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --config}: anything but {@code als.KEY = VALUE} lines with known keys and valid values
 * is an error (exit 2) naming the file and the line, found before any data is read.
 */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The error line of {@code reference --config FILE}, which reads no data at all. */
    private static String error(Path config) {
        MainTest.Run r = MainTest.run("train", "--data", FlagValidationTest.NO_DATA, "--out", "m.als", "--config",
                config.toString());
        assertEquals(Main.USAGE, r.code(), r.err());
        return r.err().strip();
    }

    @Test
    void aGoodFileSetsTheFitAndTheSolver() throws IOException {
        Path c = write("good.properties", "# settings\n\n! also a comment\nals.rank = 3\nals.lambda: 0.5\r\n"
                + "  als.solver=EJML  \nals.biased = true\n");
        Path data = write("r.dat", "1::1::5\n1::2::3\n2::1::4\n2::2::2\n3::1::1\n3::2::4\n");
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", dir.resolve("m.als").toString(),
                "--config", c.toString(), "--json");
        assertEquals(Main.OK, r.code(), r.err());
        assertTrue(r.out().contains("\"solver\":\"ejml\",\"rank\":3,") && r.out().contains("\"lambda\":0.5,")
                && r.out().contains("\"biased\":true"), r.out());
        // A flag still beats the file.
        MainTest.Run flag = MainTest.run("train", "--data", data.toString(), "--out", dir.resolve("m.als").toString(),
                "--config", c.toString(), "--rank", "2", "--json");
        assertTrue(flag.out().contains("\"rank\":2,"), flag.out());
    }

    @Test
    void keysWithoutThePrefixAreRefusedWithTheFix() throws IOException {
        Path c = write("bare.properties", "# tuned\nrank=500\n");
        assertEquals("als: error: --config " + c + ":2: key 'rank' is not an als. setting; write als.rank = 500 (keys"
                + " are [als.alpha, als.alpha0, als.biased, als.bm25-b, als.bm25-k1, als.cg-steps, als.compress, als.confidence, als.epsilon,"
                + " als.implicit, als.init, als.iterations, als.lambda, als.noise, als.nu, als.rank, als.regularizer,"
                + " als.samples, als.seed, als.solve, als.solver, als.threads, als.tolerance, als.validation])"
                + " (see 'als help train')", error(c));
    }

    @Test
    void unknownKeysAndBadValuesNameTheFileAndLine() throws IOException {
        Path unknown = write("u.properties", "als.rank = 3\nals.rnak = 5\n");
        assertTrue(error(unknown).startsWith("als: error: --config " + unknown + ":2: unknown key 'als.rnak'; keys are"
                + " [als.alpha, "), error(unknown));
        Path value = write("v.properties", "\n\nals.rank = 0\n");
        assertEquals("als: error: --config " + value + ":3: als.rank must be positive but was 0 (see 'als help train')",
                error(value));
        Path twice = write("t.properties", "als.rank = 3\nals.rank = 4\n");
        assertTrue(error(twice).contains(twice + ":2: als.rank is set again (first on line 1)"), error(twice));
        Path empty = write("e.properties", "als.seed =\n");
        assertTrue(error(empty).contains(empty + ":1: als.seed has no value"), error(empty));
        Path solver = write("s.properties", "als.solver = vectr\n");
        MainTest.Run r = MainTest.run("reference", "--config", solver.toString());
        assertEquals(Main.USAGE, r.code());
        assertTrue(r.err().contains("but was 'vectr' (from --config file); did you mean 'vector'?"), r.err());
    }

    @Test
    void aRatingsFileAModelFileOrRandomBytesAreNotAConfig() throws IOException {
        Path ratings = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        assertTrue(error(ratings).startsWith("als: error: --config " + ratings + ":1: expected als.KEY = VALUE but found"
                + " '196\\u0009242\\u00093\\u0009881250949'; is this a config file?"), error(ratings));
        Path dat = write("ratings.dat", "1::1::5::978300760\n");
        assertTrue(error(dat).startsWith("als: error: --config " + dat + ":1: expected als.KEY = VALUE but found"
                + " '1::1::5::978300760'"), error(dat));
        Path model = dir.resolve("m.als");
        Files.write(model, "ALSMODEL\u0000\u0000\u0000\u0002more".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(error(model).startsWith("als: error: --config " + model + ":1: holds the byte 0x00 in column 9,"
                + " which is not text; is this a config file?"), error(model));
        SplittableRandom rnd = new SplittableRandom(13);
        for (int t = 0; t < 20; t++) {
            byte[] noise = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(noise);
            Path f = dir.resolve("noise" + t);
            Files.write(f, noise);
            MainTest.Run r = MainTest.run("reference", "--config", f.toString());
            // Random bytes can, very rarely, be nothing but blank and comment lines: that is a valid, empty config.
            assertTrue(r.code() == Main.USAGE && r.err().startsWith("als: error: --config " + f + ":")
                    || r.code() == Main.OK, r.code() + " " + r.err());
        }
    }

    @Test
    void aDirectoryAMissingFileAndAnEndlessDeviceFailAtOnceNamingTheFile() throws IOException {
        assertEquals("als: error: --config " + dir + ": is a directory, not a file of als.KEY = VALUE lines (see 'als"
                + " help train')", error(dir));
        Path missing = dir.resolve("absent.properties");
        assertEquals("als: error: --config " + missing + ": file not found (see 'als help train')", error(missing));
        Path big = dir.resolve("big.properties");
        Files.writeString(big, "# padding\n".repeat(ConfigFile.MAX_BYTES / 10 + 1));
        assertTrue(error(big).contains(big + ": larger than 64 KiB"), error(big));
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            long start = System.nanoTime();
            assertTrue(error(zero).contains("/dev/zero: larger than 64 KiB"), error(zero));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "fails at once");
        }
    }
}
