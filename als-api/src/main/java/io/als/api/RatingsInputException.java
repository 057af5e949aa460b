package io.als.api;

/**
 * Bad ratings input. The message names the source (usually a file), the line when known,
 * and the offending value; the fields carry the same facts for programs.
 */
public class RatingsInputException extends AlsException {
    private final String source;
    private final long line;

    public RatingsInputException(String source, long line, String message) {
        super(location(source, line) + message);
        this.source = source;
        this.line = line;
    }

    /** The file or stream the input came from, or null. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when not known. */
    public long line() {
        return line;
    }

    static String location(String source, long line) {
        if (source == null && line <= 0) {
            return "";
        }
        String s = source == null ? "input" : source;
        return line > 0 ? s + ":" + line + ": " : s + ": ";
    }
}
