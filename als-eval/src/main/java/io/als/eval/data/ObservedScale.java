package io.als.eval.data;

import io.als.api.Ratings;
import io.als.spi.SparseView;

/**
 * The rating scale a data set actually uses: its smallest and largest rating and the step
 * between levels, e.g. 1..5 in steps of 1 (MovieLens 100K and 1M) or 0.5..5 in steps of 0.5
 * (MovieLens 10M and later). Predictions can be clipped to it.
 *
 * @param min  smallest rating seen
 * @param max  largest rating seen
 * @param step the largest of the {@link #STEPS} that every rating is a multiple of (counting
 *             from {@code min}), or 0 when the ratings fit none of them
 */
public record ObservedScale(double min, double max, double step) {

    /** Candidate steps, largest first. */
    static final double[] STEPS = {1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.01};
    /** How close to a whole number of steps a rating must be. */
    private static final double SLACK = 1e-9;

    /** The scale of a set of ratings. */
    public static ObservedScale of(Ratings ratings) {
        SparseView v = ratings.byUser();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < v.nnz(); e++) {
            lo = Math.min(lo, v.value(e));
            hi = Math.max(hi, v.value(e));
        }
        for (double step : STEPS) {
            if (allOnGrid(v, lo, step)) {
                return new ObservedScale(lo, hi, step);
            }
        }
        return new ObservedScale(lo, hi, 0);
    }

    private static boolean allOnGrid(SparseView v, double origin, double step) {
        for (int e = 0; e < v.nnz(); e++) {
            double levels = (v.value(e) - origin) / step;
            if (Math.abs(levels - Math.rint(levels)) > SLACK * Math.max(1, Math.abs(levels))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Number of distinct levels on the grid, or 0 for a continuous scale. A long, so that a
     * very wide scale cannot wrap around to a negative count.
     */
    public long levels() {
        return step == 0 ? 0 : (long) Math.rint((max - min) / step) + 1;
    }

    /** {@code r} moved into {@code [min, max]}. */
    public double clip(double r) {
        return Math.min(max, Math.max(min, r));
    }

    /** E.g. "1..5, step 1 (5 levels)" or "0.13..4.9, continuous". */
    @Override
    public String toString() {
        return range() + (step == 0 ? ", continuous"
                : ", step " + format(step) + " (" + levels() + (levels() == 1 ? " level)" : " levels)"));
    }

    /** A rating as short text: {@code 5}, {@code 0.5}. */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The range alone, e.g. "1..5". */
    public String range() {
        return format(min) + ".." + format(max);
    }
}
