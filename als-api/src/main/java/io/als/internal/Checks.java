package io.als.internal;

/**
 * Argument checks whose messages follow one pattern: "NAME must be CONSTRAINT but was VALUE".
 */
public final class Checks {
    private Checks() {
    }

    /**
     * What an integer setting must be, for the message when {@code value} did not parse:
     * "an integer", or, when it is digits beyond {@code max}, "an integer of at most MAX".
     */
    public static String integerKind(String value, long max) {
        return value.trim().matches("[-+]?\\d+") ? "an integer of at most " + max : "an integer";
    }

    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive but was " + value);
        }
        return value;
    }

    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be non-negative but was " + value);
        }
        return value;
    }

    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and non-negative but was " + value);
        }
        return value;
    }

    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite but was " + value);
        }
        return value;
    }

    /**
     * The number a text writes, read strictly: a decimal number as people and data files write
     * them (sign, digits, point, exponent; or NaN and Infinity, which the caller's own checks
     * then name), never Java's {@code 4d}, {@code 4f} or hexadecimal {@code 0x1p2}, which
     * {@link Double#parseDouble} alone also takes; and not a non-zero number too small in size
     * for a double, which would be read as 0 without a word.
     *
     * @throws NumberFormatException    when the text is not such a number
     * @throws IllegalArgumentException naming {@code name}, for a number that would read as 0
     */
    public static double parseDouble(String name, String text) {
        String t = decimal(text);
        double v = Double.parseDouble(t);
        if (underflows(t, v)) {
            throw new IllegalArgumentException(name + " must be 0 or at least " + Double.MIN_VALUE
                    + " in size (the smallest a double holds) but was " + t + ", which would read as 0");
        }
        if (Double.isInfinite(v) && !t.contains("Infinity")) {
            throw new IllegalArgumentException(name + " must be finite but was " + t + ", beyond the largest a double"
                    + " holds (" + Double.MAX_VALUE + ")");
        }
        return v;
    }

    /** Whether {@code v}, read from {@code text}, is a non-zero number that came out as 0. */
    public static boolean underflows(String text, double v) {
        return v == 0 && text.replaceFirst("[eE].*$", "").matches(".*[1-9].*");
    }

    /**
     * {@code text} stripped when it is a decimal number (see {@link #parseDouble}), else a
     * {@link NumberFormatException}.
     */
    public static String decimal(String text) {
        String t = text.strip();
        int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
        if (t.startsWith("NaN", i) && t.length() == i + 3 || t.startsWith("Infinity", i) && t.length() == i + 8) {
            return t;
        }
        int digits = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < t.length() && t.charAt(i) == '.') {
            i++;
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits > 0 && i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            int e = ++i;
            if (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
                e = ++i;
            }
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == e) {
                throw new NumberFormatException(text);
            }
        }
        if (digits == 0 || i != t.length()) {
            throw new NumberFormatException(text);
        }
        return t;
    }
}
