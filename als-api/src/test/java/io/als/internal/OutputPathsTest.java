package io.als.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.OutputPathException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks made on a file or folder before any work, and the reasons they give. */
class OutputPathsTest {

    @TempDir
    Path dir;

    private static String refusal(Runnable check) {
        return assertThrows(OutputPathException.class, check::run).getMessage();
    }

    @Test
    void aNewOrRegularFileInAnExistingFolderPasses() throws IOException {
        OutputPaths.checkFile("--out", dir.resolve("m.als"), "model.als", Map.of());
        Path old = Files.writeString(dir.resolve("old.als"), "x");
        Map<String, Path> inputs = new HashMap<>();
        inputs.put("--data", dir.resolve("other.csv"));
        inputs.put("--model", null);
        OutputPaths.checkFile("--out", old, "model.als", inputs);
    }

    /** A name longer than a file name may be fails when checked, not when the finished work is moved into place. */
    @Test
    void aNameLongerThanAFileNameMayBeIsRefused() throws IOException {
        Path longest = dir.resolve("a".repeat(251) + ".als");
        OutputPaths.checkFile("--out", longest, "model.als", Map.of());
        Files.writeString(longest, "fits");
        Path over = dir.resolve("a".repeat(252) + ".als");
        assertEquals("--out " + over + ": its name is 256 bytes long, more than the 255 a file name may have (Linux's"
                + " NAME_MAX); give a shorter name", refusal(() -> OutputPaths.checkFile("--out", over, null, Map.of())));
        // Bytes, not characters: 128 two-byte letters are 256 bytes.
        Path wide = dir.resolve("\u00e9".repeat(128));
        assertTrue(refusal(() -> OutputPaths.checkFile("--out", wide, null, Map.of())).contains("256 bytes long"));
    }

    /** A link to nowhere is named as the link: the folder itself, or the folder of a file. */
    @Test
    void aLinkToNowhereIsNamedWhereverItIsOnThePath() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("gone"), dir.resolve("nowhere"));
        assertEquals("--report " + link + ": is a symbolic link to " + dir.resolve("nowhere") + ", which does not exist;"
                + " create its target or give another folder", refusal(() -> OutputPaths.checkFolder("--report", link)));
        Path file = link.resolve("m.als");
        assertEquals("--out " + file + ": " + link + " is a symbolic link to " + dir.resolve("nowhere") + ", which does"
                + " not exist; create its target or give another folder",
                refusal(() -> OutputPaths.checkFile("--out", file, "model.als", Map.of())));
    }

    @Test
    void aDirectoryTargetIsRefusedWithAFileNameToUse() {
        assertEquals("--out " + dir + ": is a directory, not a regular file; give a file name such as "
                + dir.resolve("model.als"), refusal(() -> OutputPaths.checkFile("--out", dir, "model.als", Map.of())));
        assertEquals("--report " + dir + ": is a directory, not a regular file; refusing to replace it; give the name"
                + " of a regular file", refusal(() -> OutputPaths.checkFile("--report", dir, null, Map.of())));
    }

    @Test
    void aDeviceIsNeverReplaced() {
        Path devNull = Path.of("/dev/null");
        // Some sandboxes give a regular file for /dev/null; the check is for a real device.
        if ("a character device".equals(FileReasons.kind(devNull))) {
            assertEquals("--out /dev/null: is a character device, not a regular file; refusing to replace it; give"
                    + " the name of a regular file", refusal(() -> OutputPaths.checkFile("--out", devNull, "model.als",
                    Map.of())));
        }
    }

    @Test
    void theInputItselfIsRefusedEvenThroughAnotherName() throws IOException {
        Path data = Files.writeString(dir.resolve("r.csv"), "1,2,3\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), data);
        String message = refusal(() -> OutputPaths.checkFile("--out", link, "model.als", Map.of("--data", data)));
        assertEquals("--out " + link + ": is the same file as the input --data " + data + "; writing there would"
                + " destroy it, so give another name", message);
    }

    @Test
    void theFolderMustExistAndBeAFolder() throws IOException {
        Path missing = dir.resolve("no/such/m.als");
        assertEquals("--out " + missing + ": its folder " + missing.getParent() + " does not exist; create it first",
                refusal(() -> OutputPaths.checkFile("--out", missing, "model.als", Map.of())));
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path under = file.resolve("m.als");
        assertEquals("--out " + under + ": " + file + " is a regular file, not a directory",
                refusal(() -> OutputPaths.checkFile("--out", under, "model.als", Map.of())));
    }

    @Test
    void checkFolderAcceptsAFolderToCreateAndRefusesAFile() throws IOException {
        OutputPaths.checkFolder("--dir", dir);
        OutputPaths.checkFolder("--dir", dir.resolve("a/b/c"));
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals("--dir " + file + ": is a regular file, not a directory; give a folder",
                refusal(() -> OutputPaths.checkFolder("--dir", file)));
        assertEquals("--dir " + file.resolve("sub") + ": " + file + " is a regular file, not a directory",
                refusal(() -> OutputPaths.checkFolder("--dir", file.resolve("sub"))));
    }

    @Test
    void checkFilesInChecksEachFileUnderTheFoldersSetting() throws IOException {
        OutputPaths.checkFilesIn("--dir", dir.resolve("new"), List.of("a.csv", "b.csv"), Map.of());
        Files.createDirectory(dir.resolve("b.csv"));
        assertEquals("--dir " + dir + ": " + dir.resolve("b.csv") + " is a directory, not a regular file; refusing"
                        + " to replace it; give the name of a regular file",
                refusal(() -> OutputPaths.checkFilesIn("--dir", dir, List.of("a.csv", "b.csv"), Map.of())));
        Path input = Files.writeString(dir.resolve("a.csv"), "x");
        assertTrue(refusal(() -> OutputPaths.checkFilesIn("--dir", dir, List.of("a.csv"), Map.of("--data", input)))
                .contains("is the same file as the input --data"));
    }

    @Test
    void reasonsAreWordsNotExceptionNames() throws IOException {
        Path p = dir.resolve("x");
        assertEquals("permission denied", FileReasons.reason(p, new AccessDeniedException(p.toString())));
        assertEquals("it already exists", FileReasons.reason(p, new FileAlreadyExistsException(p.toString())));
        assertEquals("no such file or directory", FileReasons.reason(p, new NoSuchFileException(p.toString())));
        assertEquals("disk quota exceeded",
                FileReasons.reason(p, new FileSystemException(p.toString(), null, "Disk quota exceeded")));
        assertEquals("boom", FileReasons.reason(p, new IOException("boom")));
        assertEquals("IOException", FileReasons.reason(p, new IOException()));
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals(file + " is a regular file, not a directory",
                FileReasons.reason(file.resolve("y"), new NoSuchFileException("y")));
        assertEquals(file, FileReasons.nonDirectoryAncestor(file.resolve("y/z")));
        assertNull(FileReasons.nonDirectoryAncestor(dir.resolve("y/z")));
        assertEquals(FileReasons.REGULAR_FILE, FileReasons.kind(file));
        assertEquals(FileReasons.DIRECTORY, FileReasons.kind(dir));
        assertNull(FileReasons.kind(dir.resolve("none")));
    }
}
