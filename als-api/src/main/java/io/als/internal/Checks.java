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
}
