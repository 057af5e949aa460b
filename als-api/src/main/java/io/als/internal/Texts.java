package io.als.internal;

/** Text from a file or a command line as a message shows it. */
public final class Texts {
    private Texts() {
    }

    /**
     * The first {@code keep} characters of {@code s}, each control character (and, when
     * {@code replacement}, the replacement character U+FFFD that malformed bytes decode to) as a
     * backslash, u and four hex digits, so that nothing raw reaches the terminal; followed by
     * {@code ...} when {@code s} was longer.
     */
    public static String escaped(String s, int keep, boolean replacement) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < keep; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || replacement && c == '\ufffd') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return s.length() > keep ? sb + "..." : sb.toString();
    }
}
