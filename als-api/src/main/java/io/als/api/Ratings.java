package io.als.api;

import io.als.spi.SparseView;
import io.als.internal.IdCollector;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * An immutable sparse matrix of explicit ratings, users by items.
 *
 * <p>External ids map to dense indices through {@link #userIds()} and {@link #itemIds()}
 * (sorted ids, so line order never changes the result). The ratings are held twice, in
 * primitive arrays: by user ({@link #byUser()}, compressed rows whose columns are item
 * indices) and by item ({@link #byItem()}, whose columns are user indices), which is what
 * the two half-steps of ALS read.
 *
 * <p>Ratings also carry the name of their {@link #source()}, which a fitted model records.
 */
public final class Ratings {
    /** The source of ratings built in memory rather than read from somewhere named. */
    public static final String IN_MEMORY = "in-memory";
    /**
     * The largest rating magnitude accepted, 10^9. Ratings are points on a scale such as 1..5
     * or 0..100; a value beyond this is a measurement, an id or a typo, and next to ordinary
     * ratings it only breaks the fit (the normal equations lose all precision).
     */
    public static final double MAX_ABS_RATING = 1e9;
    /**
     * The widest range accepted between the smallest and the largest rating, 10^6: more than
     * a million levels even at a step of 1 is not a rating scale. Within it a fit stays
     * well-conditioned.
     */
    public static final double MAX_RANGE = 1e6;

    private final IdIndex users;
    private final IdIndex items;
    private final SparseView byUser;
    private final SparseView byItem;
    private final String source;
    /**
     * Smallest and largest value: found by the builder in its last pass over the values, or
     * on first use. A fit reads it at its start, where a pass over a million ratings in code
     * the JIT has not compiled yet took about 18 ms of the first iteration (docs/benchmarks.md).
     */
    private volatile double[] range;

    private Ratings(IdIndex users, IdIndex items, SparseView byUser, String source) {
        this(users, items, byUser, byUser.transpose(), source);
    }

    private Ratings(IdIndex users, IdIndex items, SparseView byUser, SparseView byItem, String source) {
        this.users = users;
        this.items = items;
        this.byUser = byUser;
        this.byItem = byItem;
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Ratings over dense ids {@code 0..rows-1} and {@code 0..cols-1} from a by-user view.
     * Useful for generated data and tests.
     */
    public static Ratings of(SparseView byUser) {
        return new Ratings(IdIndex.dense(byUser.rows()), IdIndex.dense(byUser.cols()), byUser, IN_MEMORY);
    }

    /** Ratings with the given ids and by-user view (whose shape must match them). */
    public static Ratings of(IdIndex users, IdIndex items, SparseView byUser) {
        if (users.size() != byUser.rows() || items.size() != byUser.cols()) {
            throw new IllegalArgumentException("ids must match the view's shape " + byUser.rows() + "x" + byUser.cols()
                    + " but were " + users.size() + " users and " + items.size() + " items");
        }
        return new Ratings(users, items, byUser, IN_MEMORY);
    }

    /** A dense matrix with {@code NaN} for unobserved entries, as ratings over dense ids. */
    public static Ratings fromDense(double[][] matrix) {
        int rows = matrix.length;
        int cols = rows == 0 ? 0 : matrix[0].length;
        Builder b = builder();
        for (int u = 0; u < rows; u++) {
            if (matrix[u].length != cols) {
                throw new IllegalArgumentException("row " + u + " must have " + cols + " columns but had " + matrix[u].length);
            }
            for (int i = 0; i < cols; i++) {
                if (!Double.isNaN(matrix[u][i])) {
                    b.add(u, i, matrix[u][i]);
                }
            }
        }
        Ratings r = b.build();
        if (r.numUsers() != rows || r.numItems() != cols) {
            throw new IllegalArgumentException("every row and column must hold at least one rating");
        }
        return r;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The message for a rating beyond {@link #MAX_ABS_RATING}, given as written. */
    static String tooLarge(String rating) {
        return "rating " + rating + " is too large to be on a rating scale: ratings must lie within -"
                + number(MAX_ABS_RATING) + ".." + number(MAX_ABS_RATING) + "; fix the line, or rescale the ratings";
    }

    /** A rating as short text: 5, 4.5, 1000000000, 1.0E20. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    public IdIndex userIds() {
        return users;
    }

    /**
     * Where the ratings came from: the file name a {@link RatingsReader} read (the name given
     * to {@link Builder#source}), a generator's description, or {@link #IN_MEMORY}.
     */
    public String source() {
        return source;
    }

    /** The same ratings (shared, not copied) under another source name. */
    public Ratings withSource(String name) {
        Ratings renamed = new Ratings(users, items, byUser, byItem, name);
        renamed.range = range;
        return renamed;
    }

    public IdIndex itemIds() {
        return items;
    }

    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }

    /** Number of ratings. */
    public int size() {
        return byUser.nnz();
    }

    /** Ratings grouped by user: row = user index, column = item index. */
    public SparseView byUser() {
        return byUser;
    }

    /** Ratings grouped by item: row = item index, column = user index. */
    public SparseView byItem() {
        return byItem;
    }

    /**
     * The mean of the positive values, summed in user order (a value of 0, no preference in
     * implicit feedback, does not count); 0 when there is none. An implicit fit's alpha is
     * chosen from it ({@link AlsConfig#alphaAuto()}).
     */
    public double meanPositiveValue() {
        double sum = 0;
        long positive = 0;
        for (int e = 0; e < byUser.nnz(); e++) {
            double r = byUser.value(e);
            if (r > 0) {
                sum += r;
                positive++;
            }
        }
        return positive == 0 ? 0 : sum / positive;
    }

    /** Mean of all ratings. */
    public double mean() {
        double s = 0;
        for (int k = 0; k < byUser.nnz(); k++) {
            s += byUser.value(k);
        }
        return s / byUser.nnz();
    }

    /** Smallest and largest rating. */
    public double[] range() {
        double[] r = range;
        if (r == null) {
            r = rangeOf(byUser.valuesCopy(), byUser.nnz());
            range = r;
        }
        return r.clone();
    }

    /** The smallest and largest of the first {@code n} values, in one tight pass over the array. */
    private static double[] rangeOf(double[] val, int n) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double x = val[k];
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return new double[] {lo, hi};
    }

    /** Bytes held by both compressed views. */
    public long bytes() {
        return byUser.bytes() + byItem.bytes();
    }

    /** Equal ids and ratings; the {@link #source()} name is not compared. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Ratings r && users.equals(r.users) && items.equals(r.items) && byUser.equals(r.byUser);
    }

    @Override
    public int hashCode() {
        return Objects.hash(users, items, byUser);
    }

    /**
     * Collects ratings one at a time and builds {@link Ratings}. Rejects non-finite ratings at
     * once and, at {@link #build()}, an empty input and (unless a {@link DuplicatePolicy} says
     * otherwise) repeated (user, item) pairs. Errors name the source and line when given.
     * Not thread-safe.
     */
    public static final class Builder {
        private final IdCollector userCodes = new IdCollector();
        private final IdCollector itemCodes = new IdCollector();
        private int[] u = new int[1024];
        private int[] i = new int[1024];
        private double[] v = new double[1024];
        private long[] lines;
        private int n;
        private String source;
        private DuplicatePolicy duplicates = DuplicatePolicy.ERROR;

        private Builder() {
        }

        /** Names the input in error messages, e.g. a file name, and becomes {@link Ratings#source()}. */
        public Builder source(String name) {
            this.source = name;
            return this;
        }

        public Builder duplicates(DuplicatePolicy policy) {
            this.duplicates = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder add(long user, long item, double rating) {
            return add(userCodes.code(user), itemCodes.code(item), rating, 0);
        }

        public Builder add(String user, String item, double rating) {
            return add(userCodes.code(user), itemCodes.code(item), rating, 0);
        }

        /** Adds a rating read from line {@code line} of the source (1-based). */
        public Builder add(String user, String item, double rating, long line) {
            return add(userCodes.code(user), itemCodes.code(item), rating, line);
        }

        /** Adds a rating read from line {@code line} of the source (1-based). */
        public Builder add(long user, long item, double rating, long line) {
            return add(userCodes.code(user), itemCodes.code(item), rating, line);
        }

        private Builder add(int uc, int ic, double rating, long line) {
            if (!Double.isFinite(rating)) {
                throw new RatingsInputException(source, line, "rating must be finite but was " + rating);
            }
            if (Math.abs(rating) > MAX_ABS_RATING) {
                throw new RatingsInputException(source, line, tooLarge(Double.toString(rating)));
            }
            if (n == u.length) {
                int cap = Math.max(16, n + (n >> 1));
                u = Arrays.copyOf(u, cap);
                i = Arrays.copyOf(i, cap);
                v = Arrays.copyOf(v, cap);
                if (lines != null) {
                    lines = Arrays.copyOf(lines, cap);
                }
            }
            if (line > 0 && lines == null) {
                lines = new long[u.length];
            }
            if (lines != null) {
                lines[n] = line;
            }
            u[n] = uc;
            i[n] = ic;
            v[n] = rating;
            n++;
            return this;
        }

        /** Number of ratings added so far. */
        public int size() {
            return n;
        }

        public Ratings build() {
            if (n == 0) {
                throw new RatingsInputException(source, 0, "ratings must not be empty but no rating was read");
            }
            requireRatingScale();
            IdIndex users;
            int[] userRank;
            IdIndex items;
            int[] itemRank;
            if (userCodes.isNumeric() && itemCodes.isNumeric()) {
                long[] uid = userCodes.numericIds();
                userRank = rankOf(uid);
                users = IdIndex.sortedNumeric(sortedCopy(uid));
                long[] iid = itemCodes.numericIds();
                itemRank = rankOf(iid);
                items = IdIndex.sortedNumeric(sortedCopy(iid));
            } else {
                String[] uid = userCodes.stringIds();
                userRank = rankOf(uid);
                users = IdIndex.sortedStrings(sortedCopy(uid));
                String[] iid = itemCodes.stringIds();
                itemRank = rankOf(iid);
                items = IdIndex.sortedStrings(sortedCopy(iid));
            }
            int numUsers = users.size();
            int numItems = items.size();

            // Two stable counting sorts (by item, then by user) order entries by (user, item)
            // while keeping input order among repeats of a pair, which LAST relies on.
            int[] byItemOrder = countingOrder(i, itemRank, numItems, identity(n));
            int[] order = countingOrder(u, userRank, numUsers, byItemOrder);

            int[] ptr = new int[numUsers + 1];
            int[] idx = new int[n];
            double[] val = new double[n];
            int[] repeats = new int[1];
            int out = 0;
            int prevUser = -1;
            int prevItem = -1;
            int firstOfPair = -1;
            for (int pos = 0; pos < n; pos++) {
                int e = order[pos];
                int user = userRank[u[e]];
                int item = itemRank[i[e]];
                if (user == prevUser && item == prevItem) {
                    out = merge(e, firstOfPair, out, val, repeats, users, user, items, item);
                    continue;
                }
                if (duplicates == DuplicatePolicy.MEAN && repeats[0] > 0) {
                    val[out - 1] /= repeats[0] + 1;
                }
                repeats[0] = 0;
                idx[out] = item;
                val[out] = v[e];
                ptr[user + 1]++;
                out++;
                prevUser = user;
                prevItem = item;
                firstOfPair = e;
            }
            if (duplicates == DuplicatePolicy.MEAN && repeats[0] > 0) {
                val[out - 1] /= repeats[0] + 1;
            }
            for (int r = 0; r < numUsers; r++) {
                ptr[r + 1] += ptr[r];
            }
            SparseView view = SparseView.adopt(numUsers, numItems, ptr,
                    out == n ? idx : Arrays.copyOf(idx, out), out == n ? val : Arrays.copyOf(val, out));
            Ratings built = new Ratings(users, items, view, source == null ? IN_MEMORY : source);
            built.range = rangeOf(val, out);
            return built;
        }

        /**
         * Refuses ratings whose range is too wide for a rating scale, naming the line of the
         * extreme farther from the mean.
         */
        private void requireRatingScale() {
            int lo = 0;
            int hi = 0;
            double sum = 0;
            for (int e = 0; e < n; e++) {
                lo = v[e] < v[lo] ? e : lo;
                hi = v[e] > v[hi] ? e : hi;
                sum += v[e];
            }
            double range = v[hi] - v[lo];
            if (range <= MAX_RANGE) {
                return;
            }
            double mean = sum / n;
            int far = v[hi] - mean >= mean - v[lo] ? hi : lo;
            throw new RatingsInputException(source, lines == null ? 0 : lines[far], "ratings run from "
                    + number(v[lo]) + where(lo) + " to " + number(v[hi]) + where(hi) + ", a range of "
                    + number(range) + ": too wide to be a rating scale (at most " + number(MAX_RANGE)
                    + " between the smallest and the largest rating, that is 10^6 levels at a step of 1);"
                    + " check the value " + number(v[far]) + ", or rescale the ratings");
        }

        private String where(int e) {
            return lines == null ? "" : " (line " + lines[e] + ")";
        }

        private int merge(int e, int first, int out, double[] val, int[] repeats,
                          IdIndex users, int user, IdIndex items, int item) {
            switch (duplicates) {
                case LAST -> val[out - 1] = v[e];
                case MEAN -> {
                    val[out - 1] += v[e];
                    repeats[0]++;
                }
                case SUM -> val[out - 1] += v[e];
                default -> throw new RatingsInputException(source, lines == null ? 0 : lines[e],
                        "duplicate rating for user " + users.idAt(user) + ", item " + items.idAt(item)
                                + (lines == null ? "" : " (first rated on line " + lines[first] + ")")
                                + "; choose how to merge repeats with --duplicates last|mean (ratings) or sum (implicit counts)");
            }
            return out;
        }

        private static int[] identity(int n) {
            int[] a = new int[n];
            for (int k = 0; k < n; k++) {
                a[k] = k;
            }
            return a;
        }

        /** Stable counting sort of the entries in {@code in} by {@code rank[code[e]]}. */
        private int[] countingOrder(int[] code, int[] rank, int buckets, int[] in) {
            int[] start = new int[buckets + 1];
            for (int k = 0; k < n; k++) {
                start[rank[code[k]] + 1]++;
            }
            for (int b = 0; b < buckets; b++) {
                start[b + 1] += start[b];
            }
            int[] out = new int[n];
            for (int e : in) {
                out[start[rank[code[e]]]++] = e;
            }
            return out;
        }

        private static long[] sortedCopy(long[] a) {
            long[] s = a.clone();
            Arrays.sort(s);
            return s;
        }

        private static String[] sortedCopy(String[] a) {
            String[] s = a.clone();
            Arrays.sort(s);
            return s;
        }

        /** rank[code] = position of ids[code] in sorted order. */
        private static int[] rankOf(long[] ids) {
            Integer[] codes = boxedRange(ids.length);
            Arrays.sort(codes, Comparator.comparingLong(c -> ids[c]));
            return invert(codes);
        }

        private static int[] rankOf(String[] ids) {
            Integer[] codes = boxedRange(ids.length);
            Arrays.sort(codes, Comparator.comparing(c -> ids[c]));
            return invert(codes);
        }

        private static Integer[] boxedRange(int n) {
            Integer[] a = new Integer[n];
            for (int k = 0; k < n; k++) {
                a[k] = k;
            }
            return a;
        }

        private static int[] invert(Integer[] sortedCodes) {
            int[] rank = new int[sortedCodes.length];
            for (int pos = 0; pos < sortedCodes.length; pos++) {
                rank[sortedCodes[pos]] = pos;
            }
            return rank;
        }
    }
}
