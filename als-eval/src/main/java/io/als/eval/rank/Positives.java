package io.als.eval.rank;

import io.als.api.Ratings;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.spi.SparseView;

/**
 * The positive interactions of a data set, the input of every ranking protocol: a threshold
 * turns explicit ratings into positives (a rating of at least the threshold is a positive and
 * keeps its value; anything below it is dropped, from training as well as from testing), and
 * implicit data (counts, clicks, 1s) is taken whole.
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
        SparseView v = ratings.byUser();
        boolean[] below = new boolean[v.nnz()];
        int kept = 0;
        for (int e = 0; e < below.length; e++) {
            below[e] = !(v.value(e) >= threshold);
            kept += below[e] ? 0 : 1;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("threshold " + threshold + " leaves no positive: every rating is below"
                    + " it");
        }
        if (kept == below.length) {
            return new Positives(ratings, times);
        }
        // The kept entries keep their canonical order (by user, then item), so the times follow.
        Split cut = Splits.cut(ratings, below, "threshold " + threshold);
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
