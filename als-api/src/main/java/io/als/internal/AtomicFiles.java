package io.als.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers see either the old content or the complete new content:
 * the bytes go to a temporary file beside the target, which is then moved over it.
 *
 * <p>What is left behind, and when:
 * <ul>
 *   <li>an exception while writing: the temporary file is deleted and the target is left as
 *       it was;</li>
 *   <li>an orderly JVM exit during a write (SIGTERM, SIGINT, {@code System.exit}): a shutdown
 *       hook deletes the temporary files still being written;</li>
 *   <li>a kill that runs no hook ({@code kill -9}, a power cut): the temporary file stays until
 *       the next write of the same target in that folder, which deletes the temporary files of
 *       that target whose process is no longer alive.</li>
 * </ul>
 * Temporary files are named {@code .als-HASH-PID-N.tmp}: {@code HASH} is 8 hex digits of the
 * target's file name (so stale files can be matched to their target), {@code PID} the id of
 * the writing process and {@code N} a counter. The name is short whatever the target's name,
 * so any legal target name (up to the 255-byte limit) can be written. Process ids are only
 * meaningful on one machine: two machines writing the same target in a shared folder could
 * take each other's live temporary file for a stale one.
 *
 * <p>A target that exists and is not a regular file (a directory, a device such as
 * {@code /dev/null}, a pipe) is refused: the move would replace it.
 */
public final class AtomicFiles {

    /** Produces the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** rw-r--r--: what a new file gets under the usual umask 022. */
    static final String NEW_FILE_PERMISSIONS = "rw-r--r--";
    /** The names of temporary files: hash of the target's name, process id, counter. */
    static final Pattern TEMP_NAME = Pattern.compile("\\.als-([0-9a-f]{8})-([0-9]+)-([0-9]+)\\.tmp");

    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Temporary files being written now, deleted by the shutdown hook if the JVM exits first. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();
    private static boolean hookInstalled;

    private AtomicFiles() {
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir != null) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                Path blocker = FileReasons.nonDirectoryAncestor(target);
                throw new FileSystemException(target.toString(), null, "cannot create its folder: " + (blocker != null
                        ? blocker + " is " + FileReasons.kind(blocker) + ", not a directory" : FileReasons.reason(dir, e)));
            }
        }
        String kind = FileReasons.kind(target);
        if (kind != null && !kind.equals(FileReasons.REGULAR_FILE)) {
            throw new FileSystemException(target.toString(), null,
                    "exists and is " + kind + ", not a regular file; refusing to replace it");
        }
        deleteStale(dir, target);
        Path tmp = createTemp(dir, target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            // A temporary file is private (0600); give the result the permissions an ordinary
            // new file gets, or keep those of the file it replaces.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(target)
                        ? Files.getPosixFilePermissions(target) : PosixFilePermissions.fromString(NEW_FILE_PERMISSIONS));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } finally {
                IN_PROGRESS.remove(tmp);
            }
        }
    }

    /**
     * Checks that a temporary file for {@code target} can be created in {@code dir} (an
     * existing folder) by creating one and deleting it again.
     *
     * @throws IOException what creating it threw
     */
    public static void probe(Path dir, Path target) throws IOException {
        Path tmp = createTemp(dir, target);
        try {
            Files.delete(tmp);
        } finally {
            IN_PROGRESS.remove(tmp);
        }
    }

    /** The 8-hex-digit tag of a target's name that its temporary files carry. */
    static String tag(Path target) {
        Path name = target.getFileName();
        return String.format(Locale.ROOT, "%08x", name == null ? 0 : name.toString().hashCode());
    }

    private static Path createTemp(Path dir, Path target) throws IOException {
        String tag = tag(target);
        FileAttribute<?>[] attrs = Files.getFileStore(dir).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        installHook();
        while (true) {
            Path tmp = dir.resolve(".als-" + tag + "-" + PID + "-" + COUNTER.incrementAndGet() + ".tmp");
            IN_PROGRESS.add(tmp);
            try {
                return Files.createFile(tmp, attrs);
            } catch (FileAlreadyExistsException e) {
                // Left by an earlier process with this id: try the next number.
                IN_PROGRESS.remove(tmp);
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(tmp);
                throw e;
            }
        }
    }

    /**
     * Deletes the temporary files of {@code target} in {@code dir} whose writing process is no
     * longer alive (left by a kill that ran no shutdown hook). Files of live processes, this
     * one included, are left alone: they may be writes in progress. Best effort: a file that
     * cannot be deleted is left.
     */
    static int deleteStale(Path dir, Path target) {
        String tag = tag(target);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".als-" + tag + "-*.tmp")) {
            for (Path f : files) {
                Matcher m = TEMP_NAME.matcher(f.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(tag)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && !alive(pid) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Cleaning up is a courtesy; it must never stop the write itself.
        }
        return deleted;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteInProgress, "als-temp-file-cleanup"));
        } catch (IllegalStateException shuttingDown) {
            // Too late for a hook; the next write of the target cleans up instead.
        }
        hookInstalled = true;
    }

    private static void deleteInProgress() {
        for (Path tmp : IN_PROGRESS) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException | RuntimeException e) {
                // Nothing more can be done while the JVM exits.
            }
        }
    }
}
