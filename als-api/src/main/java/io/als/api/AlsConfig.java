package io.als.api;

import io.als.internal.Checks;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * Every setting of a fit, validated on construction. Defaults live in {@link Defaults} and
 * nowhere else. A bad value fails with "NAME must be CONSTRAINT but was VALUE".
 *
 * @param rank        number of latent factors k (at least 1)
 * @param iterations  maximum full iterations (items then users), at least 1
 * @param regularizer the penalty on each row, with its strength (see {@link Regularizer}); any
 *                    implementation, the three built-in ones or a user's own. When
 *                    {@code validation} is positive its lambda is where the search starts
 * @param seed        seed for random initialisation
 * @param init        how the user factors start
 * @param tolerance   stop early when a full iteration lowers the objective by less than this
 *                    fraction of it; 0 runs every iteration
 * @param threads     worker threads for the row solves, at least 1
 * @param biased      also learn a global mean and a bias per user and per item (see
 *                    {@link AlternatingLeastSquares}); false fits {@code U . P} alone
 * @param samples     after the iterations, this many posterior sampling sweeps whose
 *                    predictions the model averages (see {@link AlternatingLeastSquares});
 *                    0 keeps the plain ALS solution
 * @param noise       standard deviation of the rating noise the sampling sweeps assume,
 *                    positive and finite, or {@link #AUTO} (0): estimated from the training
 *                    ratings (see {@link AlternatingLeastSquares}, "Settings chosen from the
 *                    data"); unused when {@code samples} is 0
 * @param validation  the fraction of the training ratings held out to choose lambda on, in
 *                    {@code [0, 0.5]}; 0 uses the regularizer's lambda as it is (see
 *                    {@link AlternatingLeastSquares}, "Settings chosen from the data")
 * @param compress    store a sampled model as the best rank-{@code 2k} approximation of its
 *                    averaged samples instead of all {@code samples} copies of the factors;
 *                    no effect on a model of at most 2 samples
 * @param implicit    the implicit-feedback settings, or null for a fit to explicit ratings. An
 *                    implicit fit has no biases, no sampling and no lambda search
 * @param alphaAuto   for an implicit fit with linear confidence: alpha is chosen from the data,
 *                    as {@code implicit().alpha()} divided by the mean positive value (a 0 is no
 *                    preference and does not count), so that
 *                    the mean confidence is {@code 1 + implicit().alpha()} whatever the unit of
 *                    the values (see {@link AlternatingLeastSquares}, "Settings chosen from the
 *                    data"); false (always, for other fits) uses {@code implicit().alpha()} as it is
 */
public record AlsConfig(int rank, int iterations, Regularizer regularizer, long seed,
                        Initialization init, double tolerance, int threads, boolean biased,
                        int samples, double noise, double validation, boolean compress,
                        ImplicitFeedback implicit, boolean alphaAuto) {

    /** A fit with the implicit settings as given ({@link #alphaAuto()} false). */
    public AlsConfig(int rank, int iterations, Regularizer regularizer, long seed, Initialization init,
                     double tolerance, int threads, boolean biased, int samples, double noise, double validation,
                     boolean compress, ImplicitFeedback implicit) {
        this(rank, iterations, regularizer, seed, init, tolerance, threads, biased, samples, noise, validation,
                compress, implicit, false);
    }

    /** A fit to explicit ratings. */
    public AlsConfig(int rank, int iterations, Regularizer regularizer, long seed, Initialization init,
                     double tolerance, int threads, boolean biased, int samples, double noise, double validation,
                     boolean compress) {
        this(rank, iterations, regularizer, seed, init, tolerance, threads, biased, samples, noise, validation,
                compress, null);
    }

    /** The value of {@link #noise()} that means "estimate it from the training ratings". */
    public static final double AUTO = 0;

    /** The largest fraction {@link #validation()} may hold out. */
    public static final double MAX_VALIDATION = 0.5;

    /**
     * The default of every setting, in one place. They are chosen to generalise to explicit
     * ratings data the project has not seen, not tuned to MovieLens: what depends on the data's
     * scale or size (the noise level, the strength of the penalty) is measured on the data
     * itself, and the rest are structural choices. docs/accuracy.md ("Defaults") gives the
     * figures and what else was tried.
     */
    public static final class Defaults {
        /**
         * 10 factors per user and item: enough for both MovieLens targets once the samples are
         * averaged. Rank 20 is a little better (ML-1M holdout 0.8405 against 0.8433) but took
         * twice as long; 10 is also Spark MLlib's default, so the two compare at the same size.
         */
        public static final int RANK = 10;
        /** ALS iterations before sampling: enough to reach the mode from a random start (the test RMSE is flat after 10). */
        public static final int ITERATIONS = 10;
        /**
         * The plain ridge penalty {@code lambda I}: under sampling it is the Gaussian prior of
         * every factor row (precision lambda over the noise variance), which does not depend on
         * how many ratings the row has. The weighted (ALS-WR) penalty grows with the row's
         * count, which suits a single ALS solution but is no prior, and lost under sampling.
         */
        public static final String REGULARIZER = "l2";
        /**
         * Where the search for lambda starts with the {@code l2} penalty (and the value used
         * when the search is off): the best of the accuracy settings on MovieLens, for a 1..5
         * scale. The search moves it by factors of 2 as far as the data asks (see
         * {@link #VALIDATION}), so it need not fit any other data set exactly.
         */
        public static final double LAMBDA = 4.0;
        /** The starting lambda of the weighted penalty: 0.1, Spark MLlib's default regularisation. */
        public static final double WEIGHTED_LAMBDA = 0.1;
        /**
         * Lambda is chosen on 10% of the training ratings held out inside the fit: the one
         * setting whose best value depends on the data's scale, density and signal, so it is
         * measured, not assumed. Giving a lambda explicitly turns the search off.
         */
        public static final double VALIDATION = 0.1;
        public static final long SEED = 42L;
        public static final Initialization INIT = Initialization.RANDOM;
        public static final double TOLERANCE = 0.0;
        /**
         * The backend used when nothing selects one: the hand-written C kernels of
         * {@code als-solver-native}, compiled ahead of time, so that a short command runs at full
         * speed from its first iteration instead of waiting for the JIT compiler (measurements
         * in docs/benchmarks.md). Where they cannot load (another platform, or a build without
         * gcc) the default falls back to {@link #PORTABLE_SOLVER}, and says so in the log. Which
         * backend a fit uses is not part of this record: it is the {@code Solver} handed to
         * {@link AlternatingLeastSquares}, or the one {@link AlsModule} selects by name.
         */
        public static final String SOLVER = "native";
        /**
         * The pure-Java kernels: the default where {@link #SOLVER} cannot load, and of the
         * Spark engine's library API, whose executors may run on any platform.
         */
        public static final String PORTABLE_SOLVER = "java";
        /**
         * A global mean and user and item biases: under sampling they win clearly (MovieLens
         * 100K: 0.8985 against 0.9173), and they make the model indifferent to where the
         * rating scale sits (0..4 or 1..5 fit alike).
         */
        public static final boolean BIASED = true;
        /**
         * 100 posterior samples: averaging over the posterior is what lifts the model above
         * the single ALS solution (which overfits at any lambda), and the gain left after 100
         * is a few ten-thousandths of RMSE (it falls as 1/samples).
         */
        public static final int SAMPLES = 100;
        /**
         * The rating noise is estimated from the training ratings ({@link AlsConfig#AUTO}), so
         * it follows the data's scale: a fixed 1.0 only suits a 1..5 scale.
         */
        public static final double NOISE = AUTO;
        /**
         * Store the averaged samples as one factorisation of rank {@code 2k}: it predicts
         * within 0.0001 RMSE of all the samples on MovieLens 1M, in a fiftieth of the space.
         */
        public static final boolean COMPRESS = true;

        public static int threads() {
            return Runtime.getRuntime().availableProcessors();
        }

        /** The default lambda of a built-in penalty: {@link #LAMBDA} for {@code l2}, {@link #WEIGHTED_LAMBDA} for {@code weighted}. */
        public static double lambdaFor(String regularizer) {
            return switch (regularizer.trim().toLowerCase(Locale.ROOT)) {
                case "weighted", "als-wr" -> WEIGHTED_LAMBDA;
                case "none" -> 0;
                case "ials" -> Implicit.LAMBDA;
                default -> LAMBDA;
            };
        }

        private Defaults() {
        }

        /**
         * The defaults of an implicit-feedback fit ({@code implicit true}), where they differ
         * from the explicit ones: docs/accuracy.md ("Implicit feedback") gives the figures
         * they were chosen by.
         */
        public static final class Implicit {
            /**
             * 96 factors: on MovieLens 1M positives (docs/accuracy.md, "Implicit feedback")
             * NDCG@10 rose from rank 10 (0.281) to 64 (0.331-0.336) and 96 (0.334-0.338) and
             * no further at 128, over three random splits.
             */
            public static final int RANK = 96;
            /** Ten iterations: NDCG@10 was no higher after 15 or 20. */
            public static final int ITERATIONS = 10;
            /**
             * The weighted penalty {@code lambda n_r} (ALS-WR, as Spark MLlib's implicit ALS uses
             * it): on MovieLens 1M it beat the constant penalty and iALS's
             * {@code lambda (n_r + alpha0 N)^nu} at every setting tried.
             */
            public static final String REGULARIZER = "weighted";
            public static final double LAMBDA = 0.12;
            /**
             * Confidence {@code 1 + 0.5 r} for values of 1; for other values, unless alpha is
             * given, alpha is 0.5 over the mean observed value ({@link AlsConfig#alphaAuto()}), so
             * that the mean confidence is 1.5 in any unit. On MovieLens positives as pairs alpha
             * from 0.1 to 1 made no difference beyond the split's noise; with the ratings 4 and 5
             * as values, the scaled alpha (0.114) beat 0.5 by 0.006-0.007 NDCG@10 on two splits.
             */
            public static final double ALPHA = 0.5;
            public static final ImplicitFeedback.Confidence CONFIDENCE = ImplicitFeedback.Confidence.LINEAR;
            public static final double EPSILON = 1.0;
            /** HKV's weight of 1 on unobserved cells (with the weighted penalty a different alpha0 only rescales alpha and lambda). */
            public static final double UNOBSERVED_WEIGHT = 1.0;
            /**
             * Three conjugate-gradient steps per row from its current factors, as the {@code implicit}
             * library does: on MovieLens 1M positives at rank 96 it scored as the exact solve
             * (NDCG@10 0.3384 against 0.3380) in 16 s against 28 s.
             */
            public static final ImplicitFeedback.RowSolve ROW_SOLVE = ImplicitFeedback.RowSolve.CG;
            /** Three steps, the {@code implicit} library's default. */
            public static final int CG_STEPS = 3;
            public static final double NU = 1.0;

            private Implicit() {
            }
        }
    }

    public AlsConfig {
        // Only a linear confidence takes its scale from the values (log has epsilon, BM25 its own normalisation).
        alphaAuto = alphaAuto && implicit != null && implicit.confidence() == ImplicitFeedback.Confidence.LINEAR;
        try {
            Checks.positive("rank", rank);
            Checks.positive("iterations", iterations);
            Objects.requireNonNull(regularizer, "regularizer must not be null");
            Checks.nonNegative("lambda", regularizer.lambda());
            Objects.requireNonNull(init, "init must not be null");
            Checks.nonNegative("tolerance", tolerance);
            Checks.positive("threads", threads);
            Checks.nonNegative("samples", samples);
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be positive and finite, or 0 (auto), but was " + noise);
            }
            if (!(validation >= 0 && validation <= MAX_VALIDATION)) {
                throw new IllegalArgumentException("validation must be between 0 and " + MAX_VALIDATION
                        + " but was " + validation);
            }
            if (implicit != null && (biased || samples > 0 || validation > 0)) {
                throw new IllegalArgumentException("an implicit fit has no biases, posterior samples or lambda search,"
                        + " but biased was " + biased + ", samples " + samples + ", validation " + validation);
            }
            if (implicit == null && regularizer.name().equals("ials")) {
                throw new IllegalArgumentException("the ials regularizer needs an implicit fit (implicit true)");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** The regularisation strength of {@link #regularizer()} (where the search starts when {@link #validation()} is positive). */
    public double lambda() {
        return regularizer.lambda();
    }

    /**
     * The alpha an implicit fit of data whose mean positive value is {@code meanPositiveValue}
     * uses: with {@link #alphaAuto()} the configured alpha over that mean (the configured alpha
     * itself when the mean is not positive and finite), otherwise the configured alpha. Every
     * place that chooses alpha from data (a local fit, the Spark engine, tune's grid) asks here.
     */
    public double alphaFor(double meanPositiveValue) {
        double alpha = implicit.alpha();
        return alphaAuto && meanPositiveValue > 0 && Double.isFinite(meanPositiveValue)
                ? alpha / meanPositiveValue : alpha;
    }

    /** Whether the rating noise is estimated from the training ratings ({@link #noise()} is {@link #AUTO}). */
    public boolean noiseAuto() {
        return noise == AUTO;
    }

    /** Whether lambda is chosen on a held-out part of the training ratings ({@link #validation()} is positive). */
    public boolean lambdaAuto() {
        return validation > 0;
    }

    public static AlsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder preset to plain ALS as Spark MLlib fits it: no mean or biases, the weighted
     * (ALS-WR) penalty with lambda {@link Defaults#WEIGHTED_LAMBDA}, no sampling, no search;
     * rank, iterations, seed and the rest at their defaults. This was the library's default
     * before the defaults learnt from the data (docs/accuracy.md, "Defaults"); benchmarks and
     * tests of the plain algorithm start from it.
     */
    public static Builder plain() {
        return builder().regularizer("weighted").lambda(Defaults.WEIGHTED_LAMBDA).biased(false).samples(0);
    }

    /** Whether this is an implicit-feedback fit ({@link #implicit()} is not null). */
    public boolean isImplicit() {
        return implicit != null;
    }

    public Builder toBuilder() {
        Builder b = new Builder().rank(rank).iterations(iterations).regularizer(regularizer).seed(seed)
                .init(init).tolerance(tolerance).threads(threads).biased(biased).samples(samples)
                .noise(noise).compress(compress);
        if (implicit != null) {
            b.implicit(true).alpha(implicit.alpha()).confidence(implicit.confidence()).epsilon(implicit.epsilon())
                    .unobservedWeight(implicit.unobservedWeight()).rowSolve(implicit.rowSolve())
                    .cgSteps(implicit.cgSteps()).nu(implicit.nu()).bm25(implicit.bm25K1(), implicit.bm25B());
            b.alphaGiven = !alphaAuto;
        }
        // The same lambda mode: a later lambda(...) still turns a search off.
        b.lambdaGiven = validation == 0;
        if (validation > 0) {
            b.validationFraction = validation;
        }
        return b;
    }

    /**
     * Overrides settings from properties named {@code als.} and a setting of
     * {@link Builder#set} ({@code als.rank}, {@code als.lambda}, {@code als.implicit},
     * {@code als.alpha}, ...); absent keys keep this builder's values.
     * {@code als.solver} is not a setting of the fit but of the composition (see
     * {@link SolverSelection}), so it is skipped here. A value that does not parse fails
     * naming its key.
     */
    public static Builder fromProperties(Properties p, Builder base) {
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("als.") || key.equals(SolverSelection.PROPERTY)) {
                continue;
            }
            String v = p.getProperty(key).trim();
            base.set(key.substring(4), v);
        }
        return base;
    }

    /**
     * Mutable builder starting from {@link Defaults}. Lambda is chosen on a validation split
     * (see {@link AlsConfig#validation()}) unless a lambda is given: {@link #lambda(double)},
     * a {@link Regularizer} object, or {@code set("lambda", L)} fix it and turn the search off,
     * unless {@link #validation(double)} is also called, in which case the given lambda is where
     * the search starts. {@link #lambdaAuto()} (or {@code set("lambda", "auto")}) turns it back on.
     * Without a lambda the penalty's default applies ({@link Defaults#lambdaFor}).
     */
    public static final class Builder {
        private int rank = Defaults.RANK;
        private int iterations = Defaults.ITERATIONS;
        /** Null unless a {@link Regularizer} object was given; then it wins over the name. */
        private Regularizer custom;
        private String regularizer = Defaults.REGULARIZER;
        private double lambda = Double.NaN;
        /** Whether a lambda was given, which turns the search off unless a validation fraction was given too. */
        private boolean lambdaGiven;
        /** The fraction held out when lambda is searched for. */
        private double validationFraction = Defaults.VALIDATION;
        /** Whether {@link #validation(double)} was called: then it decides, whatever lambda says. */
        private boolean validationGiven;
        private long seed = Defaults.SEED;
        private Initialization init = Defaults.INIT;
        private double tolerance = Defaults.TOLERANCE;
        private int threads = Defaults.threads();
        private boolean biased = Defaults.BIASED;
        private int samples = Defaults.SAMPLES;
        private double noise = Defaults.NOISE;
        private boolean compress = Defaults.COMPRESS;
        private boolean implicit;
        private boolean rankGiven;
        private boolean iterationsGiven;
        private boolean regularizerGiven;
        private boolean biasedGiven;
        private boolean samplesGiven;
        private double alpha = Defaults.Implicit.ALPHA;
        private boolean alphaGiven;
        private ImplicitFeedback.Confidence confidence = Defaults.Implicit.CONFIDENCE;
        private double epsilon = Defaults.Implicit.EPSILON;
        private double unobservedWeight = Defaults.Implicit.UNOBSERVED_WEIGHT;
        private ImplicitFeedback.RowSolve rowSolve = Defaults.Implicit.ROW_SOLVE;
        private int cgSteps = Defaults.Implicit.CG_STEPS;
        private double nu = Defaults.Implicit.NU;
        private double bm25K1 = ImplicitFeedback.BM25_K1;
        private double bm25B = ImplicitFeedback.BM25_B;

        public Builder rank(int v) {
            rank = v;
            rankGiven = true;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            iterationsGiven = true;
            return this;
        }

        /**
         * An implicit-feedback fit (see {@link ImplicitFeedback}): rank, iterations, penalty
         * and lambda not given take {@link Defaults.Implicit}'s values, and there are no biases,
         * samples or lambda search unless asked for (which the record then refuses).
         */
        public Builder implicit(boolean v) {
            implicit = v;
            return this;
        }

        /** The confidence scale of an implicit fit, used as it is (not chosen from the data). */
        public Builder alpha(double v) {
            alpha = v;
            alphaGiven = true;
            return this;
        }

        /**
         * Alpha chosen from the data ({@link AlsConfig#alphaAuto()}, the default of an implicit
         * fit with linear confidence): the given alpha (or the default) over the mean observed value.
         */
        public Builder alphaAuto() {
            alphaGiven = false;
            return this;
        }

        public Builder confidence(ImplicitFeedback.Confidence v) {
            confidence = v;
            return this;
        }

        /** The value scale of the log confidence. */
        public Builder epsilon(double v) {
            epsilon = v;
            return this;
        }

        /** iALS's {@code alpha0}, the weight of unobserved cells. */
        public Builder unobservedWeight(double v) {
            unobservedWeight = v;
            return this;
        }

        public Builder rowSolve(ImplicitFeedback.RowSolve v) {
            rowSolve = v;
            return this;
        }

        public Builder cgSteps(int v) {
            cgSteps = v;
            return this;
        }

        /** The exponent of the {@code ials} penalty. */
        public Builder nu(double v) {
            nu = v;
            return this;
        }

        /** BM25's {@code k1} and {@code b}, for {@link ImplicitFeedback.Confidence#BM25}. */
        public Builder bm25(double k1, double b) {
            bm25K1 = k1;
            bm25B = b;
            return this;
        }

        /**
         * The penalty, any implementation; its lambda becomes this builder's lambda and, like
         * {@link #lambda(double)}, is used as given unless {@link #validation(double)} says otherwise.
         */
        public Builder regularizer(Regularizer v) {
            custom = Objects.requireNonNull(v, "regularizer");
            regularizerGiven = true;
            lambda = v.lambda();
            lambdaGiven = true;
            return this;
        }

        /**
         * A built-in penalty by name ({@code none}, {@code l2}, {@code weighted}, and
         * {@code ials} for implicit feedback), for text configuration.
         */
        public Builder regularizer(String v) {
            custom = null;
            regularizer = v;
            regularizerGiven = true;
            return this;
        }

        /** The strength of the penalty, whichever it is; used as given (no search) unless {@link #validation(double)} is set. */
        public Builder lambda(double v) {
            lambda = v;
            lambdaGiven = true;
            if (custom != null) {
                custom = custom.withLambda(v);
            }
            return this;
        }

        /**
         * Lambda chosen on a validation split of the training ratings ({@link Defaults#VALIDATION}
         * of them unless {@link #validation(double)} says otherwise), starting from the lambda
         * given so far, or the penalty's default.
         */
        public Builder lambdaAuto() {
            lambdaGiven = false;
            if (validationGiven && validationFraction == 0) {
                validationFraction = Defaults.VALIDATION;
            }
            return this;
        }

        /** The fraction of the training ratings held out to choose lambda; 0 uses lambda as given. */
        public Builder validation(double v) {
            validationFraction = v;
            validationGiven = true;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder init(Initialization v) {
            init = v;
            return this;
        }

        public Builder tolerance(double v) {
            tolerance = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder biased(boolean v) {
            biased = v;
            biasedGiven = true;
            return this;
        }

        public Builder samples(int v) {
            samples = v;
            samplesGiven = true;
            return this;
        }

        /** The rating noise for sampling; {@link AlsConfig#AUTO} (0) estimates it from the data. */
        public Builder noise(double v) {
            noise = v;
            return this;
        }

        public Builder compress(boolean v) {
            compress = v;
            return this;
        }

        /**
         * Sets one setting by name from text: {@code rank}, {@code iterations},
         * {@code regularizer}, {@code lambda}, {@code seed}, {@code init}, {@code tolerance},
         * {@code threads}, {@code biased}, {@code samples}, {@code noise}, {@code validation},
         * {@code compress}, and for implicit feedback {@code implicit}, {@code alpha},
         * {@code confidence}, {@code epsilon}, {@code alpha0}, {@code solve}, {@code cg-steps},
         * {@code nu}, {@code bm25-k1} and {@code bm25-b}. {@code lambda}, {@code noise} and
         * {@code alpha} also take {@code auto}. Numbers are decimal; white space around a value
         * is ignored.
         *
         * @throws ConfigurationException naming the setting, for an unknown name or a bad value
         */
        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "setting name must not be null");
            Objects.requireNonNull(value, () -> name + " must not be null");
            String auto = value.trim().toLowerCase(Locale.ROOT);
            try {
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "rank" -> rank(Integer.parseInt(value.trim()));
                    case "iterations" -> iterations(Integer.parseInt(value.trim()));
                    case "regularizer" -> regularizer(value);
                    case "lambda" -> {
                        if (auto.equals("auto")) {
                            lambdaAuto();
                        } else {
                            lambda(Checks.parseDouble(name, value));
                        }
                    }
                    case "seed" -> seed(Long.parseLong(value.trim()));
                    case "init" -> init(Initialization.parse(value));
                    case "tolerance" -> tolerance(Checks.parseDouble(name, value));
                    case "threads" -> threads(Integer.parseInt(value.trim()));
                    case "biased" -> biased(parseBoolean("biased", value));
                    case "samples" -> samples(Integer.parseInt(value.trim()));
                    case "noise" -> noise(auto.equals("auto") ? AUTO : positiveNoise(Checks.parseDouble(name, value)));
                    case "validation" -> validation(Checks.parseDouble(name, value));
                    case "compress" -> compress(parseBoolean("compress", value));
                    case "implicit" -> implicit(parseBoolean("implicit", value));
                    case "alpha" -> {
                        if (auto.equals("auto")) {
                            alphaAuto();
                        } else {
                            alpha(Checks.parseDouble(name, value));
                        }
                    }
                    case "confidence" -> confidence(ImplicitFeedback.Confidence.parse(value));
                    case "epsilon" -> epsilon(Checks.parseDouble(name, value));
                    case "alpha0", "unobserved-weight" -> unobservedWeight(Checks.parseDouble(name, value));
                    case "solve" -> rowSolve(ImplicitFeedback.RowSolve.parse(value));
                    case "cg-steps" -> cgSteps(Integer.parseInt(value.trim()));
                    case "nu" -> nu(Checks.parseDouble(name, value));
                    case "bm25-k1" -> bm25K1 = Checks.parseDouble(name, value);
                    case "bm25-b" -> bm25B = Checks.parseDouble(name, value);
                    default -> throw new ConfigurationException("setting must be one of alpha, alpha0, biased,"
                            + " bm25-b, bm25-k1, cg-steps, compress, confidence, epsilon, implicit, init, iterations,"
                            + " lambda, noise,"
                            + " nu, rank, regularizer, samples, seed, solve, threads, tolerance, validation but was "
                            + name);
                }
            } catch (NumberFormatException e) {
                String kind = switch (name.toLowerCase(Locale.ROOT)) {
                    case "rank", "iterations", "seed", "threads", "samples", "cg-steps" -> io.als.internal.Checks
                            .integerKind(value, name.equalsIgnoreCase("seed") ? Long.MAX_VALUE : Integer.MAX_VALUE);
                    case "lambda", "noise", "alpha" -> "a number or auto";
                    default -> "a number";
                };
                throw new ConfigurationException(name + " must be " + kind + " but was '" + value + "'");
            } catch (IllegalArgumentException e) {
                // An enumerated setting (init) that is not one of its names.
                throw new ConfigurationException(e.getMessage(), e);
            }
            return this;
        }

        public AlsConfig build() {
            if (implicit) {
                return buildImplicit();
            }
            Regularizer reg;
            try {
                double l = lambdaGiven || custom != null ? lambda : Defaults.lambdaFor(regularizer);
                reg = custom != null ? custom : Regularizer.of(regularizer, Checks.nonNegative("lambda", l));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
            double validation = validationGiven ? validationFraction : lambdaGiven ? 0 : validationFraction;
            return new AlsConfig(rank, iterations, reg, seed, init, tolerance, threads, biased, samples, noise,
                    validation, compress);
        }

        /** An implicit fit: the implicit defaults where nothing was given; biases, samples, search only if asked. */
        private AlsConfig buildImplicit() {
            ImplicitFeedback settings = new ImplicitFeedback(alpha, confidence, epsilon, unobservedWeight, rowSolve,
                    cgSteps, nu, bm25K1, bm25B);
            Regularizer reg;
            try {
                String name = regularizerGiven ? regularizer : Defaults.Implicit.REGULARIZER;
                double l = lambdaGiven || custom != null ? lambda
                        : regularizerGiven ? Defaults.lambdaFor(name) : Defaults.Implicit.LAMBDA;
                Checks.nonNegative("lambda", l);
                reg = custom != null ? custom
                        : name.trim().equalsIgnoreCase("ials") ? Regularizer.ials(l, nu) : Regularizer.of(name, l);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
            double validation = validationGiven ? validationFraction : 0;
            return new AlsConfig(rankGiven ? rank : Defaults.Implicit.RANK,
                    iterationsGiven ? iterations : Defaults.Implicit.ITERATIONS, reg, seed, init, tolerance, threads,
                    biasedGiven && biased, samplesGiven ? samples : 0, noise, validation, compress, settings,
                    !alphaGiven);
        }

        /** A noise given as a number must be positive: 0 is spelt {@code auto}. */
        private static double positiveNoise(double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new ConfigurationException("noise must be positive and finite, or auto, but was " + v);
            }
            return v;
        }

        private static boolean parseBoolean(String name, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new ConfigurationException(name + " must be true or false but was " + value);
            };
        }
    }
}
