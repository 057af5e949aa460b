package io.als.internal;

import io.als.api.OutputPathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks made before a long job, so that a file or folder it will write to is known to be
 * usable before the work starts rather than after. Each failure is an
 * {@link OutputPathException} whose message starts with the setting and the path ("--out
 * /dev/null: ...") and says why.
 */
public final class OutputPaths {
    /** The longest file name, in bytes, that the usual Linux file systems take (NAME_MAX). */
    static final int MAX_NAME_BYTES = 255;

    private OutputPaths() {
    }

    /**
     * Checks a file that {@link AtomicFiles#write} will write:
     * <ul>
     *   <li>if it exists, it is a regular file (not a directory, a device or a pipe);</li>
     *   <li>it is none of {@code inputs} (after resolving links and hard links);</li>
     *   <li>its folder exists, is a folder, and a file can be created in it.</li>
     * </ul>
     *
     * @param label   the setting that names it, e.g. {@code --out}
     * @param target  the file
     * @param example a file name to suggest when the target is a directory, e.g. {@code model.als}
     * @param inputs  files the same job reads, by the setting that names them
     */
    public static void checkFile(String label, Path target, String example, Map<String, Path> inputs) {
        checkTarget(label + " " + target + ": ", target, example, inputs, true);
    }

    /**
     * Checks a folder a job will create files in: if it exists it is a folder in which a file
     * can be created; if it does not, the nearest existing ancestor is a folder in which it
     * can be created.
     */
    public static void checkFolder(String label, Path dir) {
        String prefix = label + " " + dir + ": ";
        String kind = FileReasons.kind(dir);
        if (kind != null && !kind.equals(FileReasons.DIRECTORY)) {
            throw new OutputPathException(prefix + "is " + kind + ", not a directory; give a folder");
        }
        requireWritableFolder(prefix, dir, true);
    }

    /**
     * Checks a folder as {@link #checkFolder} does, then the files a job will write into it
     * as {@link #checkFile} does (but the folder may be created), with messages that name the
     * folder's setting.
     */
    public static void checkFilesIn(String label, Path dir, Iterable<String> names, Map<String, Path> inputs) {
        checkFolder(label, dir);
        for (String name : names) {
            Path file = dir.resolve(name);
            checkTarget(label + " " + dir + ": " + file + " ", file, null, inputs, false);
        }
    }

    /** The checks of {@link #checkFile}; the folder's only when {@code checkFolder} (else the caller checked it). */
    private static void checkTarget(String prefix, Path target, String example, Map<String, Path> inputs,
                                    boolean checkFolder) {
        Path fileName = target.getFileName();
        int nameBytes = fileName == null ? 0 : fileName.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_NAME_BYTES) {
            throw new OutputPathException(prefix + "its name is " + nameBytes + " bytes long, more than the "
                    + MAX_NAME_BYTES + " a file name may have (Linux's NAME_MAX); give a shorter name");
        }
        String kind = FileReasons.kind(target);
        if (kind != null && !kind.equals(FileReasons.REGULAR_FILE)) {
            String hint = kind.equals(FileReasons.DIRECTORY) && example != null
                    ? "give a file name such as " + target.resolve(example)
                    : "refusing to replace it; give the name of a regular file";
            throw new OutputPathException(prefix + "is " + kind + ", not a regular file; " + hint);
        }
        if (kind != null) {
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (in.getValue() != null && sameFile(target, in.getValue())) {
                    throw new OutputPathException(prefix + "is the same file as the input " + in.getKey() + " "
                            + in.getValue() + "; writing there would destroy it, so give another name");
                }
            }
        }
        Path folder = target.getParent() != null ? target.getParent() : target.toAbsolutePath().getParent();
        if (checkFolder && folder != null) {
            requireWritableFolder(prefix, folder, false);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Checks that files can be created in {@code dir}, or, when {@code mayCreate}, in the
     * nearest existing ancestor in which {@code dir} would be created.
     */
    private static void requireWritableFolder(String prefix, Path dir, boolean mayCreate) {
        Path existing = dir;
        while (true) {
            try {
                Files.readAttributes(existing, java.nio.file.attribute.BasicFileAttributes.class);
                break;
            } catch (NoSuchFileException e) {
                if (Files.isSymbolicLink(existing)) {
                    // A folder made through a link that leads nowhere fails only when the job writes.
                    String to;
                    try {
                        to = " to " + Files.readSymbolicLink(existing);
                    } catch (IOException | UnsupportedOperationException unreadable) {
                        to = "";
                    }
                    throw new OutputPathException(prefix + (existing.equals(dir) && mayCreate ? "" : existing + " ")
                            + "is a symbolic link" + to + ", which does not exist; create its target or give"
                            + " another folder");
                }
                Path up = existing.getParent();
                existing = up != null || existing.isAbsolute() ? up : existing.toAbsolutePath().getParent();
            } catch (IOException e) {
                Path blocker = FileReasons.nonDirectoryAncestor(existing);
                if (blocker == null) {
                    throw new OutputPathException(prefix + "cannot examine " + existing + ": "
                            + FileReasons.reason(existing, e));
                }
                existing = blocker;
                break;
            }
            if (existing == null) {
                throw new OutputPathException(prefix + "no folder on its path exists");
            }
        }
        String kind = FileReasons.kind(existing);
        if (!FileReasons.DIRECTORY.equals(kind)) {
            throw new OutputPathException(prefix + existing + " is " + (kind == null ? "not accessible" : kind)
                    + ", not a directory");
        }
        if (!existing.equals(dir) && !mayCreate) {
            throw new OutputPathException(prefix + "its folder " + dir + " does not exist; create it first");
        }
        try {
            AtomicFiles.probe(existing, dir);
        } catch (IOException e) {
            throw new OutputPathException(prefix + "cannot create files in " + existing + ": "
                    + FileReasons.reason(existing, e));
        }
    }
}
