package io.als.eval.rank;

import io.als.api.Ratings;

/**
 * One train/test split for top-N evaluation.
 *
 * @param name        e.g. "holdout 0.2 per user", "fold 2 of 5 per user", "last per user"
 * @param train       the positives to fit (with their values), users and items without any
 *                    removed
 * @param users       the evaluated users, as indices of {@code train}, ascending
 * @param relevant    for each evaluated user, its held-out positives as item indices of
 *                    {@code train}, ascending and never empty
 * @param coldItems   held-out positives of items absent from {@code train}, dropped (no model
 *                    can recommend them)
 * @param unevaluated held-out positives of users that are not evaluated (below the minimum of
 *                    positives, or absent from {@code train}), removed from training but not scored
 */
public record RankingSplit(String name, Ratings train, int[] users, int[][] relevant, int coldItems,
                           int unevaluated) {

    public RankingSplit {
        if (users.length != relevant.length) {
            throw new IllegalArgumentException("users and relevant sets must be as many but were " + users.length
                    + " and " + relevant.length);
        }
        if (users.length == 0) {
            throw new IllegalArgumentException(name + " has no user to evaluate: no user has a held-out positive"
                    + " of an item seen in training (lower --min-positives or the threshold, or hold out more)");
        }
    }

    /** Held-out positives that are scored. */
    public int testPositives() {
        int n = 0;
        for (int[] r : relevant) {
            n += r.length;
        }
        return n;
    }
}
