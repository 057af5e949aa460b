package io.als.eval.data;

import io.als.spi.FactorMatrix;
import io.als.api.IdIndex;
import io.als.api.Ratings;
import io.als.internal.Gaussians;
import io.als.spi.SparseView;
import io.als.eval.Permutations;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A built-in, MovieLens-like ratings set, generated deterministically from a seed, whose
 * truth is known: evaluation code can compare an RMSE with the best any predictor could do.
 *
 * <h2>The generating model</h2>
 * <pre>
 *   t_ui = MEAN + b_u + b_i + A_u . C_i            (the planted score)
 *   r_ui = min(5, max(1, round(t_ui + e_ui)))      e_ui ~ N(0, noise^2), independent
 * </pre>
 * with {@code b_u ~ N(0, USER_BIAS_SD^2)}, {@code b_i ~ N(0, ITEM_BIAS_SD^2)} and factor
 * entries {@code N(0, INTERACTION_SD / sqrt(rank))}, so that {@code A_u . C_i} has standard
 * deviation {@code INTERACTION_SD} whatever the rank.
 *
 * <p><b>Who rates what.</b> Each user rates at least {@code min(20, ratings / users)} items
 * (MovieLens 100K and 1M keep only users with 20 or more ratings); the rest of the ratings are
 * shared out in proportion to log-normal activity weights, so a few users rate very many
 * items. Items are drawn without replacement with Zipf-like weights {@code 1 / rank^ITEM_SKEW}
 * over a seeded random order of the items, so a few items are very popular and many are rare.
 * Items nobody drew are left out, as in a real file.
 *
 * <p><b>The noise floor.</b> Rounding and clipping make {@code r_ui} a non-linear function of
 * {@code t_ui}; the best possible prediction of {@code r_ui} given the truth is
 * {@link #expectedRating(double) E[r | t]}, and {@link #noiseFloor()} is its RMSE over every
 * rating, the level no model can beat on average.
 *
 * <p>Everything is a pure function of the {@link Spec}: users are generated from their own
 * seeded streams, so the result does not depend on the number of threads.
 */
public final class SyntheticRatings {
    /** The planted global mean (MovieLens 100K's mean rating is 3.53). */
    public static final double MEAN = 3.5;
    public static final double USER_BIAS_SD = 0.4;
    public static final double ITEM_BIAS_SD = 0.5;
    /** Standard deviation of the planted interaction {@code A_u . C_i}. */
    public static final double INTERACTION_SD = 0.6;
    /** Zipf exponent of item popularity. */
    public static final double ITEM_SKEW = 0.8;
    /** Standard deviation of the log of a user's activity weight. */
    public static final double ACTIVITY_SIGMA = 1.0;
    /** The fewest ratings a user gets when there are enough ratings to go round. */
    public static final int MIN_PER_USER = 20;
    /** No user rates more than this fraction of the items. */
    public static final double MAX_USER_FRACTION = 0.6;
    public static final int SCALE_MIN = 1;
    public static final int SCALE_MAX = 5;
    /** Largest supported size, MovieLens 25M's order. */
    public static final long MAX_RATINGS = 30_000_000L;
    /** Users above this share of the items are sampled by exponential keys rather than rejection. */
    private static final double REJECTION_LIMIT = 0.25;

    /**
     * What to generate.
     *
     * @param users   number of users
     * @param items   number of items (those never drawn are dropped)
     * @param ratings number of ratings
     * @param rank    planted rank of the interaction
     * @param noise   standard deviation of the Gaussian noise before rounding
     * @param seed    everything is a function of this seed and the sizes
     */
    public record Spec(int users, int items, long ratings, int rank, double noise, long seed) {
        /** MovieLens 100K's shape: 943 users, 1,682 items, 100,000 ratings. */
        public static final Spec DEFAULT = new Spec(943, 1682, 100_000, 5, 0.9, 1);

        public Spec {
            if (users < 1 || items < 1) {
                throw new IllegalArgumentException("users and items must be positive but were " + users + " and "
                        + items);
            }
            checkRatings(ratings);
            if (ratings < users) {
                throw new IllegalArgumentException("ratings must be at least users (" + users + "), one each, but was "
                        + ratings);
            }
            long cap = (long) users * maxPerUser(items);
            if (ratings > cap) {
                throw new IllegalArgumentException("ratings must be at most " + cap + " for " + users + " users and "
                        + items + " items (each user rates at most " + (int) (MAX_USER_FRACTION * 100)
                        + "% of the items) but was " + ratings);
            }
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be positive but was " + rank);
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be finite and non-negative but was " + noise);
            }
        }

        /**
         * Parses {@code synthetic} or {@code synthetic:key=value,...} with keys {@code users},
         * {@code items}, {@code ratings}, {@code rank}, {@code noise} and {@code seed}. When only
         * {@code ratings} is given, users and items grow with it as MovieLens's do (users as
         * ratings^0.8, items as ratings^0.35, from 100K's 943 and 1,682).
         */
        public static Spec parse(String text) {
            String t = text.trim();
            if (!t.equals("synthetic") && !t.startsWith("synthetic:")) {
                throw new IllegalArgumentException("synthetic data must be 'synthetic' or 'synthetic:key=value,...'"
                        + " but was '" + text + "'");
            }
            Map<String, String> kv = new LinkedHashMap<>();
            if (t.startsWith("synthetic:")) {
                for (String part : t.substring("synthetic:".length()).split(",")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("synthetic settings must be key=value but '" + part
                                + "' has no '='");
                    }
                    kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
                }
            }
            Spec d = DEFAULT;
            long ratings = kv.containsKey("ratings") ? parseLong("ratings", kv.remove("ratings")) : d.ratings;
            // Before users and items are derived from it: a huge count would overflow them.
            checkRatings(ratings);
            double growth = (double) ratings / d.ratings;
            int users = kv.containsKey("users") ? parseInt("users", kv.remove("users"))
                    : (int) Math.max(1, Math.round(d.users * Math.pow(growth, 0.8)));
            int items = kv.containsKey("items") ? parseInt("items", kv.remove("items"))
                    : (int) Math.max(1, Math.round(d.items * Math.pow(growth, 0.35)));
            int rank = kv.containsKey("rank") ? parseInt("rank", kv.remove("rank")) : d.rank;
            double noise = kv.containsKey("noise") ? parseDouble("noise", kv.remove("noise")) : d.noise;
            long seed = kv.containsKey("seed") ? parseLong("seed", kv.remove("seed")) : d.seed;
            if (!kv.isEmpty()) {
                throw new IllegalArgumentException("synthetic settings must be among items, noise, rank, ratings, seed,"
                        + " users but were also " + kv.keySet());
            }
            return new Spec(users, items, ratings, rank, noise, seed);
        }

        /** The canonical text form, which {@link #parse} reads back. */
        @Override
        public String toString() {
            return "synthetic:users=" + users + ",items=" + items + ",ratings=" + ratings + ",rank=" + rank
                    + ",noise=" + noise + ",seed=" + seed;
        }

        private static void checkRatings(long ratings) {
            if (ratings < 1 || ratings > MAX_RATINGS) {
                throw new IllegalArgumentException("ratings must be between 1 and " + MAX_RATINGS + " but was "
                        + ratings);
            }
        }

        /** An integer setting that must fit an int (a larger one used to wrap around silently). */
        private static int parseInt(String key, String v) {
            long n = parseLong(key, v);
            if (n != (int) n) {
                throw new IllegalArgumentException("synthetic " + key + " must be between 1 and " + Integer.MAX_VALUE
                        + " but was " + n);
            }
            return (int) n;
        }

        private static long parseLong(String key, String v) {
            try {
                return Long.parseLong(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("synthetic " + key + " must be an integer but was '" + v + "'");
            }
        }

        private static double parseDouble(String key, String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("synthetic " + key + " must be a number but was '" + v + "'");
            }
        }
    }

    private final Spec spec;
    private final Ratings ratings;
    private final double[] userBias;
    private final double[] itemBias;
    private final FactorMatrix userFactors;
    private final FactorMatrix itemFactors;

    private SyntheticRatings(Spec spec, Ratings ratings, double[] userBias, double[] itemBias,
                             FactorMatrix userFactors, FactorMatrix itemFactors) {
        this.spec = spec;
        this.ratings = ratings;
        this.userBias = userBias;
        this.itemBias = itemBias;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
    }

    public static SyntheticRatings generate(Spec spec) {
        SplittableRandom root = new SplittableRandom(spec.seed());
        SplittableRandom truthRandom = root.split();
        SplittableRandom layoutRandom = root.split();
        long userStreams = root.nextLong();
        int users = spec.users();
        int items = spec.items();
        int k = spec.rank();

        double[] bu = new double[users];
        double[] bi = new double[items];
        FactorMatrix a = new FactorMatrix(users, k);
        FactorMatrix c = new FactorMatrix(items, k);
        double factorSd = Math.sqrt(INTERACTION_SD / Math.sqrt(k));
        for (int u = 0; u < users; u++) {
            bu[u] = USER_BIAS_SD * Gaussians.next(truthRandom);
        }
        for (int i = 0; i < items; i++) {
            bi[i] = ITEM_BIAS_SD * Gaussians.next(truthRandom);
        }
        fill(a, factorSd, truthRandom);
        fill(c, factorSd, truthRandom);

        int[] counts = activity(spec, layoutRandom);
        // Popularity: item order[j] gets weight 1 / (j + 1)^ITEM_SKEW.
        int[] order = Permutations.shuffled(items, layoutRandom);
        double[] weight = new double[items];
        for (int j = 0; j < items; j++) {
            weight[order[j]] = 1 / Math.pow(j + 1, ITEM_SKEW);
        }
        AliasTable popularity = new AliasTable(weight);

        int[] ptr = new int[users + 1];
        for (int u = 0; u < users; u++) {
            ptr[u + 1] = ptr[u] + counts[u];
        }
        int nnz = ptr[users];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        double noise = spec.noise();
        IntStream.range(0, users).parallel().forEach(u -> {
            SplittableRandom rnd = new SplittableRandom(userStreams ^ (0x9E3779B97F4A7C15L * (u + 1)));
            int n = counts[u];
            int from = ptr[u];
            chooseItems(n, weight, popularity, rnd, idx, from);
            Arrays.sort(idx, from, from + n);
            for (int e = from; e < from + n; e++) {
                int i = idx[e];
                double t = MEAN + bu[u] + bi[i] + a.dot(u, c, i);
                val[e] = clip(Math.floor(t + noise * Gaussians.next(rnd) + 0.5));
            }
        });
        Ratings ratings = compact(users, items, ptr, idx, val).withSource(spec.toString());
        return new SyntheticRatings(spec, ratings, bu, bi, a, c);
    }

    /** The generated ratings; users are numbered 1..users and items 1..items (unrated items left out). */
    public Ratings ratings() {
        return ratings;
    }

    public Spec spec() {
        return spec;
    }

    /** The planted score {@code t_ui} for 1-based user and item ids. */
    public double plantedScore(long user, long item) {
        int u = (int) user - 1;
        int i = (int) item - 1;
        return MEAN + userBias[u] + itemBias[i] + userFactors.dot(u, itemFactors, i);
    }

    /**
     * {@code E[r | t]}: the mean of {@code min(5, max(1, round(t + e)))} over the noise
     * {@code e ~ N(0, noise^2)}, the best prediction anyone who knew {@code t} could make.
     */
    public double expectedRating(double t) {
        return expectedRating(t, spec.noise());
    }

    /** {@link #expectedRating(double)} for a given noise level. */
    public static double expectedRating(double t, double noise) {
        if (noise == 0) {
            return clip(Math.floor(t + 0.5));
        }
        // P(r = j) is the mass of t + e in [j - 1/2, j + 1/2), with the two ends open-ended.
        double expected = 0;
        double below = 0;
        for (int j = SCALE_MIN; j <= SCALE_MAX; j++) {
            double upTo = j == SCALE_MAX ? 1 : Normal.cdf((j + 0.5 - t) / noise);
            expected += j * (upTo - below);
            below = upTo;
        }
        return expected;
    }

    /**
     * RMSE of {@link #expectedRating(double) E[r | t]} against every generated rating: the
     * noise floor, the RMSE a perfect model of the truth would have on average.
     */
    public double noiseFloor() {
        return rmseOver(true);
    }

    /**
     * RMSE of the planted score itself, clipped to the scale, against every rating: the
     * plain "noise level", a little above {@link #noiseFloor()} because rounding and clipping
     * move ratings away from the score.
     */
    public double plantedScoreRmse() {
        return rmseOver(false);
    }

    private double rmseOver(boolean expected) {
        SparseView byUser = ratings.byUser();
        double sse = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            long user = ratings.userIds().numericIdAt(u);
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                double t = plantedScore(user, ratings.itemIds().numericIdAt(byUser.index(e)));
                double p = expected ? expectedRating(t) : Math.min(SCALE_MAX, Math.max(SCALE_MIN, t));
                double d = byUser.value(e) - p;
                sse += d * d;
            }
        }
        return Math.sqrt(sse / byUser.nnz());
    }

    // ---------------------------------------------------------------- generation

    /** Ratings per user: at least the minimum, the rest by log-normal weights, capped. */
    private static int[] activity(Spec spec, SplittableRandom rnd) {
        int users = spec.users();
        int cap = maxPerUser(spec.items());
        int min = (int) Math.min(Math.min(MIN_PER_USER, spec.ratings() / users), cap);
        double[] w = new double[users];
        double total = 0;
        for (int u = 0; u < users; u++) {
            w[u] = Math.exp(ACTIVITY_SIGMA * Gaussians.next(rnd));
            total += w[u];
        }
        int[] n = new int[users];
        long extra = spec.ratings() - (long) min * users;
        long given = 0;
        for (int u = 0; u < users; u++) {
            n[u] = (int) Math.min(cap, min + (long) Math.floor(extra * w[u] / total));
            given += n[u];
        }
        // Hand out what rounding and the cap left over, one at a time, heaviest users first.
        Integer[] byWeight = new Integer[users];
        Arrays.setAll(byWeight, u -> u);
        Arrays.sort(byWeight, (x, y) -> Double.compare(w[y], w[x]));
        long left = spec.ratings() - given;
        while (left > 0) {
            boolean gave = false;
            for (int pos = 0; pos < users && left > 0; pos++) {
                int u = byWeight[pos];
                if (n[u] < cap) {
                    n[u]++;
                    left--;
                    gave = true;
                }
            }
            if (!gave) {
                throw new IllegalStateException("cannot place " + left + " more ratings");
            }
        }
        return n;
    }

    static int maxPerUser(int items) {
        return Math.max(1, (int) (MAX_USER_FRACTION * items));
    }

    /** Writes {@code n} distinct items into {@code out[from..from+n)}, drawn by weight without replacement. */
    private static void chooseItems(int n, double[] weight, AliasTable popularity, SplittableRandom rnd,
                                    int[] out, int from) {
        int items = weight.length;
        if (n <= REJECTION_LIMIT * items) {
            // Draw with replacement and skip repeats; cheap while n is a small share of the items.
            java.util.BitSet taken = new java.util.BitSet(items);
            int got = 0;
            while (got < n) {
                int i = popularity.sample(rnd);
                if (!taken.get(i)) {
                    taken.set(i);
                    out[from + got++] = i;
                }
            }
            return;
        }
        // Exponential keys E_i / w_i: the n smallest are a weighted draw without replacement
        // (Efraimidis and Spirakis, "Weighted random sampling with a reservoir", IPL 97(5), 2006).
        double[] key = new double[items];
        Integer[] ids = new Integer[items];
        for (int i = 0; i < items; i++) {
            key[i] = -Math.log(1 - rnd.nextDouble()) / weight[i];
            ids[i] = i;
        }
        Arrays.sort(ids, (x, y) -> Double.compare(key[x], key[y]));
        for (int j = 0; j < n; j++) {
            out[from + j] = ids[j];
        }
    }

    /** Drops items nobody rated and numbers users and items from 1. */
    private static Ratings compact(int users, int items, int[] ptr, int[] idx, double[] val) {
        int[] newIndex = new int[items];
        Arrays.fill(newIndex, -1);
        for (int i : idx) {
            newIndex[i] = 0;
        }
        int kept = 0;
        long[] itemIds = new long[items];
        for (int i = 0; i < items; i++) {
            if (newIndex[i] == 0) {
                itemIds[kept] = i + 1L;
                newIndex[i] = kept++;
            }
        }
        for (int e = 0; e < idx.length; e++) {
            idx[e] = newIndex[idx[e]];
        }
        long[] userIds = new long[users];
        Arrays.setAll(userIds, u -> u + 1L);
        SparseView byUser = SparseView.copyOf(users, kept, ptr, idx, val);
        return Ratings.of(IdIndex.ofNumeric(userIds), IdIndex.ofNumeric(Arrays.copyOf(itemIds, kept)), byUser);
    }

    private static void fill(FactorMatrix m, double sd, SplittableRandom rnd) {
        double[] d = m.data();
        for (int j = 0; j < d.length; j++) {
            d[j] = sd * Gaussians.next(rnd);
        }
    }

    private static double clip(double r) {
        return Math.min(SCALE_MAX, Math.max(SCALE_MIN, r));
    }

    /**
     * Walker's alias method in Vose's numerically stable form (M. D. Vose, "A linear
     * algorithm for generating random numbers with a given distribution", IEEE TSE 17(9),
     * 1991): O(n) set-up, O(1) per draw.
     */
    static final class AliasTable {
        private final double[] probability;
        private final int[] alias;

        AliasTable(double[] weight) {
            int n = weight.length;
            probability = new double[n];
            alias = new int[n];
            double total = 0;
            for (double w : weight) {
                total += w;
            }
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int ns = 0;
            int nl = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = weight[i] * n / total;
                if (scaled[i] < 1) {
                    small[ns++] = i;
                } else {
                    large[nl++] = i;
                }
            }
            while (ns > 0 && nl > 0) {
                int s = small[--ns];
                int l = large[--nl];
                probability[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                if (scaled[l] < 1) {
                    small[ns++] = l;
                } else {
                    large[nl++] = l;
                }
            }
            while (nl > 0) {
                probability[large[--nl]] = 1;
            }
            while (ns > 0) {
                probability[small[--ns]] = 1;
            }
        }

        int sample(SplittableRandom rnd) {
            int column = rnd.nextInt(probability.length);
            return rnd.nextDouble() < probability[column] ? column : alias[column];
        }
    }
}
