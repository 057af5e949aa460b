package io.als.bench;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.spi.SparseView;
import io.als.api.RatingsFormat;
import io.als.api.RatingsReader;
import io.als.eval.Permutations;
import io.als.internal.Gaussians;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The data the benchmarks run on: MovieLens 1M and its seeded k-fold splits, and a seeded
 * synthetic generator with the shape of MovieLens 1M at any size.
 */
public final class Datasets {
    /** Where MovieLens 1M sits relative to the repository root (the benchmarks' working directory). */
    public static final String MOVIELENS_1M = "../shared/data/movielens/ml-1m/derived/ratings_no_timestamp_itemindex.dat";

    /** MovieLens 1M: 1,000,209 ratings of 6,040 users and 3,706 items. */
    static final double ML1M_RATINGS = 1_000_209;
    static final double ML1M_USERS = 6_040;
    static final double ML1M_ITEMS = 3_706;

    /**
     * Log-normal user activity fitted to MovieLens 1M: every user has at least 20 ratings,
     * the median is about 96 and the mean about 165.
     */
    private static final int MIN_USER_RATINGS = 20;
    private static final double LOG_MEDIAN_EXTRA = Math.log(76);
    private static final double LOG_SIGMA = 1.137;
    /** Zipf exponent of item popularity and its offset: a few blockbusters, a long tail. */
    private static final double ZIPF_EXPONENT = 0.9;
    private static final double ZIPF_OFFSET = 10;
    /** No synthetic user rates more than this fraction of the items (keeps rejection sampling cheap). */
    private static final double MAX_ROW_FRACTION = 0.5;

    private Datasets() {
    }

    /** Reads a {@code user::item::rating} file. */
    public static Ratings read(Path file) {
        return new RatingsReader(RatingsFormat.DAT, DuplicatePolicy.ERROR).read(file);
    }

    /** A training set and the ratings held out from it. */
    public record Split(Ratings train, int[] testUsers, int[] testItems, double[] testValues) {
        public int testSize() {
            return testValues.length;
        }
    }

    /**
     * Fold {@code heldOut} of a seeded {@code folds}-fold split: every rating is given a fold
     * by a seeded permutation (so folds differ in size by at most one), and the training set
     * is every other fold. The training set keeps the full id indices, so a user or item
     * whose every rating is held out is an empty row.
     */
    public static Split kFold(Ratings all, int folds, int heldOut, long seed) {
        SparseView v = all.byUser();
        int nnz = v.nnz();
        int[] order = Permutations.shuffled(nnz, new SplittableRandom(seed));
        boolean[] test = new boolean[nnz];
        for (int pos = 0; pos < nnz; pos++) {
            test[order[pos]] = pos % folds == heldOut;
        }
        int testCount = 0;
        for (boolean t : test) {
            testCount += t ? 1 : 0;
        }
        int[] ptr = new int[v.rows() + 1];
        int[] idx = new int[nnz - testCount];
        double[] val = new double[nnz - testCount];
        int[] tu = new int[testCount];
        int[] ti = new int[testCount];
        double[] tv = new double[testCount];
        int kept = 0;
        int held = 0;
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                if (test[e]) {
                    tu[held] = u;
                    ti[held] = v.index(e);
                    tv[held++] = v.value(e);
                } else {
                    idx[kept] = v.index(e);
                    val[kept++] = v.value(e);
                }
            }
            ptr[u + 1] = kept;
        }
        Ratings train = Ratings.of(all.userIds(), all.itemIds(), SparseView.copyOf(v.rows(), v.cols(), ptr, idx, val));
        return new Split(train, tu, ti, tv);
    }

    /**
     * Exactly {@code ratings} seeded ratings with the shape of MovieLens 1M scaled up: users and
     * items in MovieLens 1M's proportion to the ratings, log-normal user activity (at least
     * 20 ratings each), Zipf item popularity, and ratings 1..5 from user and item biases plus
     * noise. The same arguments always give the same ratings.
     */
    public static Ratings synthetic(long ratings, long seed) {
        int users = (int) Math.max(1, Math.round(ratings * ML1M_USERS / ML1M_RATINGS));
        int items = (int) Math.max(2, Math.round(ratings * ML1M_ITEMS / ML1M_RATINGS));
        SplittableRandom rng = new SplittableRandom(seed);
        int maxRow = Math.max(1, (int) (items * MAX_ROW_FRACTION));

        double[] raw = new double[users];
        double sum = 0;
        for (int u = 0; u < users; u++) {
            raw[u] = MIN_USER_RATINGS + Math.exp(LOG_MEDIAN_EXTRA + LOG_SIGMA * Gaussians.next(rng));
            sum += raw[u];
        }
        int[] length = new int[users];
        long total = 0;
        for (int u = 0; u < users; u++) {
            length[u] = Math.max(1, Math.min(maxRow, (int) Math.round(raw[u] * ratings / sum)));
            total += length[u];
        }
        // Rounding and the caps leave the total a little off: spread the difference one
        // rating at a time over the users, in index order, so the size is exactly as asked
        // (unless the caps make that impossible for a tiny request).
        boolean changed = true;
        while (total != ratings && changed) {
            changed = false;
            for (int u = 0; u < users && total != ratings; u++) {
                if (total < ratings && length[u] < maxRow) {
                    length[u]++;
                    total++;
                    changed = true;
                } else if (total > ratings && length[u] > 1) {
                    length[u]--;
                    total--;
                    changed = true;
                }
            }
        }
        int[] ptr = new int[users + 1];
        for (int u = 0; u < users; u++) {
            ptr[u + 1] = ptr[u] + length[u];
        }
        int nnz = ptr[users];

        double[] cdf = new double[items];
        double acc = 0;
        for (int i = 0; i < items; i++) {
            acc += Math.pow(i + ZIPF_OFFSET, -ZIPF_EXPONENT);
            cdf[i] = acc;
        }
        // Popularity rank and item index are decoupled by a seeded permutation.
        int[] itemOfRank = Permutations.shuffled(items, rng);
        double[] userBias = new double[users];
        double[] itemBias = new double[items];
        for (int u = 0; u < users; u++) {
            userBias[u] = 0.4 * Gaussians.next(rng);
        }
        for (int i = 0; i < items; i++) {
            itemBias[i] = 0.5 * Gaussians.next(rng);
        }

        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int[] seen = new int[items];
        Arrays.fill(seen, -1);
        for (int u = 0; u < users; u++) {
            int from = ptr[u];
            int to = ptr[u + 1];
            for (int e = from; e < to; e++) {
                int item;
                do {
                    int r = Arrays.binarySearch(cdf, rng.nextDouble() * acc);
                    item = itemOfRank[Math.min(items - 1, r >= 0 ? r : -r - 1)];
                } while (seen[item] == u);
                seen[item] = u;
                idx[e] = item;
            }
            Arrays.sort(idx, from, to);
            for (int e = from; e < to; e++) {
                double r = Math.rint(3.6 + userBias[u] + itemBias[idx[e]] + 0.9 * Gaussians.next(rng));
                val[e] = Math.max(1, Math.min(5, r));
            }
        }
        return Ratings.of(SparseView.copyOf(users, items, ptr, idx, val));
    }

    /** Every row length of both views (users then items), the population benchmarks sample from. */
    public static int[] rowLengths(Ratings r) {
        SparseView u = r.byUser();
        SparseView i = r.byItem();
        int[] out = new int[u.rows() + i.rows()];
        for (int k = 0; k < u.rows(); k++) {
            out[k] = u.count(k);
        }
        for (int k = 0; k < i.rows(); k++) {
            out[u.rows() + k] = i.count(k);
        }
        return out;
    }
}
