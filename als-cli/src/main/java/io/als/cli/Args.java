package io.als.cli;

import java.nio.file.Path;
import java.util.Map;

/** Parsed flags of one command, with typed getters whose errors name the flag and the value. */
public final class Args {
    private final String command;
    private final Map<String, String> values;

    Args(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, or null when absent. */
    public String get(String name) {
        return values.get(name);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("'" + command + "' needs --" + name);
        }
        return v;
    }

    public Path requirePath(String name) {
        return Path.of(require(name));
    }

    /**
     * The path of an output file. A value that ends in {@code /} names a folder, which a
     * {@link Path} would forget (it drops the slash), and is refused (exit 2): found in a
     * new-user trial, {@code --out new/} wrote a file called {@code new}.
     *
     * @param example a file name to suggest inside that folder
     */
    public Path requireFilePath(String name, String example) {
        String v = require(name);
        if (v.endsWith("/")) {
            String bare = v.replaceAll("/+$", "");
            // "q.csv/" where q.csv is a file: no name inside it can work.
            boolean file;
            try {
                file = !bare.isEmpty() && java.nio.file.Files.isRegularFile(Path.of(bare));
            } catch (java.nio.file.InvalidPathException e) {
                file = false;
            }
            throw new io.als.api.OutputPathException("--" + name + " " + v + ": ends in '/', so it names a folder, but"
                    + " --" + name + " is the file to write; give a file name such as "
                    + (file ? bare + " (a file now, which would be replaced)" : v + example));
        }
        return Path.of(v);
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public int intValue(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be " + integerKind(v) + " but was '" + v + "'");
        }
    }

    /** "an integer", or, for digits beyond the int range, "an integer of at most 2147483647". */
    static String integerKind(String value) {
        return io.als.internal.Checks.integerKind(value, Integer.MAX_VALUE);
    }

    public Map<String, String> all() {
        return values;
    }
}
