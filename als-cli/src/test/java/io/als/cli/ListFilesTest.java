package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files {@code recommend} reads besides the model ({@code --items-file}, {@code --allow},
 * {@code --deny}) get the care {@code --data} gets: a device, a pipe or a folder is refused at
 * once saying what it is, lines are bounded, and a bad line is named by file and number.
 */
class ListFilesTest {
    @TempDir
    static Path dir;
    static String model;

    @BeforeAll
    static void train() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 8; u++) {
            for (int i = 1; i <= 6; i++) {
                sb.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append('\n');
            }
        }
        Path data = Files.writeString(dir.resolve("r.tsv"), sb);
        model = dir.resolve("m.als").toString();
        MainTest.Run r = MainTest.run("train", "--data", data.toString(), "--out", model, "--rank", "2",
                "--samples", "0", "--lambda", "0.5", "--iterations", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
    }

    private static MainTest.Run recommend(String... more) {
        String[] argv = new String[5 + more.length];
        System.arraycopy(new String[] {"recommend", "--model", model, "--user", "3"}, 0, argv, 0, 5);
        System.arraycopy(more, 0, argv, 5, more.length);
        return MainTest.run(argv);
    }

    private static void fails(MainTest.Run r, String expected) {
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    private static Path fifo() throws Exception {
        Path pipe = dir.resolve("list.pipe");
        if (!Files.exists(pipe)) {
            Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
            Assumptions.assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        }
        return pipe;
    }

    @Test
    void devicesAndPipesAreRefusedAtOnceForEveryListFlag() throws Exception {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "needs /dev/zero");
        Path pipe = fifo();
        for (String flag : new String[] {"--items-file", "--allow", "--deny"}) {
            MainTest.Run device = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> recommend(flag, zero.toString()));
            fails(device, flag + " /dev/zero: is a character device, not a regular file; give a regular file (a device"
                    + " or a pipe can be endless, as /dev/zero is)");
            MainTest.Run named = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> recommend(flag, pipe.toString()));
            fails(named, flag + " " + pipe + ": is a named pipe, not a regular file");
        }
        fails(recommend("--allow", dir.toString()), "--allow " + dir + ": is a directory, not a regular file");
        // A folder named without a slash (here the module's own target/, tests' working directory
        // being the module) is refused too; it used to be taken for an id that the model lacks.
        Assumptions.assumeTrue(Files.isDirectory(Path.of("target")), "runs in the module's folder");
        fails(recommend("--deny", "target"), "--deny target: is a directory, not a regular file; give a regular file"
                + " (an id spelt like it goes in double quotes)");
        // A path that does not exist is still named as missing.
        fails(recommend("--deny", dir.resolve("none.txt").toString()),
                "--deny " + dir.resolve("none.txt") + ": file not found (an id that holds a / goes in double quotes)");
    }

    @Test
    void anItemFileLineWithoutATitleIsNamedByFileAndLine() throws IOException {
        Path one = Files.writeString(dir.resolve("items.txt"), "116\n");
        fails(recommend("--items-file", one.toString()), "--items-file " + one + ":1: must hold an item id and a"
                + " title as movies.csv (header, then id,title,...) but was '116'");
        // A file that holds a header only says which line it took for the header.
        Path header = Files.writeString(dir.resolve("header.csv"), "movieId,title,genres\n\n");
        assertEquals("--items-file " + header + ":1: lists no items: this line, 'movieId,title,genres', is read as the"
                + " header of a movies.csv file and no item follows it", itemsError(header));
        // A CSV file without a header loses no item.
        Path noHeader = Files.writeString(dir.resolve("plain.csv"), "1,One\n2,Two\n");
        assertEquals("One", ItemTitles.read(noHeader).title("1"));
    }

    @Test
    void longLinesBinaryAndLatin1ListsAreNamedByLine() throws IOException {
        Path longLine = Files.writeString(dir.resolve("long.dat"), "1::One::x\n" + "7".repeat(70_000) + "\n");
        assertEquals("--items-file " + longLine + ":2: line is longer than 65536 bytes; this does not look like a"
                + " text file of items", itemsError(longLine));
        Path nul = Files.write(dir.resolve("nul.item"), "1|One|\n2|T\u0000wo|\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("--items-file " + nul + ":2: holds a NUL byte, so this is binary data, not a text file",
                itemsError(nul));
        Path latin = Files.write(dir.resolve("allow.txt"), "1\n2\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        fails(recommend("--allow", latin.toString()), "--allow " + latin + ":3: is not UTF-8 text; a list of ids"
                + " must be UTF-8");
        Path ok = Files.write(dir.resolve("deny.txt"), "\uFEFF1\r\n2 # two\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(java.util.List.of("1", "2"), RecommendFlags.ids("deny", ok.toString()));
    }

    private static String itemsError(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> ItemTitles.read(file)).getMessage();
    }
}
