package io.als.eval.rank;

import io.als.api.Ratings;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.spi.SparseView;

/**
 * The positive interactions of a data set, the input of every ranking protocol: a threshold
 * turns explicit ratings into positives (a rating of at least the threshold is a positive and
 * keeps its value; anything below it is dropped, from training as well as from testing), and
 * implicit data (counts, clicks, 1s) is taken whole but for its values of 0.
 *
 * @param ratings the positives
 * @param times   the time of each entry of {@code ratings.byUser()}, or null when unknown
 */
public record Positives(Ratings ratings, long[] times) {

    public Positives {
        if (times != null && times.length != ratings.size()) {
            throw new IllegalArgumentException("times must have one entry per rating (" + ratings.size()
                    + ") but had " + times.length);
        }
    }

    /** Every interaction is a positive. */
    public static Positives all(Ratings ratings, long[] times) {
        return new Positives(ratings, times);
    }

    /**
     * The ratings of at least {@code threshold}.
     *
     * @param times the time of each entry of {@code ratings.byUser()}, or null
     */
    public static Positives atLeast(Ratings ratings, long[] times, double threshold) {
        return keep(ratings, times, v -> v >= threshold, "threshold " + threshold,
                "threshold " + threshold + " leaves no positive: every rating is below it");
    }

    /**
     * The interactions whose value is above 0: implicit feedback without a threshold. A value
     * of 0 records no preference (it weighs as an unobserved cell does in an implicit fit), so
     * it is no positive to hold out or to find; it is dropped, as a rating below a threshold is.
     *
     * @param times the time of each entry of {@code ratings.byUser()}, or null
     */
    public static Positives aboveZero(Ratings ratings, long[] times) {
        return keep(ratings, times, v -> v > 0, "values above 0",
                "no positive: every value is 0 or less (a 0 records no preference)");
    }

    private static Positives keep(Ratings ratings, long[] times, java.util.function.DoublePredicate positive,
                                  String what, String none) {
        SparseView v = ratings.byUser();
        boolean[] below = new boolean[v.nnz()];
        int kept = 0;
        for (int e = 0; e < below.length; e++) {
            below[e] = !positive.test(v.value(e));
            kept += below[e] ? 0 : 1;
        }
        if (kept == 0) {
            throw new IllegalArgumentException(none);
        }
        if (kept == below.length) {
            return new Positives(ratings, times);
        }
        // The kept entries keep their canonical order (by user, then item), so the times follow.
        Split cut = Splits.cut(ratings, below, what);
        long[] keptTimes = null;
        if (times != null) {
            keptTimes = new long[kept];
            int n = 0;
            for (int e = 0; e < below.length; e++) {
                if (!below[e]) {
                    keptTimes[n++] = times[e];
                }
            }
        }
        return new Positives(cut.train(), keptTimes);
    }

    public boolean timed() {
        return times != null;
    }
}
