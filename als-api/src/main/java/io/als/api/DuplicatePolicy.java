package io.als.api;

import java.util.Locale;

/** What the {@link Ratings} builder does when one (user, item) pair is rated more than once. */
public enum DuplicatePolicy {
    /** Fail, naming both lines (the default: a repeated pair usually means a bad join upstream). */
    ERROR,
    /** Keep the rating that came last in the input. */
    LAST,
    /** Keep the mean of the pair's ratings. */
    MEAN,
    /**
     * Keep the sum of the pair's values: for implicit feedback, where each line is one event
     * (a play, a click) and a pair's count is what its value should say.
     */
    SUM;

    /** Parses {@code error}, {@code last}, {@code mean} or {@code sum}. */
    public static DuplicatePolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("duplicates must be one of error, last, mean, sum but was " + text);
        }
    }
}
