package io.als.api;

/**
 * A declared range of valid ratings, such as {@code 1..5}. Ratings outside it are rejected
 * while reading, naming the line.
 *
 * @param min smallest valid rating
 * @param max largest valid rating
 */
public record RatingScale(double min, double max) {

    public RatingScale {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("scale must be MIN..MAX with finite MIN <= MAX but was " + min + ".." + max);
        }
    }

    /** Parses {@code MIN..MAX}, e.g. {@code 1..5} or {@code 0.5..5}. */
    public static RatingScale parse(String text) {
        int at = text.indexOf("..");
        if (at < 0) {
            throw new IllegalArgumentException("scale must look like MIN..MAX (e.g. 1..5) but was '" + text + "'");
        }
        try {
            return new RatingScale(io.als.internal.Checks.parseDouble("scale", text.substring(0, at)),
                    io.als.internal.Checks.parseDouble("scale", text.substring(at + 2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scale must look like MIN..MAX (e.g. 1..5) but was '" + text + "'");
        }
    }

    public boolean contains(double rating) {
        return rating >= min && rating <= max;
    }

    /** {@code rating} moved into {@code [min, max]} (NaN stays NaN). */
    public double clip(double rating) {
        return rating < min ? min : rating > max ? max : rating;
    }

    @Override
    public String toString() {
        return format(min) + ".." + format(max);
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
