package io.als.api;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.MatrixProducts;
import io.als.spi.SparseView;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fitted factorisation: predicts ratings and recommends unrated items.
 *
 * <h2>What a model holds</h2>
 * <ul>
 *   <li>its shape: {@link #rank()} {@code k}, the number of latent factors, and
 *       {@link #samples()} {@code S}: 1 for a plain ALS solution (one point estimate), or
 *       the number of posterior samples a sampled fit averages;</li>
 *   <li>a global mean {@code mu} and, per sample {@code s}, a bias per user and per item
 *       ({@code b_u^s}, {@code b_i^s}) and {@code k} factors per user and per item
 *       ({@code U_u^s}, {@code P_i^s}). Without {@link #biased()} the mean and the biases
 *       are zero;</li>
 *   <li>the pattern of the training ratings (to leave rated items out of recommendations),
 *       and, when known, how it was trained ({@link #trainingInfo()}).</li>
 * </ul>
 * A sampled fit is by default stored compressed: one sample of rank {@code 2k} that
 * approximates the average of its {@code S} samples of rank {@code k} (see
 * {@link AlsConfig#compress()}). Such a model has {@link #samples()} 1 and {@link #rank()}
 * {@code 2k}, while its {@link #trainingInfo()} tells the fit's rank {@code k} and samples
 * {@code S}.
 * It predicts the average over its samples:
 * <pre>
 *   prediction(u, i) = mu + (1/S) sum_s (b_u^s + b_i^s) + (1/S) sum_s U_u^s . P_i^s
 * </pre>
 * The samples' factors are stored side by side, so this is one dot product of length
 * {@code S k} per prediction; the averaged biases are kept ready as well.
 *
 * <h2>Views and copies</h2>
 * The model is immutable and thread-safe. Getters returning a {@link MatrixView} or a
 * {@link DoubleBuffer} give live, read-only views of the model's own storage (no copy; since
 * the model never changes, neither do they). Getters returning an array or a
 * {@link FactorMatrix} return a fresh copy the caller may change. Each getter says which.
 *
 * <p><b>Unknown ids:</b> {@link #predict(String, String)} returns {@code NaN} when the user
 * or the item was not in the training data (evaluation code chooses what to do about it);
 * {@link #recommend(String, int)} returns an empty list for an unknown user.
 */
public final class Model {

    /** An item and its predicted score. */
    public record Recommendation(String item, double score) {
    }

    private final IdIndex userIds;
    private final IdIndex itemIds;
    private final int rank;
    private final int samples;
    private final boolean biased;
    private final double mean;
    /** {@code users x (samples * rank)}, row-major; sample {@code s} in columns {@code s*rank .. s*rank+rank-1}. */
    private final double[] users;
    /** {@code items x (samples * rank)}, laid out like {@link #users}. */
    private final double[] items;
    /** {@code samples x users}: sample {@code s}'s user biases at {@code s * users}. */
    private final double[] userBiasSamples;
    /** {@code samples x items}, likewise. */
    private final double[] itemBiasSamples;
    /** The biases averaged over the samples (the same arrays as the samples' when there is one). */
    private final double[] userBias;
    private final double[] itemBias;
    private final int[] ratedPtr;
    private final int[] ratedIdx;
    /** Null when unknown (a model built by hand, or read from a version-1 file). */
    private final TrainingInfo training;
    /** Serves {@link #recommend}; made on first use, so not part of the model's value. */
    private volatile Recommender recommender;

    /**
     * Takes ownership of every array (no copy): callers in this package hand over arrays
     * nobody else writes to. Checks the shapes and that an unbiased model has no biases.
     */
    Model(IdIndex userIds, IdIndex itemIds, int rank, int samples, boolean biased, double mean,
          double[] users, double[] items, double[] userBiasSamples, double[] itemBiasSamples,
          int[] ratedPtr, int[] ratedIdx, TrainingInfo training) {
        this.userIds = Objects.requireNonNull(userIds, "userIds");
        this.itemIds = Objects.requireNonNull(itemIds, "itemIds");
        Checks.positive("rank", rank);
        Checks.positive("samples", samples);
        int nu = userIds.size();
        int ni = itemIds.size();
        long width = (long) rank * samples;
        if (users.length != nu * width || items.length != ni * width) {
            throw new IllegalArgumentException("factors must be " + nu + " and " + ni + " rows of " + samples
                    + " sample(s) of rank " + rank + " but held " + users.length + " and " + items.length + " values");
        }
        if (userBiasSamples.length != (long) samples * nu || itemBiasSamples.length != (long) samples * ni) {
            throw new IllegalArgumentException("biases must have one entry per user and item in each of " + samples
                    + " sample(s)");
        }
        if (ratedPtr.length != nu + 1 || ratedPtr[nu] != ratedIdx.length) {
            throw new IllegalArgumentException("rated pattern must have one row per user");
        }
        if (!biased && (mean != 0 || !allZero(userBiasSamples) || !allZero(itemBiasSamples))) {
            throw new IllegalArgumentException("an unbiased model must have a zero mean and zero biases");
        }
        if (!rankMatches(rank, samples, training)) {
            throw new IllegalArgumentException("training info must have rank " + rank + " but had " + training.rank());
        }
        this.rank = rank;
        this.samples = samples;
        this.biased = biased;
        this.mean = Checks.finite("mean", mean);
        this.users = users;
        this.items = items;
        this.userBiasSamples = userBiasSamples;
        this.itemBiasSamples = itemBiasSamples;
        this.userBias = average(userBiasSamples, samples, nu);
        this.itemBias = average(itemBiasSamples, samples, ni);
        this.ratedPtr = ratedPtr;
        this.ratedIdx = ratedIdx;
        this.training = training;
    }

    /**
     * A one-sample model from its parts (all copied), without training information. It is
     * {@link #biased()} when the mean or any bias is non-zero.
     *
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
        this(userIds, itemIds, checkedRank(userIds, itemIds, users, items), 1,
                mean != 0 || !allZero(userBias) || !allZero(itemBias), mean, finite("factor", users.data().clone()),
                finite("factor", items.data().clone()), finite("bias", userBias.clone()),
                finite("bias", itemBias.clone()), ratedPtr.clone(), checkedPattern(ratedPtr, ratedIdx,
                        itemIds.size()), null);
    }

    /** {@code values}, after checking that each is finite (what a model file can hold). */
    private static double[] finite(String what, double[] values) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException("every " + what + " must be finite but entry " + k + " was "
                        + values[k]);
            }
        }
        return values;
    }

    /**
     * A copy of the rated pattern's item indices, after checking the pattern: pointers from 0,
     * never decreasing, and indices within each row strictly ascending and below {@code items}
     * (what recommending and a model file rely on).
     */
    private static int[] checkedPattern(int[] ptr, int[] idx, int items) {
        checkPattern(ptr, idx, items);
        return idx.clone();
    }

    /** The checks of {@link #checkedPattern}, without the copy. */
    private static void checkPattern(int[] ptr, int[] idx, int items) {
        if (ptr.length == 0 || ptr[0] != 0) {
            throw new IllegalArgumentException("rated pattern's pointers must start at 0");
        }
        for (int r = 0; r + 1 < ptr.length; r++) {
            if (ptr[r + 1] < ptr[r] || ptr[r + 1] > idx.length) {
                throw new IllegalArgumentException("rated pattern's pointers must not decrease nor pass its "
                        + idx.length + " indices, but row " + r + " runs from " + ptr[r] + " to " + ptr[r + 1]);
            }
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                if (idx[e] < 0 || idx[e] >= items || (e > ptr[r] && idx[e] <= idx[e - 1])) {
                    throw new IllegalArgumentException("rated pattern's item indices must be in [0, " + items
                            + ") and strictly ascending within each row, but row " + r + " has " + idx[e]
                            + (e > ptr[r] ? " after " + idx[e - 1] : ""));
                }
            }
        }
    }

    /** A plain (unbiased) one-sample model over the ids and pattern of {@code training}. */
    public static Model unbiased(Ratings training, FactorMatrix users, FactorMatrix items) {
        return new Model(training.userIds(), training.itemIds(), users, items, 0,
                new double[training.numUsers()], new double[training.numItems()], training.byUser());
    }

    /** Starts a model of {@code samples} samples of rank {@code rank} over these ids. */
    public static Builder builder(IdIndex userIds, IdIndex itemIds, int rank, int samples) {
        return new Builder(userIds, itemIds, rank, samples);
    }

    public IdIndex userIds() {
        return userIds;
    }

    public IdIndex itemIds() {
        return itemIds;
    }

    /** The number of latent factors {@code k} of each sample. */
    public int rank() {
        return rank;
    }

    /** How many samples the model averages: 1 for a plain ALS solution. */
    public int samples() {
        return samples;
    }

    /** Whether the model has a global mean and user and item biases (else they are all zero). */
    public boolean biased() {
        return biased;
    }

    /**
     * Whether this is a compressed sampled model: one sample that summarises the
     * {@link TrainingInfo#samples()} samples of its fit (see {@link AlsConfig#compress()}).
     */
    public boolean compressed() {
        return isSummary(samples, training);
    }

    /** Whether a model of {@code samples} samples with this training info is a compressed summary. */
    static boolean isSummary(int samples, TrainingInfo training) {
        return samples == 1 && training != null && training.samples() > 1;
    }

    /**
     * Whether a model of this rank and samples may carry this training info: the fit's rank,
     * or any rank for a compressed summary (one sample standing for several).
     */
    static boolean rankMatches(int rank, int samples, TrainingInfo training) {
        return training == null || training.rank() == rank || isSummary(samples, training);
    }

    /** How the model was trained; empty for a model built by hand or read from a version-1 file. */
    public Optional<TrainingInfo> trainingInfo() {
        return Optional.ofNullable(training);
    }

    public double globalMean() {
        return mean;
    }

    /** Sample {@code sample}'s user factors, {@code users x rank}: a live read-only view (no copy). */
    public MatrixView userFactors(int sample) {
        return new MatrixView(users, userIds.size(), rank, checkSample(sample) * rank, rank * samples);
    }

    /** Sample {@code sample}'s item factors, {@code items x rank}: a live read-only view (no copy). */
    public MatrixView itemFactors(int sample) {
        return new MatrixView(items, itemIds.size(), rank, checkSample(sample) * rank, rank * samples);
    }

    /** Sample {@code sample}'s user biases, by user index: a live read-only view (no copy). */
    public DoubleBuffer userBiases(int sample) {
        int n = userIds.size();
        return DoubleBuffer.wrap(userBiasSamples, checkSample(sample) * n, n).slice().asReadOnlyBuffer();
    }

    /** Sample {@code sample}'s item biases, by item index: a live read-only view (no copy). */
    public DoubleBuffer itemBiases(int sample) {
        int n = itemIds.size();
        return DoubleBuffer.wrap(itemBiasSamples, checkSample(sample) * n, n).slice().asReadOnlyBuffer();
    }

    /** User {@code user}'s bias averaged over the samples, as predictions use it. */
    public double userBias(int user) {
        java.util.Objects.checkIndex(user, userBias.length);
        return userBias[user];
    }

    /** Item {@code item}'s bias averaged over the samples, as predictions use it. */
    public double itemBias(int item) {
        java.util.Objects.checkIndex(item, itemBias.length);
        return itemBias[item];
    }

    /** A copy of the user biases averaged over the samples, by user index. */
    public double[] userBiases() {
        return userBias.clone();
    }

    /** A copy of the item biases averaged over the samples, by item index. */
    public double[] itemBiases() {
        return itemBias.clone();
    }

    /**
     * A copy of the user factors of a one-sample model, one row per user index. A sampled
     * model has no single factor matrix: use {@link #userFactors(int)}.
     *
     * @throws IllegalStateException when {@link #samples()} is above 1
     */
    public FactorMatrix userFactors() {
        return userFactors(onlySample()).copy();
    }

    /** A copy of the item factors of a one-sample model; see {@link #userFactors()}. */
    public FactorMatrix itemFactors() {
        return itemFactors(onlySample()).copy();
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

    /**
     * Predicted rating by dense indices. The factor term is summed in column order over the
     * samples side by side, then divided by {@code S} (not at all for one sample, so a plain
     * model predicts exactly {@code mu + b_u + b_i + U_u . P_i}).
     */
    public double predictIndex(int user, int item) {
        if (user < 0 || user >= userIds.size() || item < 0 || item >= itemIds.size()) {
            throw new IndexOutOfBoundsException("user index must be in [0, " + userIds.size() + ") and item index in"
                    + " [0, " + itemIds.size() + ") but were " + user + " and " + item);
        }
        int w = rank * samples;
        int a = user * w;
        int b = item * w;
        double acc = 0;
        for (int c = 0; c < w; c++) {
            acc += users[a + c] * items[b + c];
        }
        if (samples > 1) {
            acc /= samples;
        }
        return mean + userBias[user] + itemBias[item] + acc;
    }

    /**
     * The {@code n} items with the highest predicted rating that the user has not rated,
     * best first (ties broken by item index). Empty for an unknown user. This is
     * {@link Recommender#recommend(String, int, RecommendOptions)} with the default options,
     * on one thread; use a {@link Recommender} for options, many users at once, similar items
     * and fold-in.
     */
    public List<Recommendation> recommend(String user, int n) {
        Checks.nonNegative("n", n);
        int u = userIds.indexOf(user);
        if (u < 0 || n == 0) {
            return List.of();
        }
        return recommender().recommend(u, n, RecommendOptions.DEFAULTS).withIds(itemIds);
    }

    /** A one-thread recommender with plain-Java products, made on first use (it holds no threads to close). */
    private Recommender recommender() {
        Recommender r = recommender;
        if (r == null) {
            recommender = r = new Recommender(this, MatrixProducts.JAVA, null, 1);
        }
        return r;
    }

    /** The samples' factors side by side (for the model file): users, then items. Not copied. */
    double[] usersSideBySide() {
        return users;
    }

    double[] itemsSideBySide() {
        return items;
    }

    /** Every sample's biases, sample after sample (for the model file). Not copied. */
    double[] userBiasSamples() {
        return userBiasSamples;
    }

    double[] itemBiasSamples() {
        return itemBiasSamples;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && rank == m.rank && samples == m.samples && biased == m.biased
                && userIds.equals(m.userIds) && itemIds.equals(m.itemIds)
                && Double.doubleToLongBits(mean) == Double.doubleToLongBits(m.mean)
                && Arrays.equals(users, m.users) && Arrays.equals(items, m.items)
                && Arrays.equals(userBiasSamples, m.userBiasSamples) && Arrays.equals(itemBiasSamples, m.itemBiasSamples)
                && Arrays.equals(ratedPtr, m.ratedPtr) && Arrays.equals(ratedIdx, m.ratedIdx)
                && Objects.equals(training, m.training);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rank, samples, mean, Arrays.hashCode(users), Arrays.hashCode(items));
    }

    @Override
    public String toString() {
        return "Model[" + userIds.size() + " users, " + itemIds.size() + " items, rank " + rank + ", " + samples
                + " sample(s)" + (biased ? ", biased" : "") + "]";
    }

    private int checkSample(int sample) {
        if (sample < 0 || sample >= samples) {
            throw new IndexOutOfBoundsException("sample must be in 0.." + (samples - 1) + " but was " + sample);
        }
        return sample;
    }

    private int onlySample() {
        if (samples != 1) {
            throw new IllegalStateException("a model of " + samples + " samples has no single factor matrix;"
                    + " read each sample with userFactors(s) and itemFactors(s)");
        }
        return 0;
    }

    private static int checkedRank(IdIndex userIds, IdIndex itemIds, FactorMatrix users, FactorMatrix items) {
        if (users.rows() != userIds.size() || items.rows() != itemIds.size() || users.rank() != items.rank()) {
            throw new IllegalArgumentException("factors must be " + userIds.size() + " and " + itemIds.size()
                    + " rows of one rank but were " + users.rows() + "x" + users.rank() + " and "
                    + items.rows() + "x" + items.rank());
        }
        return users.rank();
    }

    private static boolean allZero(double[] values) {
        for (double v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** The average over {@code samples} blocks of {@code n}: summed in sample order, then divided. */
    private static double[] average(double[] perSample, int samples, int n) {
        if (samples == 1) {
            return perSample;
        }
        double[] out = new double[n];
        for (int s = 0; s < samples; s++) {
            for (int r = 0; r < n; r++) {
                out[r] += perSample[s * n + r];
            }
        }
        for (int r = 0; r < n; r++) {
            out[r] /= samples;
        }
        return out;
    }

    /**
     * Assembles a model sample by sample. Every part handed in is copied, so the caller may
     * go on changing its matrices. Not thread-safe; build once.
     */
    public static final class Builder {
        private final IdIndex userIds;
        private final IdIndex itemIds;
        private final int rank;
        private final int samples;
        private final double[] users;
        private final double[] items;
        private final double[] userBiases;
        private final double[] itemBiases;
        private boolean biased;
        private double mean;
        private int added;
        private int[] ratedPtr;
        private int[] ratedIdx;
        private TrainingInfo training;
        /**
         * Whether this is a fit's own builder ({@link #ratedShared}): its rated pattern comes from
         * the ratings' {@link SparseView}, which guarantees its structure, and the fit checked
         * every factor it adds as finite after each half-step; {@link #build} checks neither again.
         */
        private boolean fromFit;
        private boolean built;

        private Builder(IdIndex userIds, IdIndex itemIds, int rank, int samples) {
            this.userIds = Objects.requireNonNull(userIds, "userIds");
            this.itemIds = Objects.requireNonNull(itemIds, "itemIds");
            this.rank = Checks.positive("rank", rank);
            this.samples = Checks.positive("samples", samples);
            int width = Math.multiplyExact(rank, samples);
            this.users = new double[Math.multiplyExact(userIds.size(), width)];
            this.items = new double[Math.multiplyExact(itemIds.size(), width)];
            this.userBiases = new double[Math.multiplyExact(userIds.size(), samples)];
            this.itemBiases = new double[Math.multiplyExact(itemIds.size(), samples)];
        }

        /** Makes the model biased, with this global mean. */
        public Builder biased(double globalMean) {
            this.biased = true;
            this.mean = Checks.finite("mean", globalMean);
            return this;
        }

        /** Adds the next sample of an unbiased model. */
        public Builder addSample(FactorMatrix userFactors, FactorMatrix itemFactors) {
            return addSample(userFactors, itemFactors, null, null);
        }

        /**
         * Adds the next sample: {@code users x rank} and {@code items x rank} factors and, for
         * a biased model, a bias per user and per item (null for an unbiased one).
         */
        public Builder addSample(FactorMatrix userFactors, FactorMatrix itemFactors, double[] userBias,
                                 double[] itemBias) {
            open();
            if (added == samples) {
                throw new IllegalStateException("all " + samples + " sample(s) were already added");
            }
            if (userFactors.rows() != userIds.size() || itemFactors.rows() != itemIds.size()
                    || userFactors.rank() != rank || itemFactors.rank() != rank) {
                throw new IllegalArgumentException("a sample's factors must be " + userIds.size() + "x" + rank + " and "
                        + itemIds.size() + "x" + rank + " but were " + userFactors.rows() + "x" + userFactors.rank()
                        + " and " + itemFactors.rows() + "x" + itemFactors.rank());
            }
            if ((userBias == null) != (itemBias == null)) {
                throw new IllegalArgumentException("give both user and item biases, or neither");
            }
            if (userBias != null && (userBias.length != userIds.size() || itemBias.length != itemIds.size())) {
                throw new IllegalArgumentException("biases must have one entry per user and item");
            }
            place(userFactors, users, added);
            place(itemFactors, items, added);
            if (userBias != null) {
                System.arraycopy(userBias, 0, userBiases, added * userIds.size(), userIds.size());
                System.arraycopy(itemBias, 0, itemBiases, added * itemIds.size(), itemIds.size());
            }
            added++;
            return this;
        }

        /** The training ratings by user, whose pattern recommendations leave out (copied). */
        public Builder rated(SparseView byUser) {
            return rated(byUser.pointersCopy(), byUser.indicesCopy());
        }

        /** The rated pattern as compressed rows (copied). */
        public Builder rated(int[] pointers, int[] indices) {
            open();
            this.ratedPtr = pointers.clone();
            this.ratedIdx = indices.clone();
            this.fromFit = false;
            return this;
        }

        /**
         * For the fit's own builder only: the rated pattern of its ratings, shared (copies of the
         * arrays of their {@link SparseView}, never written again), and samples that the fit has
         * checked as finite. {@link #build} then skips the checks it makes for other callers:
         * passes over every rating and every factor, which at the end of a short fit cost as much
         * as an iteration (docs/benchmarks.md).
         */
        Builder ratedShared(int[] pointers, int[] indices) {
            open();
            this.ratedPtr = pointers;
            this.ratedIdx = indices;
            this.fromFit = true;
            return this;
        }

        public Builder training(TrainingInfo info) {
            open();
            this.training = info;
            return this;
        }

        public Model build() {
            open();
            if (added != samples) {
                throw new IllegalStateException(added + " of " + samples + " sample(s) were added");
            }
            if (ratedPtr == null) {
                throw new IllegalStateException("the rated pattern was not given");
            }
            // What the public constructor checks, and a model file must hold: a model built here
            // and saved must read back.
            if (ratedPtr.length != userIds.size() + 1) {
                throw new IllegalArgumentException("the rated pattern must have a row per user (" + userIds.size()
                        + ") but had " + (ratedPtr.length - 1));
            }
            if (!fromFit) {
                checkPattern(ratedPtr, ratedIdx, itemIds.size());
                finite("factor", users);
                finite("factor", items);
                finite("bias", userBiases);
                finite("bias", itemBiases);
            }
            finite("mean", new double[] {mean});
            built = true;
            return new Model(userIds, itemIds, rank, samples, biased, mean, users, items, userBiases, itemBiases,
                    ratedPtr, ratedIdx, training);
        }

        private void open() {
            if (built) {
                throw new IllegalStateException("this builder has already built its model");
            }
        }

        /** Copies a {@code rows x rank} matrix into the columns of sample {@code s}. */
        private void place(FactorMatrix from, double[] into, int s) {
            int width = rank * samples;
            double[] src = from.data();
            if (samples == 1) {
                // One sample: the same row-major layout, one copy (a fit's model is built once,
                // in code that has not been compiled yet: a copy per row costs a cold command
                // about a millisecond on ML-1M).
                System.arraycopy(src, 0, into, 0, src.length);
                return;
            }
            for (int r = 0; r < from.rows(); r++) {
                System.arraycopy(src, r * rank, into, r * width + s * rank, rank);
            }
        }
    }
}
