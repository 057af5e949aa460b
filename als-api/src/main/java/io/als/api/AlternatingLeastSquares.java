package io.als.api;

import java.util.Objects;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowParallel;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alternating driver, in plain Java. Starting from user factors {@code U} it repeats:
 * fix {@code U} and solve the item factors {@code P}; then fix {@code P} and solve {@code U}.
 * Each half-step exactly minimises
 * <pre>
 *   sum over observed (u,i) of (r_ui - U_u . P_i)^2 + sum_u lambda_u ||U_u||^2 + sum_i lambda_i ||P_i||^2
 * </pre>
 * over one matrix with the other fixed (lambda per row from the {@link Regularizer}), so
 * this objective never increases. The linear algebra is the {@link Solver}'s; every factor
 * matrix is checked for NaN and infinity after each half-step, naming the first bad row.
 *
 * <h2>Biased ALS</h2>
 * With {@link AlsConfig#biased()} the model is {@code r_ui ~ mu + b_u + b_i + U_u . P_i}:
 * {@code mu} is the mean training rating, held fixed, and the biases are learnt inside ALS,
 * each with its row's factors (the constant-column device of LensKit's {@code BiasedMF}).
 * The objective becomes
 * <pre>
 *   sum over observed (u,i) of (r_ui - mu - b_u - b_i - U_u . P_i)^2
 *       + sum_u lambda_u (||U_u||^2 + b_u^2) + sum_i lambda_i (||P_i||^2 + b_i^2)
 * </pre>
 * Holding the users fixed, item {@code i}'s unknowns {@code [P_i, b_i]} solve the ridge
 * regression of {@code r_ui - mu - b_u} on {@code [U_u, 1]}; holding the items fixed, user
 * {@code u}'s {@code [U_u, b_u]} solve that of {@code r_ui - mu - b_i} on {@code [P_i, 1]}.
 * Both are ordinary rank {@code k + 1} problems for the same {@link LeastSquaresStep}, so every
 * backend fits biased models unchanged, and each half-step is still an exact minimisation: the
 * objective never increases. The constant-column layout stays inside the driver: the model
 * and the listeners see the mean, the biases and the factors as separate parts.
 *
 * <h2>Posterior sampling</h2>
 * The objective is, up to constants and a factor {@code -1/(2 sigma^2)}, the log posterior of
 * a probabilistic model: ratings {@code r_ui ~ N(prediction, sigma^2)} and, for each row,
 * a prior {@code x ~ N(0, (sigma^2 / lambda_r) I)}. ALS finds its mode. With
 * {@link AlsConfig#samples()} {@code = S > 0}, the driver then hands the state to its
 * sampling stage ({@code PosteriorSampler}), which runs {@code S} Gibbs sweeps
 * ({@code sigma} is {@link AlsConfig#noise()}): each half-step draws every row from its
 * conditional posterior {@code N(A^-1 F^T a, sigma^2 A^-1)}, {@code A = F^T F + lambda_r I},
 * instead of taking its mean, and the model predicts the average of the {@code S} samples'
 * predictions. This is Bayesian probabilistic matrix factorisation with fixed
 * hyperparameters (Salakhutdinov and Mnih, "Bayesian probabilistic matrix factorization using
 * Markov chain Monte Carlo", ICML 2008, who also sample the priors), and averaging over the
 * posterior is what lifts it above the single ALS solution on MovieLens.
 *
 * <p>A draw is the solution of a perturbed ridge problem ("perturb and solve"; Papandreou and
 * Yuille, "Gaussian sampling by local perturbations", NIPS 2010):
 * {@code x = A^-1 (F^T (a + sigma z) + sigma sqrt(lambda_r) y)} with {@code z}, {@code y}
 * standard normal; its mean is the ALS solution and its covariance
 * {@code sigma^2 A^-1 (F^T F + lambda_r I) A^-1 = sigma^2 A^-1}. The driver poses it to the
 * same {@link LeastSquaresStep}: noise on the ratings, and, in place of the penalty,
 * pseudo-ratings {@code sigma y_j} against pseudo-rows {@code sqrt(lambda_r) e_j} of the fixed
 * side, whose Gram matrix is {@code lambda_r I}. So every backend samples unchanged. The
 * model keeps the {@code S} samples (rank {@code k} each, with their biases) and predicts
 * their average, {@code mu + (1/S) sum_s (b_u^s + b_i^s + U_u^s . P_i^s)} (see {@link Model}).
 * During the sweeps the reported objective fluctuates instead of falling.
 *
 * <h2>Implicit feedback</h2>
 * With {@link AlsConfig#implicit()} set, the ratings are interactions (counts, plays, or 1)
 * and the fit is the weighted factorisation of every user-item cell described in
 * {@link ImplicitFeedback} (Hu, Koren and Volinsky 2008; Rendle et al. 2021's unobserved weight
 * {@code alpha0} and frequency-scaled penalty). Each half-step poses, to the same
 * {@link LeastSquaresStep}, the observed entries with weight {@code c - alpha0} and value
 * {@code c}, plus the shared term {@code alpha0 F^T F} of the fixed side, computed once per
 * half-step by the step's {@link LeastSquaresStep#gram}. The rows are solved exactly, or, with
 * {@link ImplicitFeedback.RowSolve#CG}, by a few conjugate-gradient steps from their current
 * values ({@link LeastSquaresStep#solveConjugateGradient}); the item factors start at zero, so
 * the first item half-step of a CG fit starts from zero. The reported objective is the full
 * weighted sum over every cell, computed without visiting the empty ones (see
 * {@code FitState.Implicit}); with exact solves it never increases. An implicit fit has no
 * mean, biases, samples or lambda search.
 *
 * <h2>Settings chosen from the data</h2>
 * Three settings can be measured on the training ratings instead of given, and by default are
 * (see {@link AlsConfig.Defaults}); they are resolved before the fit proper, which then runs
 * with the values found and records them in the model's {@link TrainingInfo}:
 * <ul>
 *   <li>an implicit fit's alpha, when {@link AlsConfig#alphaAuto()} (linear confidence, alpha not
 *       given): the configured alpha over the mean positive value, so that the confidences
 *       do not depend on the unit of the values (plays or minutes, 1 or a rating of 4);</li>
 *   <li>the rating noise, when {@link AlsConfig#noise()} is {@link AlsConfig#AUTO} and the fit
 *       samples: the RMSE of the ratings around a damped mean-and-biases baseline
 *       ({@code NoiseEstimate});</li>
 *   <li>lambda, when {@link AlsConfig#validation()} is positive: that fraction of the ratings
 *       is held out, the rest fitted with lambdas a factor 2 apart around the configured one
 *       (more steps while the best is at an end), and the lambda whose model predicts the
 *       held-out ratings best is kept ({@code LambdaSearch}). The trial fits take a quarter
 *       of the samples and log at DEBUG.</li>
 * </ul>
 *
 * <h2>Compression</h2>
 * With {@link AlsConfig#compress()} a sampled model is stored as the best rank-{@code 2k}
 * approximation of the average of its samples' interaction terms, with the averaged biases
 * ({@code SampleCompression}): one sample of rank {@code 2k} instead of {@code S} of rank
 * {@code k}. It predicts within about 0.0001 RMSE of the samples on MovieLens.
 *
 * <h2>Random streams</h2>
 * Every random draw of a fit comes from one root {@code SplittableRandom(seed)}: its first
 * split initialises the user factors (one stream split per user row, in row order), its
 * second feeds the sampling sweeps (one stream split per half-step, in order), its third cuts
 * the validation split of the lambda search, its fourth draws the compression's random test
 * matrix. The splits
 * happen in a fixed order on the calling thread, so the same seed gives bit-identical results
 * for any thread count, and no two purposes share a stream.
 *
 * <h2>The loss</h2>
 * The objective costs a pass over the ratings, so the driver evaluates it only when something
 * reads it: a listener calling {@link FitListener.HalfStep#sse()} or
 * {@link FitListener.HalfStep#objective()}, the {@link AlsConfig#tolerance()} test (after each
 * user half-step), DEBUG logging, and the final INFO line; each at most once per half-step.
 */
public final class AlternatingLeastSquares implements Factorizer {
    private static final Logger LOG = LoggerFactory.getLogger(AlternatingLeastSquares.class);

    /**
     * The most threads a fit uses per available processor. The row solves are pure
     * computation, so more threads than this only add stacks, workspaces and switching.
     */
    public static final int THREADS_PER_PROCESSOR = 4;

    private final AlsConfig config;
    private final Solver solver;
    /** A trial fit of the lambda search: logs at DEBUG what a fit logs at INFO. */
    private final boolean trial;

    public AlternatingLeastSquares(AlsConfig config, Solver solver) {
        this(config, solver, false);
    }

    AlternatingLeastSquares(AlsConfig config, Solver solver, boolean trial) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(solver, "solver must not be null");
        requireSupported(config, solver);
        this.config = config;
        this.solver = solver;
        this.trial = trial;
    }

    public AlsConfig config() {
        return config;
    }

    /**
     * Warns when {@code config} starts every user with the same factors ({@code init ones}) at a
     * rank above 1: every row of X is the same vector, so every solved Y row lies along it, and
     * so on; without sampling the fit never leaves that direction and the model has rank 1.
     * For engines that run the same fit elsewhere (Spark).
     */
    public static void warnIfRankOne(AlsConfig config) {
        if (config.init() == Initialization.ONES && config.rank() > 1) {
            LOG.warn("init ones with rank {}: every user starts with the same factors, so the fit stays in that one"
                    + " direction and the model is rank 1 (an implicit model then ranks items by popularity);"
                    + " use init random for rank above 1", config.rank());
        }
    }

    /**
     * Refuses settings the backend cannot run, before any data is read: {@code solve cg-float}
     * ({@link ImplicitFeedback.RowSolve#CG_FLOAT}) with a backend without single-precision
     * conjugate gradient.
     *
     * @throws ConfigurationException naming the setting and the backend
     */
    public static void requireSupported(AlsConfig config, Solver solver) {
        if (config.isImplicit() && config.implicit().rowSolve() == ImplicitFeedback.RowSolve.CG_FLOAT
                && !solver.singlePrecisionCg()) {
            throw new ConfigurationException("solve cg-float needs a backend with single-precision conjugate"
                    + " gradient (vector); solver '" + solver.name() + "' has none: use solve cg, or --solver vector");
        }
    }

    @Override
    public Model fit(Ratings ratings, FitListener listener) {
        checkMemory(ratings);
        FactorMatrix users = new FactorMatrix(ratings.numUsers(), config.rank());
        // Drawn on the fit's threads: a cold command's first milliseconds (ML-1M rank 10: about
        // 3 ms on one thread).
        try (RowParallel parallel = new RowParallel(usableThreads(config.threads(), ratings.numUsers(),
                ratings.numItems(), processors()))) {
            config.init().fill(users, config.seed(), parallel);
        }
        return fit(ratings, users, listener, true);
    }

    /**
     * Fits from the given starting user factors instead of the configured initialisation.
     *
     * @param initialUsers one row per user index, of the configured rank. Not modified.
     */
    public Model fit(Ratings ratings, FactorMatrix initialUsers, FitListener listener) {
        return fit(ratings, initialUsers, listener, false);
    }

    /**
     * The fit from given user factors; {@code ownStart}: they are this fit's own initialisation,
     * of the right shape and finite, and the memory was checked, so neither is checked again.
     */
    private Model fit(Ratings ratings, FactorMatrix initialUsers, FitListener listener, boolean ownStart) {
        int k = config.rank();
        if (!ownStart) {
            if (initialUsers.rows() != ratings.numUsers() || initialUsers.rank() != k) {
                throw new IllegalArgumentException("initial users must be " + ratings.numUsers() + "x" + k
                        + " but were " + initialUsers.rows() + "x" + initialUsers.rank());
            }
            int bad = initialUsers.firstNonFiniteRow();
            if (bad >= 0) {
                throw new IllegalArgumentException("initial users must be finite, but row " + bad + " is not");
            }
            checkMemory(ratings);
        }
        if (config.isImplicit() && !(ratings.range()[1] > 0)) {
            throw new RatingsInputException(ratings.source(), 0, "every value is 0, which implicit feedback reads as"
                    + " no preference, so there is nothing to learn from; an implicit fit needs a positive value");
        }
        if (config.lambdaAuto() || (config.noiseAuto() && config.samples() > 0) || config.alphaAuto()) {
            return new AlternatingLeastSquares(chooseFromData(ratings, initialUsers, listener), solver, trial)
                    .fit(ratings, initialUsers, listener);
        }
        Regularizer reg = config.regularizer();
        if (config.samples() == 0 && !trial) {
            warnIfRankOne(config);
        }
        if (k > Math.min(ratings.numUsers(), ratings.numItems())) {
            LOG.warn("rank {} exceeds the number of users ({}) or items ({}): the factors are not unique and only"
                    + " the penalty (lambda {}) pins them down", k, ratings.numUsers(), ratings.numItems(),
                    config.lambda());
        }
        int threads = threadsFor(ratings);
        FitState state = FitState.of(config, ratings, initialUsers);
        info("ALS fit: {} users, {} items, {} {}; rank {}, {}biased, {} iterations, {} samples{},"
                        + " regularizer {}, seed {}, init {}, tolerance {}, {} thread(s), solver {}",
                ratings.numUsers(), ratings.numItems(), ratings.size(),
                config.isImplicit() ? "interactions, " + config.implicit() : "ratings", k, config.biased() ? "" : "not ",
                config.iterations(), config.samples(), config.samples() > 0 ? " (noise " + config.noise() + ")" : "",
                reg, config.seed(), config.init().name().toLowerCase(java.util.Locale.ROOT), config.tolerance(),
                threads, solver.name());
        long start = System.nanoTime();
        RatingScale scale = observedScale(ratings);
        Model model;
        FitListener.HalfStep last;
        try (LeastSquaresStep step = solver.newStep(state.solvedColumns(), threads);
             RowParallel parallel = new RowParallel(threads)) {
            Run run = new Run(step, parallel, state, reg, ratings, listener, scale);
            // The objective after the previous iteration; NaN until one has run, so that the first
            // iteration is never judged against a made-up previous value (infinity would stop every fit
            // after one iteration, since infinity - x <= tolerance * infinity).
            double previous = Double.NaN;
            for (int it = 1; it <= config.iterations(); it++) {
                run.halfStep(FitListener.Side.ITEMS, it, state.pose(FitListener.Side.ITEMS, reg), false);
                FitListener.HalfStep users = run.halfStep(FitListener.Side.USERS, it,
                        state.pose(FitListener.Side.USERS, reg), false);
                run.done = it;
                if (config.tolerance() > 0) {
                    double objective = users.objective();
                    if (Double.isFinite(previous) && previous - objective <= config.tolerance() * previous) {
                        LOG.debug("converged after iteration {}: objective {} -> {}", it, previous, objective);
                        break;
                    }
                    previous = objective;
                }
            }
            if (config.samples() > 0) {
                Model.Builder samples = state.modelBuilder(config.samples(), run.info());
                // Sweep s is reported as iteration iterations + s, even after an early stop.
                new PosteriorSampler(config.samples(), config.noise(), FitStreams.sampling(config.seed()))
                        .run(state, reg, config.iterations() + 1,
                                (side, it, problem) -> run.halfStep(side, it, problem, true), samples);
                model = samples.build();
                if (config.compress() && SampleCompression.worthIt(k, config.samples())) {
                    long t0 = System.nanoTime();
                    model = SampleCompression.compress(model, SampleCompression.rankFor(k),
                            FitStreams.compression(config.seed()), parallel);
                    info("compressed {} samples of rank {} to one factorisation of rank {} in {} s", config.samples(),
                            k, model.rank(), String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
                }
            } else {
                model = state.currentModel(run.info());
            }
            last = run.last;
            double[] loss = last.lossKnown() ? last.loss()
                    : !trial && LOG.isInfoEnabled() ? state.loss(reg, parallel, step)
                    : new double[] {Double.NaN, Double.NaN};
            double seconds = (System.nanoTime() - start) / 1e9;
            if (config.isImplicit()) {
                // The data term sums over every cell, so an RMSE over the interactions would mean nothing.
                info("ALS fit done: {} iteration(s), weighted loss {}, objective {}, {} s", run.done, loss[0],
                        loss[1], io.als.internal.Texts.seconds(seconds));
            } else {
                info("ALS fit done: {} iteration(s), {} sample(s), sse {}, objective {}, rmse {}, {} s",
                        run.done, config.samples(), loss[0], loss[1], Math.sqrt(loss[0] / ratings.size()),
                        io.als.internal.Texts.seconds(seconds));
            }
        }
        return model;
    }

    /** INFO, or DEBUG for a trial fit of the lambda search. */
    private void info(String format, Object... args) {
        if (trial) {
            LOG.debug(format, args);
        } else {
            LOG.info(format, args);
        }
    }

    /**
     * This fit's settings with the noise and lambda measured on {@code ratings} where the
     * configuration asks for it (see the class comment): the result has an explicit noise
     * (when it samples) and validation 0.
     */
    AlsConfig chooseFromData(Ratings ratings, FactorMatrix initialUsers) {
        return chooseFromData(ratings, initialUsers, FitListener.NONE);
    }

    /** {@link #chooseFromData(Ratings, FactorMatrix)}, telling {@code listener} how lambda was chosen. */
    AlsConfig chooseFromData(Ratings ratings, FactorMatrix initialUsers, FitListener listener) {
        AlsConfig.Builder b = config.toBuilder();
        if (config.alphaAuto()) {
            double mean = ratings.meanPositiveValue();
            double alpha = config.alphaFor(mean);
            // The Spark engine sums exactly and rounds once: the same whenever this running sum is exact.
            info("alpha {} chosen from the data: {} over the mean positive value {}, for a mean confidence of {}",
                    alpha, config.implicit().alpha(), mean, 1 + config.implicit().alpha());
            b.alpha(alpha);
        }
        if (config.noiseAuto() && config.samples() > 0) {
            double noise = NoiseEstimate.of(ratings);
            info("rating noise estimated from the training ratings: {} (RMSE around the damped mean and biases)",
                    String.format(java.util.Locale.ROOT, "%.5f", noise));
            b.noise(noise);
        }
        if (config.lambdaAuto()) {
            long t0 = System.nanoTime();
            LambdaSearch.Result found = LambdaSearch.run(ratings, b.build(), solver, initialUsers);
            info("lambda {} chosen in {} s", found.lambda(),
                    String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            b.lambda(found.lambda()).validation(0);
            boolean searched = !found.trials().isEmpty();
            listener.onLambdaChosen(found.lambda(), searched, searched ? found.heldOut() : 0);
        }
        return b.build();
    }

    private void checkMemory(Ratings ratings) {
        // A sampled model keeps every sample's factors: rank times samples columns. Each worker
        // solves systems of the solved width: the rank, plus the bias column of a biased fit.
        // (Held as long: rank times samples can pass the int range; the estimate then refuses the fit.)
        int modelRank = (int) Math.min(Integer.MAX_VALUE, (long) config.rank() * Math.max(1, config.samples()));
        int solved = config.rank() + (config.biased() ? 1 : 0);
        // An implicit fit also holds a weighted copy of both views: a value and a weight per entry, twice.
        long weightedViews = config.isImplicit() ? 32L * ratings.size() : 0;
        MemoryEstimate.require("a rank-" + config.rank() + " fit" + (config.samples() > 1 ? " keeping "
                        + config.samples() + " samples (" + ((long) config.rank() * config.samples()) + " columns)" : "")
                        + " of " + ratings.numUsers() + " users and " + ratings.numItems() + " items",
                MemoryEstimate.forFit(ratings.numUsers(), ratings.numItems(), ratings.size(), modelRank,
                        usableThreads(config.threads(), ratings.numUsers(), ratings.numItems(), processors()),
                        solved) + weightedViews,
                MemoryEstimate.available(Runtime.getRuntime()));
    }

    /**
     * The threads a fit of these ratings uses: the configured number, but no more than the
     * blocks of rows there are to share out on the larger side (a block is
     * {@value RowwiseLeastSquaresStep#BLOCK_ROWS} rows), and no more than
     * {@value #THREADS_PER_PROCESSOR} per available processor. Results do not depend on it:
     * a fit is bit-identical for every thread count. Logs a warning when the configured number
     * exceeds the processor limit, and an INFO line when the data is too small to use them all.
     */
    public int threadsFor(Ratings ratings) {
        int processors = processors();
        int asked = config.threads();
        int used = usableThreads(asked, ratings.numUsers(), ratings.numItems(), processors);
        if (used < asked) {
            if (asked > THREADS_PER_PROCESSOR * processors) {
                LOG.warn("{} threads asked for, but a fit uses at most {} ({} per available processor, {}"
                        + " processor(s)); using {}", asked, THREADS_PER_PROCESSOR * processors,
                        THREADS_PER_PROCESSOR, processors, used);
            } else {
                LOG.info("{} threads asked for, but {} users and {} items make only {} block(s) of {} rows to"
                        + " share out; using {}", asked, ratings.numUsers(), ratings.numItems(),
                        rowBlocks(ratings.numUsers(), ratings.numItems()), RowwiseLeastSquaresStep.BLOCK_ROWS, used);
            }
        }
        return used;
    }

    /**
     * The threads a fit uses when {@code asked} are configured, for {@code users} and
     * {@code items}, on a machine with {@code processors} processors (see {@link #threadsFor}).
     */
    public static int usableThreads(int asked, int users, int items, int processors) {
        long limit = Math.min((long) THREADS_PER_PROCESSOR * Math.max(1, processors),
                rowBlocks(users, items));
        return (int) Math.max(1, Math.min(asked, limit));
    }

    private static long rowBlocks(int users, int items) {
        long rows = Math.max(users, items);
        return Math.max(1, (rows + RowwiseLeastSquaresStep.BLOCK_ROWS - 1) / RowwiseLeastSquaresStep.BLOCK_ROWS);
    }

    /** The most threads any of the library's parallel work uses here: {@value #THREADS_PER_PROCESSOR} per processor. */
    public static int threadLimit() {
        return THREADS_PER_PROCESSOR * processors();
    }

    private static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The smallest and largest training rating. */
    private static RatingScale observedScale(Ratings ratings) {
        double[] range = ratings.range();
        return new RatingScale(range[0], range[1]);
    }

    /** One fit in progress: runs half-steps, reports them, and describes the fit so far. */
    private final class Run {
        private final LeastSquaresStep step;
        private final RowParallel parallel;
        private final FitState state;
        private final Regularizer reg;
        private final Ratings ratings;
        private final FitListener listener;
        private final RatingScale scale;
        /** ALS iterations completed. */
        int done;
        /** The latest event (its loss, if computed, is the state's until the next half-step). */
        FitListener.HalfStep last;

        Run(LeastSquaresStep step, RowParallel parallel, FitState state, Regularizer reg, Ratings ratings,
            FitListener listener, RatingScale scale) {
            this.step = step;
            this.parallel = parallel;
            this.state = state;
            this.reg = reg;
            this.ratings = ratings;
            this.listener = listener;
            this.scale = scale;
        }

        /** Solves one half-step's problem, checks and absorbs the solution, and reports it. */
        FitListener.HalfStep halfStep(FitListener.Side side, int iteration, FitState.Problem problem,
                                      boolean sampling) {
            boolean itemSide = side == FitListener.Side.ITEMS;
            IdIndex ids = itemSide ? ratings.itemIds() : ratings.userIds();
            String what = itemSide ? "item " : "user ";
            FactorMatrix target = problem.target();
            long t0 = System.nanoTime();
            try {
                io.als.spi.Gram shared = null;
                if (problem.sharedScale() > 0) {
                    shared = step.gram(problem.fixed());
                    if (problem.sharedScale() != 1) {
                        shared = shared.scaled(problem.sharedScale());
                    }
                }
                ImplicitFeedback implicit = config.implicit();
                if (implicit != null && implicit.rowSolve().isCg()) {
                    step.solveConjugateGradient(problem.observed(), problem.fixed(), problem.reg(), shared, target,
                            implicit.cgSteps(), implicit.rowSolve() == ImplicitFeedback.RowSolve.CG_FLOAT);
                } else {
                    step.solve(problem.observed(), problem.fixed(), problem.reg(), shared, target);
                }
            } catch (SingularSystemException e) {
                throw e.named(what + ids.idAt(e.row()));
            }
            long elapsed = System.nanoTime() - t0;
            int bad = target.firstNonFiniteRow();
            if (bad >= 0) {
                throw new NumericalException("solver " + solver.name() + " produced a non-finite factor for " + what
                        + ids.idAt(bad) + " in iteration " + iteration + "; the fit was stopped");
            }
            state.absorb(side, target);
            // A snapshot taken during an ALS iteration counts that iteration as run.
            int run = sampling ? done : iteration;
            FitListener.HalfStep event = new FitListener.HalfStep(iteration, side, sampling, elapsed,
                    () -> state.loss(reg, parallel, step), state, () -> state.currentModel(info(run)));
            // DEBUG (logback's default level) logs the time only: the loss is a pass over every
            // rating, paid for only at TRACE or by a listener that reads it.
            if (LOG.isTraceEnabled()) {
                LOG.trace("iteration {} {}: sse {}, objective {}, {} ms", iteration, side, event.sse(),
                        event.objective(), elapsed / 1e6);
            } else {
                LOG.debug("iteration {} {}: {} ms", iteration, side, elapsed / 1e6);
            }
            try {
                // The tolerance test reads the objective after the user half-step: compute it first,
                // so that the listener sees it as known (free to show) and can rely on it when this
                // turns out to be the last iteration.
                if (config.tolerance() > 0 && side == FitListener.Side.USERS && !sampling) {
                    event.loss();
                }
                listener.onHalfStep(event);
            } finally {
                event.close();
            }
            last = event;
            return event;
        }

        /** What the fit has done so far, for the model. */
        TrainingInfo info() {
            return info(done);
        }

        /** The fit's settings and data, with {@code iterationsRun} ALS iterations run. */
        TrainingInfo info(int iterationsRun) {
            return new TrainingInfo(solver.name(), config.rank(), reg.name(), reg.lambda(), iterationsRun,
                    config.iterations(), config.seed(), config.init(), config.biased(), config.samples(),
                    config.noise(), ratings.source(), ratings.numUsers(), ratings.numItems(), ratings.size(),
                    scale, config.implicit());
        }
    }
}
