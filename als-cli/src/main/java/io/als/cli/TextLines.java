package io.als.cli;

import io.als.internal.FileReasons;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of a small text file a command reads besides its data ({@code --items-file},
 * {@code --allow}, {@code --deny}), with the care {@code --data} gets: only a regular file is
 * read (a directory, a device such as {@code /dev/zero} or a pipe is refused at once, saying
 * what it is), a line may hold at most {@value #MAX_LINE_BYTES} bytes and no NUL byte. Errors
 * are {@link IllegalArgumentException}s (exit 1) that name the flag, the file and the line.
 */
final class TextLines implements Closeable {
    /** The longest line read, in bytes: the lines of these files are well under 1 KiB. */
    static final int MAX_LINE_BYTES = 1 << 16;

    private final String label;
    private final String name;
    private final InputStream in;
    private byte[] buf = new byte[256];
    private int number;

    private TextLines(String label, String name, InputStream in) {
        this.label = label;
        this.name = name;
        this.in = in;
    }

    /**
     * Opens {@code file} for reading.
     *
     * @param label the flag, for errors ({@code --items-file})
     * @param name  the file as the user gave it, for errors
     */
    static TextLines open(String label, String name, Path file) {
        String refusal = refusal(file);
        if (refusal != null) {
            throw error(label, name, 0, refusal);
        }
        try {
            return new TextLines(label, name, new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        } catch (NoSuchFileException e) {
            throw error(label, name, 0, FileReasons.nonDirectoryAncestor(file) == null ? "file not found"
                    : "cannot read it: " + FileReasons.reason(file, e));
        } catch (IOException e) {
            throw error(label, name, 0, "cannot read it: " + FileReasons.reason(file, e));
        }
    }

    /** Why {@code file}, which exists, cannot be read as a text file ("is a directory, not a regular file; ..."); null when it can or does not exist. */
    static String refusal(Path file) {
        String kind = FileReasons.kind(file);
        if (kind == null || kind.equals(FileReasons.REGULAR_FILE)) {
            return null;
        }
        return "is " + kind + ", not a regular file; give a regular file"
                + (kind.equals(FileReasons.DIRECTORY) ? "" : " (a device or a pipe can be endless, as /dev/zero is)");
    }

    /** {@link #refusal(Path)} of a path given as text; null also for text that is no path. */
    static String refusal(String path) {
        try {
            return refusal(Path.of(path));
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * All lines of a UTF-8 file; a line that is not UTF-8 fails naming it.
     *
     * @param what what the file holds, for errors ("a list of ids")
     */
    static List<String> readUtf8(String label, String name, Path file, String what) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> out = new ArrayList<>();
        try (TextLines lines = open(label, name, file)) {
            for (byte[] line = lines.next(); line != null; line = lines.next()) {
                try {
                    out.add(utf8.decode(ByteBuffer.wrap(line)).toString());
                } catch (CharacterCodingException e) {
                    throw lines.error("is not UTF-8 text; " + what + " must be UTF-8");
                }
            }
        }
        if (!out.isEmpty() && !out.get(0).isEmpty() && out.get(0).charAt(0) == '\uFEFF') {
            out.set(0, out.get(0).substring(1));
        }
        return out;
    }

    /** The next line's bytes, without its {@code \n} or {@code \r\n}; null at the end of the file. */
    byte[] next() throws IOException {
        int n = 0;
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c == 0) {
                throw error(label, name, number + 1, "holds a NUL byte, so this is binary data, not a text file");
            }
            if (n == MAX_LINE_BYTES) {
                throw error(label, name, number + 1, "line is longer than " + MAX_LINE_BYTES
                        + " bytes; this does not look like a text file of items");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, 2 * n);
            }
            buf[n++] = (byte) c;
        }
        if (c < 0 && n == 0) {
            return null;
        }
        number++;
        return Arrays.copyOf(buf, n > 0 && buf[n - 1] == '\r' ? n - 1 : n);
    }

    /** The 1-based number of the last line returned. */
    int number() {
        return number;
    }

    /** An error about the last line returned. */
    IllegalArgumentException error(String message) {
        return error(label, name, number, message);
    }

    /** An error about a file: the flag, the file and the line (0: the whole file), then the message. */
    static IllegalArgumentException error(String label, String name, int line, String message) {
        return new IllegalArgumentException(label + " " + name + (line > 0 ? ":" + line : "") + ": " + message);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
