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
 *                    implementation, the three built-in ones or a user's own
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
 *                    positive and finite; unused when {@code samples} is 0
 */
public record AlsConfig(int rank, int iterations, Regularizer regularizer, long seed,
                        Initialization init, double tolerance, int threads, boolean biased,
                        int samples, double noise) {

    /** The default of every setting, in one place. */
    public static final class Defaults {
        public static final int RANK = 10;
        public static final int ITERATIONS = 10;
        /** Weighted-lambda (ALS-WR) with 0.1, Spark MLlib's default regularisation. */
        public static final String REGULARIZER = "weighted";
        public static final double LAMBDA = 0.1;
        public static final long SEED = 42L;
        public static final Initialization INIT = Initialization.RANDOM;
        public static final double TOLERANCE = 0.0;
        /**
         * The backend used when nothing selects one: the hand-written pure-Java kernel, which
         * needs no JVM option and no native library (see docs/benchmarks.md for why). Which
         * backend a fit uses is not part of this record: it is the {@code Solver} handed to
         * {@link AlternatingLeastSquares}, or the one {@link AlsModule} selects by name.
         */
        public static final String SOLVER = "java";
        /** Plain {@code U . P} unless asked: the conformance kit and the reference example rely on it. */
        public static final boolean BIASED = false;
        /** No sampling: the plain ALS solution. */
        public static final int SAMPLES = 0;
        /** Rating noise for sampling, for a 1..5 scale (best of those tried on ML-100K and ML-1M; docs/accuracy.md). */
        public static final double NOISE = 1.0;

        public static int threads() {
            return Runtime.getRuntime().availableProcessors();
        }

        private Defaults() {
        }
    }

    public AlsConfig {
        try {
            Checks.positive("rank", rank);
            Checks.positive("iterations", iterations);
            Objects.requireNonNull(regularizer, "regularizer must not be null");
            Checks.nonNegative("lambda", regularizer.lambda());
            Objects.requireNonNull(init, "init must not be null");
            Checks.nonNegative("tolerance", tolerance);
            Checks.positive("threads", threads);
            Checks.nonNegative("samples", samples);
            if (!(noise > 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be positive and finite but was " + noise);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** The regularisation strength of {@link #regularizer()}. */
    public double lambda() {
        return regularizer.lambda();
    }

    public static AlsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().rank(rank).iterations(iterations).regularizer(regularizer).seed(seed)
                .init(init).tolerance(tolerance).threads(threads).biased(biased).samples(samples)
                .noise(noise);
    }

    /**
     * Overrides settings from properties named {@code als.rank}, {@code als.iterations},
     * {@code als.regularizer}, {@code als.lambda}, {@code als.seed}, {@code als.init},
     * {@code als.tolerance}, {@code als.threads}, {@code als.biased},
     * {@code als.samples} and {@code als.noise}; absent keys keep this builder's values.
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

    /** Mutable builder starting from {@link Defaults}. */
    public static final class Builder {
        private int rank = Defaults.RANK;
        private int iterations = Defaults.ITERATIONS;
        /** Null unless a {@link Regularizer} object was given; then it wins over the name. */
        private Regularizer custom;
        private String regularizer = Defaults.REGULARIZER;
        private double lambda = Defaults.LAMBDA;
        private long seed = Defaults.SEED;
        private Initialization init = Defaults.INIT;
        private double tolerance = Defaults.TOLERANCE;
        private int threads = Defaults.threads();
        private boolean biased = Defaults.BIASED;
        private int samples = Defaults.SAMPLES;
        private double noise = Defaults.NOISE;

        public Builder rank(int v) {
            rank = v;
            return this;
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        /** The penalty, any implementation; its lambda becomes this builder's lambda. */
        public Builder regularizer(Regularizer v) {
            custom = Objects.requireNonNull(v, "regularizer");
            lambda = v.lambda();
            return this;
        }

        /** A built-in penalty by name ({@code none}, {@code l2}, {@code weighted}), for text configuration. */
        public Builder regularizer(String v) {
            custom = null;
            regularizer = v;
            return this;
        }

        /** The strength of the penalty, whichever it is. */
        public Builder lambda(double v) {
            lambda = v;
            if (custom != null) {
                custom = custom.withLambda(v);
            }
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
            return this;
        }

        public Builder samples(int v) {
            samples = v;
            return this;
        }

        public Builder noise(double v) {
            noise = v;
            return this;
        }

        /**
         * Sets one setting by name from text ({@code rank}, {@code iterations},
         * {@code regularizer}, {@code lambda}, {@code seed}, {@code init}, {@code tolerance},
         * {@code threads}, {@code biased}, {@code samples}, {@code noise}).
         */
        public Builder set(String name, String value) {
            try {
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "rank" -> rank(Integer.parseInt(value));
                    case "iterations" -> iterations(Integer.parseInt(value));
                    case "regularizer" -> regularizer(value);
                    case "lambda" -> lambda(Double.parseDouble(value));
                    case "seed" -> seed(Long.parseLong(value));
                    case "init" -> init(Initialization.parse(value));
                    case "tolerance" -> tolerance(Double.parseDouble(value));
                    case "threads" -> threads(Integer.parseInt(value));
                    case "biased" -> biased(parseBoolean(value));
                    case "samples" -> samples(Integer.parseInt(value));
                    case "noise" -> noise(Double.parseDouble(value));
                    default -> throw new ConfigurationException("setting must be one of biased, init, iterations,"
                            + " lambda, noise, rank, regularizer, samples, seed, threads, tolerance but was " + name);
                }
            } catch (NumberFormatException e) {
                String kind = switch (name.toLowerCase(Locale.ROOT)) {
                    case "rank", "iterations", "seed", "threads", "samples" -> "an integer";
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
            Regularizer reg;
            try {
                reg = custom != null ? custom : Regularizer.of(regularizer, Checks.nonNegative("lambda", lambda));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage(), e);
            }
            return new AlsConfig(rank, iterations, reg, seed, init, tolerance, threads, biased, samples, noise);
        }

        private static boolean parseBoolean(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new ConfigurationException("biased must be true or false but was " + value);
            };
        }
    }
}
