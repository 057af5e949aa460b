package io.als.eval.cv;

import java.util.Locale;

/**
 * What a test rating gets when its user or item never appeared in training. A factor model
 * has nothing to say about them; Spark's ALS predicts NaN, which turns an averaged RMSE into
 * NaN and broke its cross-validation until a {@code coldStartStrategy} was added
 * (SPARK-14489).
 */
public enum ColdStart {
    /** Predict NaN: any cold rating makes RMSE and MAE NaN, as Spark's default does. */
    NAN,
    /** Leave cold ratings out of the metrics (Spark's {@code drop}); they are still counted. */
    DROP,
    /** Predict the global mean plus whichever biases are known (see {@link Baseline}). */
    BASELINE;

    public static ColdStart parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cold start must be one of nan, drop, baseline but was '" + text + "'");
        }
    }

    /** The lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
