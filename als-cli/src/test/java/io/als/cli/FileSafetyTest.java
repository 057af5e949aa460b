package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a command writes and reads: nothing is written through a device or over an
 * input, destinations are checked before any work (exit 2 naming the flag, the path and the
 * reason), and every read or write error says why.
 *
 * <p>Where a check happens before loading, the tests give a {@code --data} file that does not
 * exist: the destination's error (exit 2) rather than the missing file's (exit 1) shows that
 * the destination was checked first.
 */
class FileSafetyTest {
    @TempDir
    Path dir;

    private Path ratings() throws IOException {
        return ratings(dir);
    }

    /** 6 users x 5 items, every pair rated, as u.data (tab-separated) in {@code dir}/r.tsv. */
    static Path ratings(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int u = 1; u <= 6; u++) {
            for (int i = 1; i <= 5; i++) {
                sb.append(u).append('\t').append(i).append('\t').append(1 + (u * i) % 5).append('\n');
            }
        }
        return Files.writeString(dir.resolve("r.tsv"), sb);
    }

    private static MainTest.Run train(Path data, Path out) {
        return MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--rank", "2",
                "--iterations", "2", "--threads", "1");
    }

    private static void usage(MainTest.Run r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    // ------------------------------------------------------------------ destinations

    @Test
    void devicesAreRefusedBeforeLoadingAndStayDevices() throws IOException {
        Path missing = dir.resolve("missing.tsv");
        for (String device : new String[] {"/dev/null", "/dev/full"}) {
            Path d = Path.of(device);
            assumeTrue(Files.exists(d) && !Files.isRegularFile(d), "needs the device " + device);
            usage(train(missing, d), "--out " + device + ": is a character device, not a regular file; refusing"
                    + " to replace it");
            assertFalse(Files.isRegularFile(d), device + " is still a device");
        }
    }

    @Test
    void theInputIsNeverOverwrittenUnderAnyName() throws IOException {
        Path data = ratings();
        byte[] before = Files.readAllBytes(data);
        Path link = Files.createSymbolicLink(dir.resolve("link.tsv"), data);
        Path hard = Files.createLink(dir.resolve("hard.tsv"), data);
        for (Path out : new Path[] {data, link, hard}) {
            usage(train(data, out), "--out " + out + ": is the same file as the input --data " + data);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(data)), "the ratings are intact");
        // Through a symbolic link to the data, the other way round.
        usage(train(link, data), "is the same file as the input --data " + link);
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aDestinationUnderARegularFileOrInAMissingFolderIsRefusedWithTheReason() throws IOException {
        Path missing = dir.resolve("missing.tsv");
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes");
        usage(train(missing, file.resolve("m.als")), "--out " + file.resolve("m.als") + ": " + file
                + " is a regular file, not a directory");
        Path nowhere = dir.resolve("nosuch").resolve("m.als");
        usage(train(missing, nowhere), "--out " + nowhere + ": its folder " + nowhere.getParent()
                + " does not exist; create it first");
        usage(train(missing, dir), "--out " + dir + ": is a directory, not a regular file; give a file name such as "
                + dir.resolve("model.als"));
    }

    @Test
    void aFileDestinationEndingInASlashIsRefusedAsAFolder() throws IOException {
        // Found in a new-user trial: "--out new/" (no such folder) wrote a file called "new".
        Path missing = dir.resolve("missing.tsv");
        String folder = dir.resolve("new") + "/";
        usage(MainTest.run("train", "--data", missing.toString(), "--out", folder), "--out " + folder + ": ends in '/',"
                + " so it names a folder, but --out is the file to write; give a file name such as " + folder + "model.als");
        usage(MainTest.run("recommend", "--model", dir.resolve("m.als").toString(), "--all", "-n", "1", "--out", folder),
                "--out " + folder + ": ends in '/', so it names a folder, but --out is the file to write; give a file name"
                + " such as " + folder + "recommendations.csv");
        assertFalse(Files.exists(dir.resolve("new")), "nothing was written");
    }

    @Test
    void reportAndFetchFoldersNamingAFileAreRefusedWithTheReason() throws IOException {
        Path missing = dir.resolve("missing.tsv");
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes");
        usage(MainTest.run("cv", "--data", missing.toString(), "--report", file.toString()),
                "--report " + file + ": is a regular file, not a directory; give a folder");
        usage(MainTest.run("tune", "--data", missing.toString(), "--report", file.resolve("sub").toString()),
                "--report " + file.resolve("sub") + ": " + file + " is a regular file, not a directory");
        // A file the report would replace that is a folder.
        Path report = Files.createDirectories(dir.resolve("report").resolve("cv-folds.csv")).getParent();
        usage(MainTest.run("cv", "--data", missing.toString(), "--report", report.toString()),
                report.resolve("cv-folds.csv") + " is a directory, not a regular file");
        // A report folder that does not exist yet passes: it is created (the missing data fails next, exit 1).
        MainTest.Run fresh = MainTest.run("cv", "--data", missing.toString(), "--report",
                dir.resolve("new").resolve("report").toString());
        assertEquals(1, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains(missing + ": file not found"), fresh.err());
        // fetch checks its folder before any download (no network is needed to see this).
        usage(MainTest.run("fetch", "ml-100k", "--dir", file.toString()),
                "--dir " + file + ": is a regular file, not a directory; give a folder");
        assertEquals("notes", Files.readString(file));
    }

    @Test
    void anyLegalOutputNameCanBeWritten() throws IOException {
        Path data = ratings();
        Path out = dir.resolve("m".repeat(251) + ".als");
        MainTest.Run r = train(data, out);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out));
        assertEquals(List.of(), leftovers());
    }

    // ------------------------------------------------------------------ permissions

    /**
     * Runs the command line where file modes are enforced. As root they are not (root may
     * read and write anything), so the command runs in a child JVM whose capability bounding
     * set lacks CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (util-linux {@code setpriv}): still
     * uid 0, but bound by the modes like any user.
     */
    private MainTest.Run unprivileged(String... argv) throws Exception {
        Path probe = Files.writeString(dir.resolve("probe"), "x");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        boolean privileged = Files.isReadable(probe);
        Files.delete(probe);
        if (!privileged) {
            return MainTest.run(argv);
        }
        Path setpriv = Stream.of("/usr/bin/setpriv", "/bin/setpriv").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(setpriv != null, "running as a privileged user without setpriv: file modes cannot be enforced");
        List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child finished");
        String err = Files.readString(dir.resolve("child.err"), StandardCharsets.UTF_8);
        assumeTrue(!err.startsWith("setpriv:"), "setpriv cannot drop capabilities here: " + err);
        return new MainTest.Run(p.exitValue(), Files.readString(dir.resolve("child.out")), err);
    }

    @Test
    void permissionDeniedIsSaidForOutDataAndModel() throws Exception {
        Path data = ratings();
        Path model = dir.resolve("m.als");
        assertEquals(0, train(data, model).code());
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        MainTest.Run out = unprivileged("train", "--data", data.toString(), "--out", locked.resolve("m.als").toString());
        usage(out, "--out " + locked.resolve("m.als") + ": cannot create files in " + locked + ": permission denied");

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("---------"));
        MainTest.Run in = unprivileged("train", "--data", data.toString(), "--out", dir.resolve("m2.als").toString());
        assertEquals(1, in.code(), in.err());
        assertTrue(in.err().contains(data + ": cannot read it: permission denied"), in.err());

        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("---------"));
        MainTest.Run m = unprivileged("predict", "--model", model.toString(), "--user", "1", "--item", "1");
        assertEquals(1, m.code(), m.err());
        assertTrue(m.err().contains(model + ": cannot read the model file: permission denied"), m.err());
    }

    @Test
    void inputsUnderARegularFileSayWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes");
        MainTest.Run data = train(file.resolve("r.tsv"), dir.resolve("m.als"));
        assertEquals(1, data.code());
        assertTrue(data.err().contains(file.resolve("r.tsv") + ": cannot read it: " + file
                + " is a regular file, not a directory"), data.err());
        MainTest.Run model = MainTest.run("predict", "--model", file.resolve("m.als").toString(), "--user", "1",
                "--item", "1");
        assertEquals(1, model.code());
        assertTrue(model.err().contains(file.resolve("m.als") + ": cannot read the model file: " + file
                + " is a regular file, not a directory"), model.err());
    }

    // ------------------------------------------------------------------ endless inputs

    @Test
    void devZeroAsDataOrModelFailsAtOnceAndSaysWhat() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "needs /dev/zero");
        long start = System.nanoTime();
        MainTest.Run data = train(zero, dir.resolve("m.als"));
        MainTest.Run model = MainTest.run("predict", "--model", zero.toString(), "--user", "1", "--item", "1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(1, data.code());
        assertTrue(data.err().contains("/dev/zero: is a character device, not a regular file; ratings must be in a"
                + " regular file"), data.err());
        assertEquals(1, model.code());
        assertTrue(model.err().contains("/dev/zero: not an als model file (no ALSMODEL header)"), model.err());
        assertTrue(seconds < 10, "took " + seconds + " s");
    }
}
