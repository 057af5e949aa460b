package io.als.api;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fitted factorisation: predicts {@code mean + userBias[u] + itemBias[i] + U[u] . P[i]}
 * (the biases are zero for plain ALS) and recommends unrated items.
 *
 * <p><b>Unknown ids:</b> {@link #predict(String, String)} returns {@code NaN} when the user
 * or the item was not in the training data (evaluation code chooses what to do about it);
 * {@link #recommend(String, int)} returns an empty list for an unknown user.
 *
 * <p>Immutable and thread-safe: every array is copied in and copied out.
 */
public final class Model {

    /** An item and its predicted score. */
    public record Recommendation(String item, double score) {
    }

    private final IdIndex userIds;
    private final IdIndex itemIds;
    private final FactorMatrix users;
    private final FactorMatrix items;
    private final double mean;
    private final double[] userBias;
    private final double[] itemBias;
    private final int[] ratedPtr;
    private final int[] ratedIdx;

    /**
     * @param rated the training ratings by user (only the pattern is kept), to exclude rated
     *              items from recommendations; its shape must match the factors
     */
    public Model(IdIndex userIds, IdIndex itemIds, FactorMatrix users, FactorMatrix items,
                 double mean, double[] userBias, double[] itemBias, SparseView rated) {
        this(userIds, itemIds, users, items, mean, userBias, itemBias, rated.pointersCopy(), rated.indicesCopy());
    }

    /** The same, with the rated pattern as compressed arrays (copied). */
    public Model(IdIndex userIds, IdIndex itemIds, FactorMatrix users, FactorMatrix items,
                 double mean, double[] userBias, double[] itemBias, int[] ratedPtr, int[] ratedIdx) {
        this.userIds = Objects.requireNonNull(userIds);
        this.itemIds = Objects.requireNonNull(itemIds);
        if (users.rows() != userIds.size() || items.rows() != itemIds.size() || users.rank() != items.rank()) {
            throw new IllegalArgumentException("factors must be " + userIds.size() + " and " + itemIds.size()
                    + " rows of one rank but were " + users.rows() + "x" + users.rank() + " and "
                    + items.rows() + "x" + items.rank());
        }
        if (userBias.length != userIds.size() || itemBias.length != itemIds.size()) {
            throw new IllegalArgumentException("biases must have one entry per user and item");
        }
        if (ratedPtr.length != userIds.size() + 1 || ratedPtr[userIds.size()] != ratedIdx.length) {
            throw new IllegalArgumentException("rated pattern must have one row per user");
        }
        this.users = users.copy();
        this.items = items.copy();
        this.mean = mean;
        this.userBias = userBias.clone();
        this.itemBias = itemBias.clone();
        this.ratedPtr = ratedPtr.clone();
        this.ratedIdx = ratedIdx.clone();
    }

    /** A plain (unbiased) model over the ids and pattern of {@code training}. */
    public static Model unbiased(Ratings training, FactorMatrix users, FactorMatrix items) {
        return new Model(training.userIds(), training.itemIds(), users, items, 0,
                new double[training.numUsers()], new double[training.numItems()], training.byUser());
    }

    public IdIndex userIds() {
        return userIds;
    }

    public IdIndex itemIds() {
        return itemIds;
    }

    public int rank() {
        return users.rank();
    }

    /** A copy of the user factors, one row per user index. */
    public FactorMatrix userFactors() {
        return users.copy();
    }

    /** A copy of the item factors, one row per item index. */
    public FactorMatrix itemFactors() {
        return items.copy();
    }

    public double globalMean() {
        return mean;
    }

    public double[] userBiases() {
        return userBias.clone();
    }

    public double[] itemBiases() {
        return itemBias.clone();
    }

    /** Row pointers of the rated pattern (copy). */
    public int[] ratedPointers() {
        return ratedPtr.clone();
    }

    /** Item indices of the rated pattern (copy). */
    public int[] ratedIndices() {
        return ratedIdx.clone();
    }

    /** Predicted rating, or {@code NaN} when the user or item is unknown. */
    public double predict(String user, String item) {
        int u = userIds.indexOf(user);
        int i = itemIds.indexOf(item);
        return u < 0 || i < 0 ? Double.NaN : predictIndex(u, i);
    }

    /** Predicted rating for numeric ids, or {@code NaN} when either is unknown. */
    public double predict(long user, long item) {
        int u = userIds.indexOf(user);
        int i = itemIds.indexOf(item);
        return u < 0 || i < 0 ? Double.NaN : predictIndex(u, i);
    }

    /** Predicted rating by dense indices. */
    public double predictIndex(int user, int item) {
        return mean + userBias[user] + itemBias[item] + users.dot(user, items, item);
    }

    /**
     * The {@code n} items with the highest predicted rating that the user has not rated,
     * best first (ties broken by item index). Empty for an unknown user.
     */
    public List<Recommendation> recommend(String user, int n) {
        Checks.nonNegative("n", n);
        int u = userIds.indexOf(user);
        if (u < 0 || n == 0) {
            return List.of();
        }
        int numItems = itemIds.size();
        boolean[] rated = new boolean[numItems];
        for (int e = ratedPtr[u]; e < ratedPtr[u + 1]; e++) {
            rated[ratedIdx[e]] = true;
        }
        // Keep the best n in a small array sorted best-first; n is small next to the item count.
        int[] best = new int[Math.min(n, numItems)];
        double[] score = new double[best.length];
        int size = 0;
        for (int i = 0; i < numItems; i++) {
            if (rated[i]) {
                continue;
            }
            double s = predictIndex(u, i);
            if (size == best.length && !(s > score[size - 1])) {
                continue;
            }
            int at = size == best.length ? size - 1 : size++;
            while (at > 0 && s > score[at - 1]) {
                best[at] = best[at - 1];
                score[at] = score[at - 1];
                at--;
            }
            best[at] = i;
            score[at] = s;
        }
        List<Recommendation> out = new ArrayList<>(size);
        for (int r = 0; r < size; r++) {
            out.add(new Recommendation(itemIds.idAt(best[r]), score[r]));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && userIds.equals(m.userIds) && itemIds.equals(m.itemIds)
                && users.equals(m.users) && items.equals(m.items)
                && Double.doubleToLongBits(mean) == Double.doubleToLongBits(m.mean)
                && Arrays.equals(userBias, m.userBias) && Arrays.equals(itemBias, m.itemBias)
                && Arrays.equals(ratedPtr, m.ratedPtr) && Arrays.equals(ratedIdx, m.ratedIdx);
    }

    @Override
    public int hashCode() {
        return Objects.hash(users, items, mean);
    }
}
