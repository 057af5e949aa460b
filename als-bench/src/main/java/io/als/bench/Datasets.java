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
        int[] ptr = rowPointers(raw, sum, ratings, maxRow);
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
            drawItems(u, from, to, idx, seen, cdf, acc, itemOfRank, rng);
            for (int e = from; e < to; e++) {
                double r = Math.rint(3.6 + userBias[u] + itemBias[idx[e]] + 0.9 * Gaussians.next(rng));
                val[e] = Math.max(1, Math.min(5, r));
            }
        }
        return Ratings.of(SparseView.copyOf(users, items, ptr, idx, val));
    }

    /** Users, items and positives of the Last.fm 360K data set (Celma 2010), the shape {@link #lastfmShaped} copies. */
    public static final int LASTFM_USERS = 358_868;
    public static final int LASTFM_ITEMS = 292_385;
    public static final long LASTFM_POSITIVES = 17_559_530;
    /** Zipf exponent and offset of the artists' popularity: the top one reaches about a fifth of the users. */
    private static final double LASTFM_ZIPF_EXPONENT = 1.0;
    private static final double LASTFM_ZIPF_OFFSET = 20;
    /** Log-normal user activity: sigma of the log, and the cap on one user's artists. */
    private static final double LASTFM_ACTIVITY_SIGMA = 0.8;
    private static final int LASTFM_MAX_PER_USER = 2_000;
    /** Play counts: 1 + a log-normal with this median and sigma of the log (heavy-tailed, like scrobbles). */
    private static final double LASTFM_PLAYS_MEDIAN = 60;
    private static final double LASTFM_PLAYS_SIGMA = 1.3;

    /**
     * A seeded implicit-feedback data set shaped like Last.fm 360K (user, artist, play count), at
     * {@code scale} times its size: {@code round(scale * 358,868)} users,
     * {@code round(scale * 292,385)} items and exactly {@code round(scale * 17,559,530)}
     * distinct positive (user, item) pairs, so about 49 per user on average. The skew:
     * <ul>
     *   <li><b>user activity</b> is log-normal (sigma of the log {@value #LASTFM_ACTIVITY_SIGMA}),
     *       scaled to the total, at least 1 and at most {@value #LASTFM_MAX_PER_USER} items per
     *       user (at scale 1: median 36, 99th percentile 229, largest 1,884);</li>
     *   <li><b>item popularity</b> is Zipf-like, {@code P(item of popularity rank i) ~ (i + 20)^-1}:
     *       at scale 1 with the benchmarks' seed the most popular item has 75,042 users (a fifth
     *       of them), the median item 13, the 10th percentile 6, and 60 items none; popularity
     *       ranks are shuffled over item indices;</li>
     *   <li><b>values</b> are play counts, {@code 1 + floor(lognormal)} with median about
     *       {@value #LASTFM_PLAYS_MEDIAN} and sigma of the log {@value #LASTFM_PLAYS_SIGMA}
     *       (mean about 140, a long tail to the thousands).</li>
     * </ul>
     * Each user's items are drawn without repetition (rejection) and sorted. The same arguments
     * always give the same data. At scale 1 it takes 4-8 s and holds about 0.45 GB of heap once
     * made (both views of 17.6M ints and doubles).
     */
    public static Ratings lastfmShaped(double scale, long seed) {
        if (!(scale > 0) || scale > 1.5) {
            throw new IllegalArgumentException("scale must be in (0, 1.5] but was " + scale);
        }
        int users = (int) Math.max(1, Math.round(scale * LASTFM_USERS));
        int items = (int) Math.max(2, Math.round(scale * LASTFM_ITEMS));
        long want = Math.max(users, Math.round(scale * LASTFM_POSITIVES));
        int maxRow = Math.min(LASTFM_MAX_PER_USER, items / 2);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] raw = new double[users];
        double sum = 0;
        for (int u = 0; u < users; u++) {
            raw[u] = Math.exp(LASTFM_ACTIVITY_SIGMA * Gaussians.next(rng));
            sum += raw[u];
        }
        int[] ptr = rowPointers(raw, sum, want, maxRow);
        int nnz = ptr[users];
        double[] cdf = new double[items];
        double acc = 0;
        for (int i = 0; i < items; i++) {
            acc += Math.pow(i + LASTFM_ZIPF_OFFSET, -LASTFM_ZIPF_EXPONENT);
            cdf[i] = acc;
        }
        int[] itemOfRank = Permutations.shuffled(items, rng);
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int[] seen = new int[items];
        Arrays.fill(seen, -1);
        double logMedian = Math.log(LASTFM_PLAYS_MEDIAN);
        for (int u = 0; u < users; u++) {
            int from = ptr[u];
            int to = ptr[u + 1];
            drawItems(u, from, to, idx, seen, cdf, acc, itemOfRank, rng);
            for (int e = from; e < to; e++) {
                val[e] = 1 + Math.floor(Math.exp(logMedian + LASTFM_PLAYS_SIGMA * Gaussians.next(rng)));
            }
        }
        return Ratings.of(SparseView.adopt(users, items, ptr, idx, val)).withSource("lastfm-shaped:" + scale);
    }

    /**
     * The positives of MovieLens 1M as implicit feedback: every rating of 4 or more, with its
     * rating as the value (575,281 of the 1,000,209 ratings), the users' and items' ids kept.
     */
    public static Ratings movielensPositives() {
        Ratings all = read(Path.of(MOVIELENS_1M));
        SparseView v = all.byUser();
        int[] ptr = new int[v.rows() + 1];
        int kept = 0;
        for (int e = 0; e < v.nnz(); e++) {
            kept += v.value(e) >= 4 ? 1 : 0;
        }
        int[] idx = new int[kept];
        double[] val = new double[kept];
        int n = 0;
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                if (v.value(e) >= 4) {
                    idx[n] = v.index(e);
                    val[n++] = v.value(e);
                }
            }
            ptr[u + 1] = n;
        }
        return Ratings.of(all.userIds(), all.itemIds(), SparseView.adopt(v.rows(), v.cols(), ptr, idx, val))
                .withSource("ml-1m positives");
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

    /**
     * Row pointers for rows of lengths proportional to {@code raw} (which sums to {@code sum}),
     * each between 1 and {@code maxRow}, adding up to {@code want}: rounding and the caps leave
     * the total a little off, so the difference is spread one entry at a time over the rows, in
     * index order (unless the caps make the total impossible for a tiny request).
     */
    private static int[] rowPointers(double[] raw, double sum, long want, int maxRow) {
        int rows = raw.length;
        int[] length = new int[rows];
        long total = 0;
        for (int u = 0; u < rows; u++) {
            length[u] = Math.max(1, Math.min(maxRow, (int) Math.round(raw[u] * want / sum)));
            total += length[u];
        }
        boolean changed = true;
        while (total != want && changed) {
            changed = false;
            for (int u = 0; u < rows && total != want; u++) {
                if (total < want && length[u] < maxRow) {
                    length[u]++;
                    total++;
                    changed = true;
                } else if (total > want && length[u] > 1) {
                    length[u]--;
                    total--;
                    changed = true;
                }
            }
        }
        int[] ptr = new int[rows + 1];
        for (int u = 0; u < rows; u++) {
            ptr[u + 1] = Math.addExact(ptr[u], length[u]);
        }
        return ptr;
    }

    /**
     * Fills {@code idx[from, to)} with distinct items for row {@code u}, each drawn by its
     * popularity ({@code cdf} of the items in {@code itemOfRank} order, total {@code acc}), and
     * sorts them. {@code seen[item] == u} marks items the row already has.
     */
    private static void drawItems(int u, int from, int to, int[] idx, int[] seen, double[] cdf, double acc,
                                  int[] itemOfRank, SplittableRandom rng) {
        int items = seen.length;
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
    }
}
