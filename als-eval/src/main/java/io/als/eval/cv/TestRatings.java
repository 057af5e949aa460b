package io.als.eval.cv;

import java.util.Arrays;

/**
 * Held-out ratings, indexed against one training set: entry {@code e} is user
 * {@code user(e)} and item {@code item(e)} of the training {@code Ratings}, or -1 where
 * the training data does not know that user or item (a cold start). Immutable.
 */
public final class TestRatings {
    private final int[] user;
    private final int[] item;
    private final double[] rating;

    /** Takes the arrays as they are; callers in this package hand over ownership. */
    TestRatings(int[] user, int[] item, double[] rating) {
        if (user.length != item.length || item.length != rating.length) {
            throw new IllegalArgumentException("user, item and rating arrays must have one length but had "
                    + user.length + ", " + item.length + " and " + rating.length);
        }
        this.user = user;
        this.item = item;
        this.rating = rating;
    }

    /** Test ratings from copies of the given arrays. */
    public static TestRatings of(int[] user, int[] item, double[] rating) {
        return new TestRatings(user.clone(), item.clone(), rating.clone());
    }

    public int size() {
        return rating.length;
    }

    /** Training index of the user of entry {@code e}, or -1 when unknown. */
    public int user(int e) {
        return user[e];
    }

    /** Training index of the item of entry {@code e}, or -1 when unknown. */
    public int item(int e) {
        return item[e];
    }

    public double rating(int e) {
        return rating[e];
    }

    /** Whether entry {@code e} has an unknown user or item. */
    public boolean cold(int e) {
        return user[e] < 0 || item[e] < 0;
    }

    /** Number of entries with an unknown user or item. */
    public int coldCount() {
        int n = 0;
        for (int e = 0; e < rating.length; e++) {
            n += cold(e) ? 1 : 0;
        }
        return n;
    }

    /**
     * The same ratings indexed against a smaller training set: {@code userMap[u]} is the new
     * index of old user {@code u} (or -1), likewise for items.
     */
    public TestRatings remap(int[] userMap, int[] itemMap) {
        int[] u = new int[user.length];
        int[] i = new int[item.length];
        for (int e = 0; e < rating.length; e++) {
            u[e] = user[e] < 0 ? -1 : userMap[user[e]];
            i[e] = item[e] < 0 ? -1 : itemMap[item[e]];
        }
        return new TestRatings(u, i, rating);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestRatings t && Arrays.equals(user, t.user) && Arrays.equals(item, t.item)
                && Arrays.equals(rating, t.rating);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(user) + Arrays.hashCode(rating);
    }
}
