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

    /** Largest magnitude {@link #seconds} formats without {@link String#format}: 10^12 thousandths. */
    private static final double FAST_SECONDS_LIMIT = 1e9;

    /**
     * {@code seconds} with three decimals ("0.007", "12.345"), as {@code %.3f} in
     * {@link java.util.Locale#ROOT} gives it, but without {@link String#format}: in a command's
     * first second the formatter runs interpreted and takes 0.1-0.3 ms a call, which per-iteration
     * progress lines would pay every iteration. The value is rounded to the nearest thousandth
     * ({@link Math#round}); a value with a 5 in the fourth decimal may round the other way than
     * {@code %.3f} does. Non-finite and very large values go through {@code %.3f}.
     */
    public static String seconds(double seconds) {
        if (!(Math.abs(seconds) < FAST_SECONDS_LIMIT)) {
            return String.format(java.util.Locale.ROOT, "%.3f", seconds);
        }
        long thousandths = Math.round(seconds * 1000);
        long whole = Math.abs(thousandths) / 1000;
        long frac = Math.abs(thousandths) % 1000;
        StringBuilder b = new StringBuilder(16);
        if (thousandths < 0) {
            b.append('-');
        }
        b.append(whole).append('.');
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        return b.append(frac).toString();
    }
}
