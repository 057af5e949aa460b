package io.als.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an atomic write leaves behind: nothing after an error or an orderly exit, a temporary
 * file after {@code kill -9} that the next write of the target removes, and never a replaced
 * device or directory. Also: the temporary name is short whatever the target's name.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static void write(Path target, String text) throws IOException {
        AtomicFiles.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> AtomicFiles.TEMP_NAME.matcher(p.getFileName().toString()).matches()).toList();
        }
    }

    @Test
    void aTargetThatIsNotARegularFileIsNeverReplaced() throws IOException, InterruptedException {
        // A named pipe made here, not a device of the machine: under mutation testing (run as
        // root) a write that should be refused goes through, and it once replaced /dev/null
        // with a regular file. A device is checked without writing (OutputPathsTest).
        Path pipe = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).redirectErrorStream(true).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        FileSystemException e = assertThrows(FileSystemException.class, () -> write(pipe, "model"));
        assertEquals(pipe + ": exists and is a named pipe, not a regular file; refusing to replace it",
                e.getMessage());
        assertEquals("a named pipe", FileReasons.kind(pipe), "still a pipe");
        assertEquals(List.of(), temporaryFiles());

        Path sub = Files.createDirectory(dir.resolve("sub"));
        e = assertThrows(FileSystemException.class, () -> write(sub, "model"));
        assertTrue(e.getMessage().contains("exists and is a directory, not a regular file"), e.getMessage());
        assertTrue(Files.isDirectory(sub));
        assertEquals(List.of(), temporaryFiles());

        Path file = Files.writeString(dir.resolve("notes.txt"), "notes");
        e = assertThrows(FileSystemException.class, () -> write(file.resolve("m.als"), "model"));
        assertEquals(file.resolve("m.als") + ": cannot create its folder: " + file + " is a regular file, not a"
                + " directory", e.getMessage());
    }

    @Test
    void anyLegalTargetNameCanBeWritten() throws IOException {
        for (int length : new int[] {230, 250, 255}) {
            Path target = dir.resolve("m".repeat(length - 4) + ".als");
            write(target, "model " + length);
            assertEquals("model " + length, Files.readString(target));
        }
        assertEquals(List.of(), temporaryFiles());
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreDeletedOnTheNextWrite() throws Exception {
        Path target = dir.resolve("model.als");
        String tag = AtomicFiles.tag(target);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        assumeTrue(ProcessHandle.of(dead).isEmpty(), "the finished process's id was reused at once");
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Path stale = Files.writeString(dir.resolve(".als-" + tag + "-" + dead + "-1.tmp"), "left by kill -9");
        Path inProgress = Files.writeString(dir.resolve(".als-" + tag + "-" + live + "-1.tmp"), "still writing");
        Path otherTarget = Files.writeString(dir.resolve(".als-" + AtomicFiles.tag(dir.resolve("x.als")) + "-" + dead
                + "-1.tmp"), "another target's");
        write(target, "new");
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(stale), "the dead process's temporary file is gone");
        assertTrue(Files.exists(inProgress), "a live process's temporary file may be a write in progress");
        assertTrue(Files.exists(otherTarget), "only the target's own temporary files are touched");
    }

    /** Starts {@link SlowAtomicWriter} on {@code target} and waits until it is mid-write. */
    private static Process writerInTheMiddle(Path target) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SlowAtomicWriter.class.getName(), target.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"writing".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the writer process said " + line);
        }
        return p;
    }

    @Test
    void killDashNineLeavesATemporaryFileThatTheNextWriteRemoves() throws Exception {
        Path target = dir.resolve("model.als");
        write(target, "old");
        Process p = writerInTheMiddle(target);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, temporaryFiles().size(), "the killed write left its temporary file");
        assertEquals("old", Files.readString(target), "and the old content intact");
        write(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(), temporaryFiles(), "the next write removed the stale temporary file");
    }

    @Test
    void sigtermDuringAWriteLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("model.als");
        Process p = writerInTheMiddle(target);
        p.destroy(); // SIGTERM: the JVM runs its shutdown hooks
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), temporaryFiles());
        assertFalse(Files.exists(target), "nothing half-written appears under the target's name");
    }
}
