package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --data} says about input that is not a ratings text file: text that is not
 * UTF-8, a model file, a pipe or standard input, each named for what it is (exit 1); and a
 * synthetic spec out of range (exit 2).
 */
class DataSourceInputTest {
    @TempDir
    Path dir;

    private static MainTest.Run train(String data, Path out) {
        return MainTest.run("train", "--data", data, "--out", out.toString(), "--rank", "2", "--iterations", "2",
                "--threads", "1", "--lambda", "0.1", "--samples", "0");
    }

    private static void fails(MainTest.Run r, int code, String... fragments) {
        assertEquals(code, r.code(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
    }

    private Path ratings() throws IOException {
        return FileSafetyTest.ratings(dir);
    }

    @Test
    void latin1DataFailsNamingLineAndByte() throws IOException {
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "u\u00e9,i1,4\nu\u00e8,i2,3\n".getBytes(StandardCharsets.ISO_8859_1));
        fails(train(latin.toString(), dir.resolve("m.als")), 1, latin + ":1: the file is not UTF-8: byte 0xE9 at byte 2"
                + " of this line", "iconv -f ISO-8859-1 -t UTF-8");
    }

    @Test
    void aModelGivenAsDataIsNamedAModelFile() throws IOException {
        Path model = dir.resolve("m.als");
        assertEquals(0, train(ratings().toString(), model).code());
        MainTest.Run r = train(model.toString(), dir.resolve("x.als"));
        fails(r, 1, model + ": is an als model file (it starts with ALSMODEL), not ratings");
        assertTrue(!r.err().contains("UTF-16") && !r.err().contains("UTF-32") && !r.err().contains("iconv"), r.err());
    }

    @Test
    void aNamedPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
        // Opening a pipe nobody writes to would block: the refusal must come from its kind alone.
        Path pipe = dir.resolve("ratings.pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        MainTest.Run r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> train(pipe.toString(), dir.resolve("m.als")));
        fails(r, 1, pipe + ": is a named pipe, not a regular file; ratings must be in a regular file, which is sized"
                + " against the heap before loading and may be read twice (a pipe or a device cannot be); save them"
                + " to a file first and give its path");
    }

    @Test
    void aDashIsNotStandardInput() {
        fails(train("-", dir.resolve("m.als")), 1, "-: file not found; reading ratings from standard input ('-') is not"
                + " supported: ratings must be in a regular file");
    }

    @Test
    void aHugeSyntheticRatingsCountHasACoherentBound() {
        MainTest.Run r = train("synthetic:ratings=99999999999999", dir.resolve("m.als"));
        fails(r, 2, "--data: ratings must be between 1 and 30000000 but was 99999999999999");
    }
}
