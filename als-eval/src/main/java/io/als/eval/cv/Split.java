package io.als.eval.cv;

import io.als.api.Ratings;

/**
 * One train/test split.
 *
 * @param name    e.g. "fold 3 of 5", "holdout 0.2" or "u1.base/u1.test"
 * @param train   the ratings to fit
 * @param test    the ratings to predict, indexed against {@code train}
 * @param userMap for splits cut from a larger set: the {@code train} index of each of its
 *                users, or -1 (null for splits read from files)
 * @param itemMap likewise for items
 */
public record Split(String name, Ratings train, TestRatings test, int[] userMap, int[] itemMap) {
}
