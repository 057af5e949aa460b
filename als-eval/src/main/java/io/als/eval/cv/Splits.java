package io.als.eval.cv;

import io.als.api.IdIndex;
import io.als.api.Ratings;
import io.als.spi.SparseView;
import io.als.eval.Permutations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Ways to cut ratings into training and test sets. Cuts are seeded shuffles of the ratings
 * in their canonical order (by user index, then item index), so the same data and seed give
 * the same split whatever the line order of the file.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * Seeded k-fold cross-validation: the ratings are shuffled and dealt round-robin into
     * {@code k} folds, so every rating is in exactly one test fold and fold sizes differ by at
     * most one. Fold {@code f}'s training set is every other fold.
     */
    public static List<Split> kFold(Ratings ratings, int k, long seed) {
        int[] fold = foldOf(ratings.size(), k, seed);
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            boolean[] test = new boolean[fold.length];
            for (int e = 0; e < fold.length; e++) {
                test[e] = fold[e] == f;
            }
            out.add(cut(ratings, test, "fold " + (f + 1) + " of " + k));
        }
        return out;
    }

    /** The fold (0-based) of each rating, in canonical order; the k-fold assignment. */
    public static int[] foldOf(int n, int k, long seed) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("folds must be between 2 and the number of ratings (" + n
                    + ") but was " + k);
        }
        int[] perm = Permutations.shuffled(n, new SplittableRandom(seed));
        int[] fold = new int[n];
        for (int pos = 0; pos < n; pos++) {
            fold[perm[pos]] = pos % k;
        }
        return fold;
    }

    /** One seeded random split with {@code round(fraction * n)} test ratings. */
    public static Split holdout(Ratings ratings, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be strictly between 0 and 1 but was " + fraction);
        }
        int n = ratings.size();
        int testSize = (int) Math.round(fraction * n);
        if (testSize < 1 || testSize >= n) {
            throw new IllegalArgumentException("holdout fraction " + fraction + " of " + n
                    + " ratings leaves an empty training or test set");
        }
        int[] perm = Permutations.shuffled(n, new SplittableRandom(seed));
        boolean[] test = new boolean[n];
        for (int pos = 0; pos < testSize; pos++) {
            test[perm[pos]] = true;
        }
        return cut(ratings, test, String.format(Locale.ROOT, "holdout %s", fraction));
    }

    /**
     * A split given as two rating sets, such as MovieLens 100K's {@code u1.base} and
     * {@code u1.test}. Test ids are looked up in the training ids.
     */
    public static Split of(String name, Ratings train, Ratings test) {
        int[] userOf = lookup(test.userIds(), train.userIds());
        int[] itemOf = lookup(test.itemIds(), train.itemIds());
        SparseView v = test.byUser();
        int[] u = new int[v.nnz()];
        int[] i = new int[v.nnz()];
        double[] r = new double[v.nnz()];
        for (int row = 0; row < v.rows(); row++) {
            for (int e = v.start(row); e < v.end(row); e++) {
                u[e] = userOf[row];
                i[e] = itemOf[v.index(e)];
                r[e] = v.value(e);
            }
        }
        return new Split(name, train, new TestRatings(u, i, r), null, null);
    }

    /**
     * Splits ratings by a mask over entries in canonical order: the training set keeps the
     * unmasked ratings (with only the users and items that still have one), the test set
     * the masked ones, indexed against the training set.
     */
    public static Split cut(Ratings ratings, boolean[] test, String name) {
        SparseView byUser = ratings.byUser();
        if (test.length != byUser.nnz()) {
            throw new IllegalArgumentException("mask must have one entry per rating (" + byUser.nnz() + ") but had "
                    + test.length);
        }
        int users = byUser.rows();
        int items = byUser.cols();
        int[] userMap = new int[users];
        int[] itemMap = new int[items];
        int trainSize = 0;
        for (int u = 0; u < users; u++) {
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                if (!test[e]) {
                    userMap[u] = 1;
                    itemMap[byUser.index(e)] = 1;
                    trainSize++;
                }
            }
        }
        if (trainSize == 0 || trainSize == byUser.nnz()) {
            throw new IllegalArgumentException(name + " leaves an empty training or test set");
        }
        int keptUsers = number(userMap);
        int keptItems = number(itemMap);
        int[] ptr = new int[keptUsers + 1];
        int[] idx = new int[trainSize];
        double[] val = new double[trainSize];
        int testSize = byUser.nnz() - trainSize;
        int[] tu = new int[testSize];
        int[] ti = new int[testSize];
        double[] tr = new double[testSize];
        int n = 0;
        int t = 0;
        for (int u = 0; u < users; u++) {
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                int i = byUser.index(e);
                if (test[e]) {
                    tu[t] = userMap[u];
                    ti[t] = itemMap[i];
                    tr[t++] = byUser.value(e);
                } else {
                    idx[n] = itemMap[i];
                    val[n++] = byUser.value(e);
                }
            }
            if (userMap[u] >= 0) {
                ptr[userMap[u] + 1] = n;
            }
        }
        Ratings train = Ratings.of(subset(ratings.userIds(), userMap, keptUsers),
                subset(ratings.itemIds(), itemMap, keptItems), SparseView.copyOf(keptUsers, keptItems, ptr, idx, val));
        return new Split(name, train, new TestRatings(tu, ti, tr), userMap, itemMap);
    }

    /** Turns a 0/1 "kept" array into new indices (-1 where dropped); returns how many were kept. */
    private static int number(int[] kept) {
        int next = 0;
        for (int j = 0; j < kept.length; j++) {
            kept[j] = kept[j] == 1 ? next++ : -1;
        }
        return next;
    }

    private static IdIndex subset(IdIndex ids, int[] map, int kept) {
        if (ids.isNumeric()) {
            long[] out = new long[kept];
            for (int j = 0; j < map.length; j++) {
                if (map[j] >= 0) {
                    out[map[j]] = ids.numericIdAt(j);
                }
            }
            return IdIndex.ofNumeric(out);
        }
        String[] out = new String[kept];
        for (int j = 0; j < map.length; j++) {
            if (map[j] >= 0) {
                out[map[j]] = ids.idAt(j);
            }
        }
        return IdIndex.ofStrings(out);
    }

    /** For each id of {@code from}, its index in {@code to}, or -1. */
    private static int[] lookup(IdIndex from, IdIndex to) {
        int[] out = new int[from.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = from.isNumeric() && to.isNumeric() ? to.indexOf(from.numericIdAt(j)) : to.indexOf(from.idAt(j));
        }
        return out;
    }
}
