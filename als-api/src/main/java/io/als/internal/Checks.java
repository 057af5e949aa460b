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
     * {@link Double#parseDouble}, except that the text of a non-zero number too small in size
     * for a double, which would be read as 0 without a word, is refused. A bad number still
     * throws {@link NumberFormatException}.
     *
     * @throws IllegalArgumentException naming {@code name}, for such a number
     */
    public static double parseDouble(String name, String text) {
        double v = Double.parseDouble(text);
        if (v == 0 && nonZero(text.trim())) {
            throw new IllegalArgumentException(name + " must be 0 or at least " + Double.MIN_VALUE
                    + " in size (the smallest a double holds) but was " + text.trim() + ", which would read as 0");
        }
        return v;
    }

    /** Whether a number's text has a digit other than 0 before its exponent. */
    private static boolean nonZero(String t) {
        String m = t.replaceFirst("^[-+]", "");
        boolean hex = m.startsWith("0x") || m.startsWith("0X");
        if (hex) {
            m = m.substring(2).replaceFirst("[pP].*$", "");
            return m.matches(".*[1-9a-fA-F].*");
        }
        return m.replaceFirst("[eE].*$", "").matches(".*[1-9].*");
    }
}
