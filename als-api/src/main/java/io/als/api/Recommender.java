package io.als.api;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.MatrixProducts;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowParallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Top-N recommendation (items for users, and users for items), similar items and users,
 * fold-in of new users and partial updates,
 * on a fitted {@link Model}. Thread-safe; close it to stop its threads.
 *
 * <h2>Scores</h2>
 * A recommendation's score is the model's prediction, {@link Model#predictIndex}: with the
 * samples' factors side by side ({@code w = S k} columns),
 * <pre>
 *   score(u, i) = mu + b_u + b_i + (U_u . P_i) / S
 * </pre>
 * The dot products over all {@code w} columns come from {@link MatrixProducts#scores} for a
 * block of up to {@link #BLOCK_ROWS} users against every item at once; the division by
 * {@code S} (only when {@code S > 1}) and the biases are added afterwards, in the same order
 * as {@link Model#predictIndex} adds them. An implicit model is unbiased and has one sample,
 * so its score is {@code U_u . P_i}.
 *
 * <h2>Selection and determinism</h2>
 * Each user keeps a bounded heap of its {@code n} best eligible items while its row of scores
 * is scanned, so the cost is {@code O(items log n)} per user and nothing is sorted in full.
 * Lists are best first; equal scores are ordered by the lower index. Blocks of users are
 * spread over the threads, but a user's list depends only on its own row of scores, so the
 * results are the same for every thread count. One user's list ({@link #recommend(int, int,
 * RecommendOptions)}) goes through the same code as a block of one; with
 * {@link MatrixProducts#JAVA}, whose every score is the same column-order dot product as
 * {@link Model#predictIndex}, it equals that user's entry of {@link #recommendAll} and the
 * model's own predictions bit for bit. A BLAS product may round a score differently for a
 * different block shape, which can only swap items whose scores differ in the last bits.
 *
 * <h2>Similarity</h2>
 * {@link #similarItems} and {@link #similarUsers} rank by the cosine of the factor vectors
 * (all {@code S k} columns side by side), in {@code [-1, 1]}; biases are left out, since they
 * say how popular an item is, not what it is like. The query itself is never returned, and a
 * zero vector has cosine 0 with everything.
 *
 * <h2>Fold-in and update</h2>
 * {@link #foldIn} solves a new user's row against the fixed item factors exactly, and
 * {@link #update} refits the rows of new and existing users; see {@link RowRefit} for the
 * systems solved. The rows are solved by a {@link io.als.spi.LeastSquaresStep} of the {@link Solver}
 * given to the constructor (by default the {@value AlsConfig.Defaults#SOLVER} backend, found
 * on the class path when first needed, or the {@value AlsConfig.Defaults#PORTABLE_SOLVER} one
 * where it cannot run).
 */
public final class Recommender implements AutoCloseable {

    /** Users (or items) scored per block of {@link MatrixProducts#scores}. */
    public static final int BLOCK_ROWS = 128;
    /** The most scores one worker's block holds (32 MB of doubles): fewer rows when the candidates are many. */
    static final long SCORES_PER_BLOCK = 1L << 22;

    /** One interaction of a user who is not in the model: an item id and its value. */
    public record Interaction(String item, double value) {
        public Interaction {
            Objects.requireNonNull(item, "item");
        }
    }

    /** One interaction for {@link #update}: a user id (known or new), an item id and its value. */
    public record Feedback(String user, String item, double value) {
        public Feedback {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(item, "item");
        }
    }

    /**
     * A user solved by {@link #foldIn}.
     *
     * @param factors      the user's row, {@code S k} values (samples side by side)
     * @param bias         the user's bias averaged over the samples (0 for an unbiased model)
     * @param items        the item indices used, increasing; never recommended back
     * @param unknownItems the given item ids the model does not know, in the order given; not used
     */
    public record FoldedUser(double[] factors, double bias, int[] items, List<String> unknownItems) {
        public FoldedUser {
            factors = factors.clone();
            items = items.clone();
            unknownItems = List.copyOf(unknownItems);
        }

        @Override
        public double[] factors() {
            return factors.clone();
        }

        @Override
        public int[] items() {
            return items.clone();
        }
    }

    /**
     * The result of {@link #update}.
     *
     * @param model        the new model: the refit users' rows replaced or added, the rest as before
     * @param refitUsers   the refit users' indices in the new model, increasing
     * @param unknownItems the given item ids the model does not know, each once, in the order first given
     */
    public record Update(Model model, int[] refitUsers, List<String> unknownItems) {
        public Update {
            refitUsers = refitUsers.clone();
            unknownItems = List.copyOf(unknownItems);
        }

        @Override
        public int[] refitUsers() {
            return refitUsers.clone();
        }
    }

    private final Model model;
    private volatile boolean closed;
    private final MatrixProducts products;
    private final RowParallel parallel;
    private final int threads;
    private final int samples;
    private final int width;
    private final int numUsers;
    private final int numItems;
    /** The model's own side-by-side user rows; read only. */
    private final double[] users;
    private final FactorMatrix items;
    private final int[] ratedPtr;
    private final int[] ratedIdx;
    /** Training interactions per item, from the rated pattern. */
    private final int[] support;
    private final Solver givenSolver;
    private volatile FactorMatrix unitUsers;
    private volatile FactorMatrix unitItems;
    private volatile FactorMatrix userMatrix;
    private volatile int[][] itemUsers;
    private RowRefit refit;

    /**
     * A recommender with plain-Java products, one thread per available processor, and the
     * default solver for fold-in and updates.
     */
    public Recommender(Model model) {
        this(model, MatrixProducts.JAVA, null, Runtime.getRuntime().availableProcessors());
    }

    /** A recommender using {@code solver}'s products and its steps for fold-in and updates. */
    public Recommender(Model model, Solver solver, int threads) {
        this(model, solver.products(), solver, threads);
    }

    /**
     * @param model    the model. Not modified.
     * @param products the block products used to score
     * @param solver   makes the steps that solve fold-in and updated rows; null for the
     *                 default backend, looked up when first needed
     * @param threads  threads for scoring blocks and solving rows, at least 1; more than
     *                 {@value AlternatingLeastSquares#THREADS_PER_PROCESSOR} per processor are not
     *                 used ({@link #threads()} says how many are)
     */
    public Recommender(Model model, MatrixProducts products, Solver solver, int threads) {
        this.model = Objects.requireNonNull(model, "model");
        this.products = Objects.requireNonNull(products, "products");
        Checks.positive("threads", threads);
        // As a fit does, no more than THREADS_PER_PROCESSOR per processor (each keeps a
        // workspace; a million would fill the heap).
        int limit = AlternatingLeastSquares.threadLimit();
        this.threads = Math.min(threads, limit);
        if (threads > limit) {
            org.slf4j.LoggerFactory.getLogger(Recommender.class).warn("{} threads asked for, but a recommender uses"
                    + " at most {} ({} per available processor, {} processor(s)); using {}", threads, limit,
                    AlternatingLeastSquares.THREADS_PER_PROCESSOR, limit / AlternatingLeastSquares.THREADS_PER_PROCESSOR,
                    this.threads);
        }
        this.givenSolver = solver;
        this.samples = model.samples();
        this.width = model.rank() * samples;
        this.numUsers = model.userIds().size();
        this.numItems = model.itemIds().size();
        this.users = model.usersSideBySide();
        this.items = FactorMatrix.of(numItems, width, model.itemsSideBySide());
        this.ratedPtr = model.ratedPointers();
        this.ratedIdx = model.ratedIndices();
        this.support = new int[numItems];
        for (int i : ratedIdx) {
            support[i]++;
        }
        this.parallel = new RowParallel(this.threads);
    }

    public Model model() {
        return model;
    }

    public int threads() {
        return threads;
    }

    /** Training interactions of item {@code item}, counted from the model's rated pattern. */
    public int support(int item) {
        return support[Objects.checkIndex(item, numItems)];
    }

    // ---------------------------------------------------------------- recommendations

    /**
     * The {@code n} best items for a user by id, with their scores; empty for an unknown
     * user. See {@link #recommend(int, int, RecommendOptions)}.
     */
    public List<Model.Recommendation> recommend(String user, int n, RecommendOptions options) {
        Objects.requireNonNull(user, "user must not be null");
        Checks.nonNegative("n", n);
        int u = model.userIds().indexOf(user);
        return u < 0 ? List.of() : recommend(u, n, options).withIds(model.itemIds());
    }

    /**
     * The {@code n} best eligible items for user index {@code user}, best first; fewer when
     * fewer are eligible. The same as that user's entry of {@link #recommendAll}.
     */
    public TopN recommend(int user, int n, RecommendOptions options) {
        return recommendAll(new int[] {user}, n, options)[0];
    }

    /** {@link #recommendAll(int[], int, RecommendOptions)} for every user, in index order. */
    public TopN[] recommendAll(int n, RecommendOptions options) {
        int[] all = new int[numUsers];
        Arrays.setAll(all, u -> u);
        return recommendAll(all, n, options);
    }

    /**
     * The {@code n} best eligible items for each of {@code userIndices} (in that order; a
     * user may appear more than once), scored in blocks of {@link #BLOCK_ROWS} users against
     * every item.
     *
     * @param userIndices user indices of the model. Not modified.
     */
    public TopN[] recommendAll(int[] userIndices, int n, RecommendOptions options) {
        requireOpen();
        Objects.requireNonNull(userIndices, "userIndices must not be null");
        Objects.requireNonNull(options, "options must not be null (RecommendOptions.DEFAULTS for none)");
        Checks.nonNegative("n", n);
        for (int u : userIndices) {
            if (u < 0 || u >= numUsers) {
                throw new IllegalArgumentException("user index must be in [0, " + numUsers + ") but was " + u);
            }
        }
        boolean exclude = options.excludeTraining();
        double mean = model.globalMean();
        return rank(userIndices.length, n, items, options.eligible(model.itemIds(), support),
                (q, dst, at) -> System.arraycopy(users, userIndices[q] * width, dst, at, width),
                (q, mark, on) -> {
                    if (exclude) {
                        int u = userIndices[q];
                        for (int e = ratedPtr[u]; e < ratedPtr[u + 1]; e++) {
                            mark[ratedIdx[e]] = on;
                        }
                    }
                },
                (q, j, dot) -> mean + model.userBias(userIndices[q]) + model.itemBias(j) + average(dot));
    }

    /**
     * The {@code n} best eligible items for a folded-in user. The items it was folded in from
     * are never returned; {@link RecommendOptions#excludeTraining()} does not apply.
     */
    public TopN recommend(FoldedUser user, int n, RecommendOptions options) {
        requireOpen();
        Objects.requireNonNull(user, "user must not be null");
        Objects.requireNonNull(options, "options must not be null (RecommendOptions.DEFAULTS for none)");
        Checks.nonNegative("n", n);
        for (int i : user.items) {
            Objects.checkIndex(i, numItems);
        }
        double[] f = user.factors;
        if (f.length != width) {
            throw new IllegalArgumentException("a folded-in user must have " + width + " factors but had " + f.length);
        }
        int[] given = user.items;
        double mean = model.globalMean();
        double bias = user.bias();
        return rank(1, n, items, options.eligible(model.itemIds(), support),
                (q, dst, at) -> System.arraycopy(f, 0, dst, at, width),
                (q, mark, on) -> {
                    for (int i : given) {
                        mark[i] = on;
                    }
                },
                (q, j, dot) -> mean + bias + model.itemBias(j) + average(dot))[0];
    }

    // ---------------------------------------------------------------- users for items

    /**
     * The {@code n} users with the highest scores for each of {@code itemIndices} (in that
     * order; an item may appear more than once), best first: whom to show an item to, as
     * Spark MLlib's {@code recommendForItemSubset} gives. A user's score for an item is the
     * same prediction {@link #recommendAll} ranks that user's items by (with
     * {@link MatrixProducts#JAVA}, bit for bit). Equal scores are ordered by the lower user
     * index. Scored in blocks of {@link #BLOCK_ROWS} items against every user.
     *
     * @param itemIndices     item indices of the model. Not modified.
     * @param excludeTraining leave out the users who have the item in training
     */
    public TopN[] recommendUsers(int[] itemIndices, int n, boolean excludeTraining) {
        requireOpen();
        Objects.requireNonNull(itemIndices, "itemIndices must not be null");
        Checks.nonNegative("n", n);
        checkIndices(itemIndices, numItems, "item");
        int[][] byItem = excludeTraining ? itemUsers() : null;
        boolean[] everyone = new boolean[numUsers];
        Arrays.fill(everyone, true);
        double[] itemRows = model.itemsSideBySide();
        double mean = model.globalMean();
        return rank(itemIndices.length, n, userMatrix(), everyone,
                (q, dst, at) -> System.arraycopy(itemRows, itemIndices[q] * width, dst, at, width),
                (q, mark, on) -> {
                    if (byItem != null) {
                        int i = itemIndices[q];
                        for (int e = byItem[0][i]; e < byItem[0][i + 1]; e++) {
                            mark[byItem[1][e]] = on;
                        }
                    }
                },
                // The order of recommendAll's score: mean, user bias, item bias, then the factors.
                (q, u, dot) -> mean + model.userBias(u) + model.itemBias(itemIndices[q]) + average(dot));
    }

    /**
     * {@link #recommendUsers(int[], int, boolean)} for one item by id, with user ids; empty for
     * an unknown item.
     */
    public List<Model.Recommendation> recommendUsers(String item, int n, boolean excludeTraining) {
        Objects.requireNonNull(item, "item must not be null");
        Checks.nonNegative("n", n);
        int i = model.itemIds().indexOf(item);
        return i < 0 ? List.of() : recommendUsers(new int[] {i}, n, excludeTraining)[0].withIds(model.userIds());
    }

    private FactorMatrix userMatrix() {
        FactorMatrix u = userMatrix;
        if (u == null) {
            userMatrix = u = FactorMatrix.of(numUsers, width, users);
        }
        return u;
    }

    /** The rated pattern by item: {@code [0]} pointers, {@code [1]} user indices, increasing within an item. */
    private int[][] itemUsers() {
        int[][] t = itemUsers;
        if (t == null) {
            int[] ptr = new int[numItems + 1];
            for (int i = 0; i < numItems; i++) {
                ptr[i + 1] = ptr[i] + support[i];
            }
            int[] next = Arrays.copyOf(ptr, numItems);
            int[] who = new int[ratedIdx.length];
            for (int u = 0; u < numUsers; u++) {
                for (int e = ratedPtr[u]; e < ratedPtr[u + 1]; e++) {
                    who[next[ratedIdx[e]]++] = u;
                }
            }
            itemUsers = t = new int[][] {ptr, who};
        }
        return t;
    }

    private double average(double dot) {
        return samples > 1 ? dot / samples : dot;
    }

    // ---------------------------------------------------------------- similarity

    /**
     * The {@code n} items most similar to item {@code item} by cosine; see the class comment.
     * The options' lists and minimum support apply; {@code excludeTraining} does not.
     */
    public TopN similarItems(int item, int n, RecommendOptions options) {
        return similarItemsAll(new int[] {item}, n, options)[0];
    }

    /** {@link #similarItems(int, int, RecommendOptions)} by id; empty for an unknown item. */
    public List<Model.Recommendation> similarItems(String item, int n, RecommendOptions options) {
        Objects.requireNonNull(item, "item must not be null");
        Checks.nonNegative("n", n);
        int i = model.itemIds().indexOf(item);
        return i < 0 ? List.of() : similarItems(i, n, options).withIds(model.itemIds());
    }

    /** {@link #similarItems(int, int, RecommendOptions)} for many items, in blocks. */
    public TopN[] similarItemsAll(int[] itemIndices, int n, RecommendOptions options) {
        requireOpen();
        Objects.requireNonNull(itemIndices, "itemIndices must not be null");
        Objects.requireNonNull(options, "options must not be null (RecommendOptions.DEFAULTS for none)");
        Checks.nonNegative("n", n);
        checkIndices(itemIndices, numItems, "item");
        FactorMatrix unit = unitItems();
        return similar(itemIndices, n, unit, options.eligible(model.itemIds(), support));
    }

    /** The {@code n} users most similar to user {@code user} by cosine; see the class comment. */
    public TopN similarUsers(int user, int n) {
        return similarUsersAll(new int[] {user}, n)[0];
    }

    /** {@link #similarUsers(int, int)} by id; empty for an unknown user. */
    public List<Model.Recommendation> similarUsers(String user, int n) {
        Objects.requireNonNull(user, "user must not be null");
        Checks.nonNegative("n", n);
        int u = model.userIds().indexOf(user);
        return u < 0 ? List.of() : similarUsers(u, n).withIds(model.userIds());
    }

    /** {@link #similarUsers(int, int)} for many users, in blocks. */
    public TopN[] similarUsersAll(int[] userIndices, int n) {
        requireOpen();
        Objects.requireNonNull(userIndices, "userIndices must not be null");
        Checks.nonNegative("n", n);
        checkIndices(userIndices, numUsers, "user");
        boolean[] all = new boolean[numUsers];
        Arrays.fill(all, true);
        return similar(userIndices, n, unitUsers(), all);
    }

    private TopN[] similar(int[] queries, int n, FactorMatrix unit, boolean[] eligible) {
        double[] d = unit.data();
        return rank(queries.length, n, unit, eligible,
                (q, dst, at) -> System.arraycopy(d, queries[q] * width, dst, at, width),
                (q, mark, on) -> mark[queries[q]] = on,
                (q, j, dot) -> Math.max(-1, Math.min(1, dot)));
    }

    private static void checkIndices(int[] indices, int size, String what) {
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException(what + " index must be in [0, " + size + ") but was " + i);
            }
        }
    }

    private FactorMatrix unitItems() {
        FactorMatrix u = unitItems;
        if (u == null) {
            unitItems = u = unitRows(model.itemsSideBySide(), numItems);
        }
        return u;
    }

    private FactorMatrix unitUsers() {
        FactorMatrix u = unitUsers;
        if (u == null) {
            unitUsers = u = unitRows(users, numUsers);
        }
        return u;
    }

    /** The rows scaled to length 1; zero rows stay zero. */
    private FactorMatrix unitRows(double[] rows, int count) {
        FactorMatrix out = new FactorMatrix(count, width);
        double[] d = out.data();
        for (int r = 0; r < count; r++) {
            double s = 0;
            for (int c = r * width; c < (r + 1) * width; c++) {
                s += rows[c] * rows[c];
            }
            if (s > 0) {
                double norm = Math.sqrt(s);
                for (int c = r * width; c < (r + 1) * width; c++) {
                    d[c] = rows[c] / norm;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the blocked top-N

    /** Copies query {@code q}'s vector into {@code dst} from {@code at}. */
    @FunctionalInterface
    private interface Queries {
        void fill(int q, double[] dst, int at);
    }

    /** Sets {@code mark[j] = on} for the candidates query {@code q} must not get. */
    @FunctionalInterface
    private interface Exclusions {
        void mark(int q, boolean[] mark, boolean on);
    }

    /** Query {@code q}'s score for candidate {@code j}, from their dot product. */
    @FunctionalInterface
    private interface Score {
        double of(int q, int j, double dot);
    }

    /**
     * The {@code n} best eligible candidates of each of {@code count} queries: blocks of
     * queries scored against all candidates by {@link MatrixProducts#scores}, each row of
     * scores scanned once into a bounded heap.
     */
    private TopN[] rank(int count, int n, FactorMatrix candidates, boolean[] eligible, Queries queries,
                        Exclusions exclusions, Score score) {
        TopN[] out = new TopN[count];
        int m = candidates.rows();
        int keep = Math.min(n, m);
        if (keep == 0 || count == 0) {
            Arrays.fill(out, TopN.EMPTY);
            return out;
        }
        // Fewer queries per block when the candidates are very many (users for items, on a model
        // of millions of users), so that a worker's block of scores stays within SCORES_PER_BLOCK.
        int blockRows = (int) Math.max(1, Math.min(Math.min(BLOCK_ROWS, count), SCORES_PER_BLOCK / m));
        Workspace[] spaces = new Workspace[threads];
        parallel.run(count, blockRows, (worker, from, to) -> {
            Workspace w = spaces[worker];
            if (w == null) {
                w = spaces[worker] = new Workspace(blockRows, m, keep);
            }
            double[] q = w.queries.data();
            for (int r = from; r < to; r++) {
                queries.fill(r, q, (r - from) * width);
            }
            products.scores(w.queries, 0, to - from, candidates, w.scores);
            for (int r = from; r < to; r++) {
                exclusions.mark(r, w.excluded, true);
                int base = (r - from) * m;
                w.clear();
                for (int j = 0; j < m; j++) {
                    if (eligible[j] && !w.excluded[j]) {
                        w.offer(j, score.of(r, j, w.scores[base + j]));
                    }
                }
                exclusions.mark(r, w.excluded, false);
                out[r] = w.drain();
            }
        });
        return out;
    }

    /**
     * One worker's buffers: a block of query rows, its scores, the exclusion marks and a
     * bounded heap whose root is the worst kept candidate (lower score, or on a tie the
     * higher index).
     */
    private final class Workspace {
        final FactorMatrix queries;
        final double[] scores;
        final boolean[] excluded;
        final int[] heapIndex;
        final double[] heapScore;
        int size;

        Workspace(int rows, int candidates, int keep) {
            this.queries = new FactorMatrix(rows, width);
            this.scores = new double[rows * candidates];
            this.excluded = new boolean[candidates];
            this.heapIndex = new int[keep];
            this.heapScore = new double[keep];
        }

        void clear() {
            size = 0;
        }

        /** Whether (i, s) ranks below (j, t). */
        private boolean worse(int i, double s, int j, double t) {
            return s < t || (s == t && i > j);
        }

        void offer(int item, double s) {
            if (size < heapIndex.length) {
                int at = size++;
                while (at > 0) {
                    int parent = (at - 1) >>> 1;
                    if (!worse(item, s, heapIndex[parent], heapScore[parent])) {
                        break;
                    }
                    heapIndex[at] = heapIndex[parent];
                    heapScore[at] = heapScore[parent];
                    at = parent;
                }
                heapIndex[at] = item;
                heapScore[at] = s;
            } else if (worse(heapIndex[0], heapScore[0], item, s)) {
                siftDown(item, s, size);
            }
        }

        /** Puts (item, s) at the root and sifts it down within the first {@code n} entries. */
        private void siftDown(int item, double s, int n) {
            int at = 0;
            while (true) {
                int child = 2 * at + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && worse(heapIndex[child + 1], heapScore[child + 1], heapIndex[child],
                        heapScore[child])) {
                    child++;
                }
                if (!worse(heapIndex[child], heapScore[child], item, s)) {
                    break;
                }
                heapIndex[at] = heapIndex[child];
                heapScore[at] = heapScore[child];
                at = child;
            }
            heapIndex[at] = item;
            heapScore[at] = s;
        }

        /** The kept candidates, best first: the worst is popped into the last free place. */
        TopN drain() {
            int[] idx = new int[size];
            double[] sc = new double[size];
            for (int n = size; n > 0; n--) {
                idx[n - 1] = heapIndex[0];
                sc[n - 1] = heapScore[0];
                if (n > 1) {
                    siftDown(heapIndex[n - 1], heapScore[n - 1], n - 1);
                }
            }
            size = 0;
            return new TopN(idx, sc);
        }
    }

    // ---------------------------------------------------------------- fold-in and update

    /**
     * Solves the row of a user who is not in the model from their interactions, against the
     * fixed item factors, as the fit's user half-step would (see {@link RowRefit}): for an
     * implicit model
     * {@code (alpha0 Y^T Y + sum_i (c_i - alpha0) y_i y_i^T + lambda_u I) x = sum_i c_i y_i}
     * with {@code c_i} the confidence of the value and {@code lambda_u} the fit's penalty for
     * this many interactions; for an explicit model ridge regression of the values (minus the
     * mean and item biases, solving the user's bias as well, when biased). A model of several
     * samples is folded into each sample and the rows kept side by side, so the folded user is
     * scored like every other one. Recommend for the result with
     * {@link #recommend(FoldedUser, int, RecommendOptions)}.
     *
     * <p>Items the model does not know are left out and returned in
     * {@link FoldedUser#unknownItems()}.
     *
     * @throws IllegalArgumentException when no known item remains, an item is given twice, a
     *                                  value is not finite (or, for an implicit model, is negative),
     *                                  or an implicit model is given only values of 0 (no preference)
     * @throws IllegalStateException    when the model has no training information, or a penalty
     *                                  of the caller's own that cannot be rebuilt from its name, or
     *                                  when this recommender is closed
     * @throws SingularSystemException  when the row cannot be solved (no penalty and too few items)
     */
    public FoldedUser foldIn(Collection<Interaction> interactions) {
        Objects.requireNonNull(interactions, "interactions must not be null");
        RowRefit solver = refit();
        TreeMap<Integer, Double> known = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (Interaction x : interactions) {
            if (!seen.add(x.item())) {
                throw new IllegalArgumentException("item " + x.item() + " is given twice; give each item once");
            }
            int i = model.itemIds().indexOf(x.item());
            if (i < 0) {
                unknown.add(x.item());
                continue;
            }
            checkValue(x.value(), "item " + x.item(), solver);
            if (known.put(i, x.value()) != null) {
                throw new IllegalArgumentException("item " + x.item() + " is given twice (as another spelling of "
                        + model.itemIds().idAt(i) + "); give each item once");
            }
        }
        if (known.isEmpty()) {
            throw new IllegalArgumentException(interactions.isEmpty() ? "fold-in needs at least one interaction"
                    : "fold-in needs at least one item the model knows, but all " + unknown.size()
                    + " given were unknown: " + unknown);
        }
        if (solver.implicit()) {
            requireAPreference(known.values(), "the known items have");
        }
        int[] idx = known.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] val = known.values().stream().mapToDouble(Double::doubleValue).toArray();
        RowRefit.Solution s = solver.solve(1, new int[] {0, idx.length}, idx, val);
        return new FoldedUser(s.factors(), averageBias(s.biases(), 0, 1), idx, unknown);
    }

    /** Row {@code r}'s bias averaged over the samples, summed in sample order as {@link Model} does. */
    private double averageBias(double[] biases, int r, int rows) {
        if (samples == 1) {
            return biases[r];
        }
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            sum += biases[s * rows + r];
        }
        return sum / samples;
    }

    private static void checkValue(double v, String what, RowRefit solver) {
        boolean implicit = solver.implicit();
        if (!Double.isFinite(v) || (implicit && v < 0)) {
            throw new IllegalArgumentException("the value of " + what + " must be finite"
                    + (implicit ? " and non-negative (an implicit model's counts)" : "") + " but was " + v);
        }
        RatingScale scale = solver.scale();
        if (!implicit && scale != null && !scale.contains(v)) {
            throw new IllegalArgumentException("the value of " + what + " must be a rating on the model's scale "
                    + scale + " but was " + v);
        }
        if (Math.abs(v) > Ratings.MAX_ABS_RATING) {
            throw new IllegalArgumentException("the value of " + what + " must be at most " + Ratings.MAX_ABS_RATING
                    + " in size, as a training value must, but was " + v);
        }
    }

    /** An implicit row needs a value other than 0 (no preference): zeros alone leave nothing to solve from. */
    private static void requireAPreference(Collection<Double> values, String whoHas) {
        if (values.stream().noneMatch(v -> v != 0)) {
            throw new IllegalArgumentException(whoHas + " only values of 0, which an implicit model reads as no"
                    + " preference; give at least one positive value");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Recommender is closed");
        }
    }

    /**
     * Refits the rows of the users named in {@code feedback} against the fixed item factors
     * and returns a new model with those rows replaced (known users) or added (new users, at
     * the place their id sorts to). Item factors, item biases and the mean are unchanged;
     * every other user keeps its row. What each refit row is solved from, with the system of
     * {@link #foldIn}:
     * <ul>
     *   <li><b>implicit model:</b> the user's training items in the rated pattern plus the
     *       given ones. The pattern holds no values, so a training item that is not given
     *       again counts as observed with the smallest value of the training data (the model
     *       records their range), the least an observed cell had: for data of pairs exactly as
     *       the fit weighed it; give it again with its value to weigh it as the fit did. A given
     *       value of 0 means no preference, as in a fit.</li>
     *   <li><b>explicit model:</b> only the given values (the pattern holds no ratings to
     *       regress on). Give all of a user's ratings that should count, old and new.</li>
     * </ul>
     * Either way the user's rated pattern becomes its old items plus the given known ones, so
     * recommendations leave them all out. The training information keeps the fit's settings
     * with the user and interaction counts of the new model. No feedback at all refits no row:
     * the model comes back as it was (where {@link #foldIn} of nothing has no user to make and
     * throws).
     *
     * @throws IllegalArgumentException when a user would have nothing to be refit from, a
     *                                  (user, item) pair is given twice, a value is not finite
     *                                  (or, implicit, negative), or a new user's id is not a
     *                                  number while the model's user ids are
     */
    public Update update(Collection<Feedback> feedback) {
        return update(feedback, null);
    }

    /**
     * {@link #update(Collection)}, recording where the feedback came from: the new model's
     * {@link TrainingInfo#source()} becomes the fit's source followed by
     * {@code ", updated from " + from}, so that a model says it is no longer the fit of its
     * data alone. With {@code from} null, the source is kept.
     */
    public Update update(Collection<Feedback> feedback, String from) {
        Objects.requireNonNull(feedback, "feedback must not be null");
        RowRefit solver = refit();
        IdIndex userIds = model.userIds();
        IdIndex itemIds = model.itemIds();
        // Per user (by canonical id, in order of first appearance), the given values by item index.
        Map<String, TreeMap<Integer, Double>> given = new LinkedHashMap<>();
        LinkedHashSet<String> unknown = new LinkedHashSet<>();
        for (Feedback x : feedback) {
            String user = canonicalUser(x.user());
            TreeMap<Integer, Double> row = given.computeIfAbsent(user, u -> new TreeMap<>());
            int i = itemIds.indexOf(x.item());
            if (i < 0) {
                unknown.add(x.item());
                continue;
            }
            checkValue(x.value(), "user " + x.user() + ", item " + x.item(), solver);
            if (row.put(i, x.value()) != null) {
                throw new IllegalArgumentException("user " + x.user() + " and item " + x.item()
                        + " are given twice; give each pair once");
            }
        }
        IdIndex newIds = withUsers(userIds, given.keySet());
        int newUsers = newIds.size();
        // The refit users in new-index order, with what each is solved from and its new pattern.
        TreeMap<Integer, String> refitOrder = new TreeMap<>();
        for (String user : given.keySet()) {
            refitOrder.put(newIds.indexOf(user), user);
        }
        int rows = refitOrder.size();
        int[] ptr = new int[rows + 1];
        List<int[]> solveItems = new ArrayList<>(rows);
        List<double[]> solveValues = new ArrayList<>(rows);
        Map<Integer, int[]> newPattern = new TreeMap<>();
        int r = 0;
        for (Map.Entry<Integer, String> e : refitOrder.entrySet()) {
            String user = e.getValue();
            TreeMap<Integer, Double> row = given.get(user);
            int old = userIds.indexOf(user);
            TreeMap<Integer, Double> pattern = new TreeMap<>(row);
            if (old >= 0) {
                for (int p = ratedPtr[old]; p < ratedPtr[old + 1]; p++) {
                    pattern.putIfAbsent(ratedIdx[p], RowRefit.OBSERVED);
                }
            }
            TreeMap<Integer, Double> solveFrom = solver.implicit() ? pattern : row;
            if (solveFrom.isEmpty()) {
                throw new IllegalArgumentException("user " + user + " has no interaction with an item the model"
                        + " knows to be refit from" + (unknown.isEmpty() ? "" : " (unknown items: " + unknown + ")"));
            }
            if (solver.implicit()) {
                requireAPreference(solveFrom.values(), "user " + user + " has");
            }
            solveItems.add(solveFrom.keySet().stream().mapToInt(Integer::intValue).toArray());
            solveValues.add(solveFrom.values().stream().mapToDouble(Double::doubleValue).toArray());
            newPattern.put(e.getKey(), pattern.keySet().stream().mapToInt(Integer::intValue).toArray());
            ptr[r + 1] = ptr[r] + solveFrom.size();
            r++;
        }
        int[] idx = new int[ptr[rows]];
        double[] val = new double[ptr[rows]];
        for (int q = 0; q < rows; q++) {
            System.arraycopy(solveItems.get(q), 0, idx, ptr[q], ptr[q + 1] - ptr[q]);
            System.arraycopy(solveValues.get(q), 0, val, ptr[q], ptr[q + 1] - ptr[q]);
        }
        RowRefit.Solution solved = solver.solve(rows, ptr, idx, val);

        // Old rows move to their new indices; refit rows overwrite or fill theirs.
        int[] newIndexOfOld = new int[numUsers];
        for (int u = 0; u < numUsers; u++) {
            newIndexOfOld[u] = newUsers == numUsers ? u : newIds.indexOf(userIds.idAt(u));
        }
        double[] newFactors = new double[newUsers * width];
        double[] newBiases = new double[samples * newUsers];
        double[] oldBiases = model.userBiasSamples();
        int[][] rowPattern = new int[newUsers][];
        for (int u = 0; u < numUsers; u++) {
            int nu = newIndexOfOld[u];
            System.arraycopy(users, u * width, newFactors, nu * width, width);
            for (int s = 0; s < samples; s++) {
                newBiases[s * newUsers + nu] = oldBiases[s * numUsers + u];
            }
            rowPattern[nu] = Arrays.copyOfRange(ratedIdx, ratedPtr[u], ratedPtr[u + 1]);
        }
        int[] refitUsers = new int[rows];
        r = 0;
        for (int nu : refitOrder.keySet()) {
            System.arraycopy(solved.factors(), r * width, newFactors, nu * width, width);
            if (model.biased()) {
                for (int s = 0; s < samples; s++) {
                    newBiases[s * newUsers + nu] = solved.biases()[s * rows + r];
                }
            }
            rowPattern[nu] = newPattern.get(nu);
            refitUsers[r++] = nu;
        }
        int[] newPtr = new int[newUsers + 1];
        for (int u = 0; u < newUsers; u++) {
            newPtr[u + 1] = newPtr[u] + rowPattern[u].length;
        }
        int[] newIdx = new int[newPtr[newUsers]];
        for (int u = 0; u < newUsers; u++) {
            System.arraycopy(rowPattern[u], 0, newIdx, newPtr[u], rowPattern[u].length);
        }
        TrainingInfo info = model.trainingInfo().map(t -> new TrainingInfo(t.solver(), t.rank(), t.regularizer(),
                t.lambda(), t.iterationsRun(), t.iterationsAsked(), t.seed(), t.init(), t.biased(), t.samples(),
                t.noise(), from == null ? t.source() : t.source() + ", updated from " + from, newUsers, t.items(),
                newIdx.length, t.scale(), t.implicit())).orElse(null);
        Model updated = new Model(newIds, itemIds, model.rank(), samples, model.biased(), model.globalMean(),
                newFactors, model.itemsSideBySide(), newBiases, model.itemBiasSamples(), newPtr, newIdx, info);
        return new Update(updated, refitUsers, new ArrayList<>(unknown));
    }

    /** The id as the model's index spells it: numbers in canonical form for numeric ids. */
    private String canonicalUser(String id) {
        if (!model.userIds().isNumeric()) {
            return id;
        }
        try {
            return Long.toString(Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("user id must be a whole number, as the model's user ids are, but was "
                    + id);
        }
    }

    /** {@code ids} with the given (canonical) ids added, in sorted order; {@code ids} itself when none is new. */
    private static IdIndex withUsers(IdIndex ids, Collection<String> more) {
        List<String> added = more.stream().filter(id -> ids.indexOf(id) < 0).toList();
        if (added.isEmpty()) {
            return ids;
        }
        int n = ids.size();
        if (ids.isNumeric()) {
            long[] all = new long[n + added.size()];
            for (int u = 0; u < n; u++) {
                all[u] = ids.numericIdAt(u);
            }
            for (int a = 0; a < added.size(); a++) {
                all[n + a] = Long.parseLong(added.get(a));
            }
            return IdIndex.ofNumeric(all);
        }
        String[] all = new String[n + added.size()];
        for (int u = 0; u < n; u++) {
            all[u] = ids.idAt(u);
        }
        for (int a = 0; a < added.size(); a++) {
            all[n + a] = added.get(a);
        }
        return IdIndex.ofStrings(all);
    }

    private synchronized RowRefit refit() {
        requireOpen(); // fold-in and update after close() would make a step nothing closes
        if (refit == null) {
            refit = new RowRefit(model, givenSolver != null ? givenSolver : defaultSolver(), threads);
        }
        return refit;
    }

    /**
     * The {@value AlsConfig.Defaults#SOLVER} backend from the class path, or the
     * {@value AlsConfig.Defaults#PORTABLE_SOLVER} one where it cannot run.
     */
    private static Solver defaultSolver() {
        try {
            return SolverRegistry.discover().get(new SolverSelection(AlsConfig.Defaults.SOLVER, SolverSelection.DEFAULT));
        } catch (LinkageError e) {
            throw new IllegalStateException("fold-in and update need a Solver: pass one to the Recommender, or put"
                    + " Guice and the " + AlsConfig.Defaults.SOLVER + " backend on the class path", e);
        }
    }

    /** Stops the scoring threads and closes the fold-in step. */
    @Override
    public synchronized void close() {
        closed = true;
        parallel.close();
        if (refit != null) {
            refit.close();
        }
    }
}
