package io.als.cli;

import io.als.api.SolverSelection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --config} file, read strictly. Every line is blank, a comment ({@code #} or
 * {@code !} first), or {@code als.KEY = VALUE} (or {@code als.KEY: VALUE}) with a known key and
 * a value that the same flag would accept; anything else (a misspelt or unprefixed key, a
 * ratings or model file given by mistake, random bytes) fails naming the file and the line.
 * A key may appear once. The file may be at most {@value #MAX_BYTES} bytes (64 KiB), so that
 * a device such as {@code /dev/zero} fails at once instead of filling the heap.
 */
final class ConfigFile {
    /** The largest config file read: far more than the dozen lines a config holds. */
    static final int MAX_BYTES = 64 * 1024;
    /** The characters of a bad line shown in a message. */
    private static final int EXCERPT = 30;
    private static final Pattern LINE = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)\\s*[=:]\\s*(.*)");

    private ConfigFile() {
    }

    /** The keys a config file may set, sorted: {@code als.solver} and one per setting of the fit. */
    static List<String> keys() {
        TreeSet<String> keys = new TreeSet<>();
        keys.add(SolverSelection.PROPERTY);
        FlagChecks.SETTINGS.forEach(s -> keys.add("als." + s));
        return new ArrayList<>(keys);
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws UsageException naming the file, and the line when the content is at fault
     */
    static Properties read(Path file) {
        // A pipe (--config <(...)) can be read only once: the flag check reads it before the
        // command does, so its settings are kept for the command's read (a regular file is
        // read again, and may have changed in between only by the user's own hand).
        if (!Files.isRegularFile(file) && !Files.isDirectory(file) && Files.exists(file)) {
            String key = file.toAbsolutePath().toString();
            synchronized (READ_ONCE) {
                Properties kept = READ_ONCE.get(key);
                if (kept == null) {
                    kept = readOnce(file);
                    READ_ONCE.put(key, kept);
                }
                Properties copy = new Properties();
                copy.putAll(kept);
                return copy;
            }
        }
        return readOnce(file);
    }

    /** Settings read from pipes and other files that cannot be read twice, by absolute path. */
    private static final Map<String, Properties> READ_ONCE = new HashMap<>();

    private static Properties readOnce(Path file) {
        String where = "--config " + file;
        if (Files.isDirectory(file)) {
            throw new UsageException(where + ": is a directory, not a file of als.KEY = VALUE lines");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new UsageException(where + ": file not found");
        } catch (AccessDeniedException e) {
            throw new UsageException(where + ": permission denied");
        } catch (IOException e) {
            throw new UsageException(where + ": cannot be read (" + e + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw new UsageException(where + ": larger than " + MAX_BYTES / 1024 + " KiB, so not a config file (which"
                    + " holds a few als.KEY = VALUE lines)");
        }
        // ISO-8859-1, as java.util.Properties reads: every byte is a character, so nothing fails
        // to decode and a binary file shows up as a line that is not als.KEY = VALUE.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\u00ef\u00bb\u00bf")) {
            text = text.substring(3); // a UTF-8 byte-order mark
        }
        Properties out = new Properties();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int n = 1; n <= lines.length; n++) {
            String line = lines[n - 1].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            String at = file + ":" + n + ": ";
            int binary = firstNonText(line);
            if (binary >= 0) {
                throw new UsageException("--config " + at + "holds the byte " + String.format("0x%02x",
                        (int) line.charAt(binary)) + " in column " + (binary + 1) + ", which is not text; is this a"
                        + " config file?");
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new UsageException("--config " + at + "expected als.KEY = VALUE but found '" + excerpt(line)
                        + "'; is this a config file?");
            }
            String key = m.group(1);
            String value = m.group(2).strip();
            if (!key.startsWith("als.")) {
                String hint = keys().contains("als." + key) ? "; write als." + key + " = " + excerpt(value) : "";
                throw new UsageException("--config " + at + "key '" + excerpt(key) + "' is not an als. setting" + hint
                        + " (keys are " + keys() + ")");
            }
            if (!keys().contains(key)) {
                throw new UsageException("--config " + at + "unknown key '" + excerpt(key) + "'; keys are "
                        + keys());
            }
            Integer first = seen.putIfAbsent(key, n);
            if (first != null) {
                throw new UsageException("--config " + at + key + " is set again (first on line " + first + ")");
            }
            String name = key.substring("als.".length());
            if (value.isEmpty()) {
                throw new UsageException("--config " + at + key + " has no value");
            }
            FlagChecks.Check check = FlagChecks.forFlag(name);
            if (check != null) {
                check.check("--config " + at + key, value);
            }
            out.setProperty(key, value);
        }
        return out;
    }

    /** The index of the first character that is neither printable ASCII nor a tab, or -1. */
    private static int firstNonText(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c >= 0x7f) {
                return i;
            }
        }
        return -1;
    }

    /** At most {@link #EXCERPT} characters, with any but printable ASCII as {@code \\uXXXX}. */
    private static String excerpt(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < s.length() && i < EXCERPT; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return i < s.length() ? sb + "..." : sb.toString();
    }
}
