package io.als.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Words for file problems, so that an error says why as well as where: the JDK's own
 * exceptions often carry nothing but the path ({@link AccessDeniedException} for "permission
 * denied", for instance).
 */
public final class FileReasons {
    /** The file-type bits of a POSIX mode, and the types among them. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    public static final String REGULAR_FILE = "a regular file";
    public static final String DIRECTORY = "a directory";

    private FileReasons() {
    }

    /**
     * What a path is, following links: {@link #REGULAR_FILE}, {@link #DIRECTORY},
     * "a character device", "a block device", "a named pipe", "a socket" or "a special file";
     * null when it does not exist or cannot be examined.
     */
    public static String kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return null;
        }
        if (a.isRegularFile()) {
            return REGULAR_FILE;
        }
        if (a.isDirectory()) {
            return DIRECTORY;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            switch (mode & S_IFMT) {
                case S_IFCHR:
                    return "a character device";
                case S_IFBLK:
                    return "a block device";
                case S_IFIFO:
                    return "a named pipe";
                case S_IFSOCK:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | RuntimeException e) {
            // No unix view on this platform: fall through to the generic words.
        }
        return "a special file";
    }

    /**
     * Why an operation on {@code path} failed, in a few words: "permission denied", "no such
     * file or directory", "/etc/hostname is a regular file, not a directory", "read-only file
     * system", ...
     */
    public static String reason(Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException
                || (e instanceof FileSystemException f && "Not a directory".equals(f.getReason()))) {
            Path blocker = nonDirectoryAncestor(path);
            if (blocker != null) {
                return blocker + " is " + kind(blocker) + ", not a directory";
            }
            return e instanceof NoSuchFileException ? "no such file or directory" : "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return lowerFirst(f.getReason());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The nearest proper ancestor of {@code path} that exists but is not a directory, or null. */
    public static Path nonDirectoryAncestor(Path path) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            String kind = kind(p);
            if (kind != null) {
                return kind.equals(DIRECTORY) ? null : p;
            }
        }
        return null;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
