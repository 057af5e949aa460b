package io.als.eval.rank;

import io.als.api.Ratings;
import io.als.spi.SparseView;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The most-popular baseline: every user gets the items with the most training positives
 * (ties by item index) that it has no training positive of. A personalised model that cannot
 * beat it has learnt nothing beyond popularity.
 */
public final class Popularity {
    private final Ratings train;
    /** Item indices, most training positives first. */
    private final int[] order;

    private Popularity(Ratings train, int[] order) {
        this.train = train;
        this.order = order;
    }

    public static Popularity of(Ratings train) {
        SparseView byItem = train.byItem();
        Integer[] items = new Integer[byItem.rows()];
        for (int i = 0; i < items.length; i++) {
            items[i] = i;
        }
        Arrays.sort(items, Comparator.comparingInt((Integer i) -> -byItem.count(i)).thenComparingInt(i -> i));
        return new Popularity(train, Arrays.stream(items).mapToInt(Integer::intValue).toArray());
    }

    /** The training count of item index {@code i}. */
    public int count(int i) {
        return train.byItem().count(i);
    }

    /** Each user's {@code n} most popular items among those it has no training positive of. */
    public int[][] recommend(int[] users, int n) {
        SparseView byUser = train.byUser();
        boolean[] own = new boolean[order.length];
        int[][] out = new int[users.length][];
        for (int j = 0; j < users.length; j++) {
            int u = users[j];
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                own[byUser.index(e)] = true;
            }
            int[] list = new int[Math.min(n, order.length - byUser.count(u))];
            int size = 0;
            for (int p = 0; p < order.length && size < list.length; p++) {
                if (!own[order[p]]) {
                    list[size++] = order[p];
                }
            }
            out[j] = list;
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                own[byUser.index(e)] = false;
            }
        }
        return out;
    }
}
