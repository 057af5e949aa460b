package io.als.spark;

import io.als.api.AlsConfig;
import io.als.api.AlsException;
import io.als.api.ConfigurationException;
import io.als.api.ImplicitFeedback;
import io.als.api.RatingsFormat;
import io.als.api.Regularizer;
import io.als.spi.Gram;
import io.als.spi.Solver;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alternating least squares on Apache Spark, with the rows solved in the executors by the
 * project's own backends. It fits the same model as
 * {@link io.als.api.AlternatingLeastSquares} (plain or biased, any penalty of
 * {@link Regularizer}, or implicit feedback), from the same start, by the same sequence of
 * half-steps; the result agrees with the single-machine fit to rounding: for explicit fits with
 * the built-in backends bit for bit; for implicit fits to rounding in the Gram matrix, which the
 * blocks sum in their own split (bit for bit with one block); with {@link Builder#shipFloats}
 * to float precision (see {@link HalfStep} for why, and docs/spark.md for the layout and what is
 * shipped).
 *
 * <pre>{@code
 * AlsConfig config = AlsConfig.plain().rank(10).iterations(10).build();
 * try (SparkFit fit = SparkAls.builder(config).solver("java").blocks(8).build().fit(ratingsDataset)) {
 *     ModelFile.write(fit.model(), Path.of("model.als"));
 *     fit.userFactors().show();
 * }
 * }</pre>
 *
 * <h2>What runs on one machine only</h2>
 * Posterior sampling ({@link AlsConfig#samples()} &gt; 0) and the search for lambda on held-out
 * ratings ({@link AlsConfig#validation()} &gt; 0) are refused with a
 * {@link ConfigurationException} for now: sampling draws its noise from one sequential stream
 * per half-step, and the search runs many fits on a split that would have to be drawn the same
 * way; both can be distributed later, neither is yet.
 *
 * <h2>Determinism</h2>
 * Each row's solution depends only on its own ratings and the factor rows they name, never on
 * which block, partition, executor or thread computed it, and the initial user rows are drawn
 * from the same per-row streams as on one machine. So, for an explicit fit, the same data,
 * settings and seed give the same factors for any number of blocks and executors (with floats
 * shipped too). An implicit fit's shared Gram matrix is summed block by block, so its factors
 * are the same bits for a given number of blocks, whatever the partitions and executors, and
 * differ in the last bits between block counts. (The reported loss, summed block by block,
 * depends on the number of blocks in its last bits.)
 *
 * <h2>Lineage</h2>
 * The factors of each half-step are persisted, and with a checkpoint interval of {@code N}
 * (default {@value #DEFAULT_CHECKPOINT_INTERVAL}) written to the checkpoint directory after
 * every {@code N}-th iteration, which cuts the lineage that otherwise grows by two shuffles per
 * iteration until it overflows the stack (SPARK-5955). Without a checkpoint directory the fit
 * makes a temporary one in local mode and refuses to start on a cluster, instead of silently
 * not checkpointing as Spark MLlib's ALS does.
 */
public final class SparkAls {
    private static final Logger LOG = LoggerFactory.getLogger(SparkAls.class);

    /** Iterations between checkpoints unless set; Spark MLlib's default too. */
    public static final int DEFAULT_CHECKPOINT_INTERVAL = 10;
    /** Iterations at most computed by one Spark job when nothing is measured or listened to. */
    static final int MAX_CHAINED = 10;
    /** The name of the temporary checkpoint directories a local fit makes when none is set. */
    private static final String TEMP_PREFIX = "als-spark-checkpoints-";

    private final AlsConfig config;
    private final String solverName;
    private final int userBlocks;
    private final int itemBlocks;
    private final int checkpointInterval;
    private final String checkpointDir;
    private final String userColumn;
    private final String itemColumn;
    private final String valueColumn;
    private final IterationListener listener;
    private final boolean lossEveryIteration;
    private final boolean shipFloats;

    private SparkAls(Builder b) {
        this.config = b.config;
        this.solverName = b.solver;
        this.userBlocks = b.userBlocks;
        this.itemBlocks = b.itemBlocks;
        this.checkpointInterval = b.checkpointInterval;
        this.checkpointDir = b.checkpointDir;
        this.userColumn = b.userColumn;
        this.itemColumn = b.itemColumn;
        this.valueColumn = b.valueColumn;
        this.listener = b.listener;
        this.lossEveryIteration = b.lossEveryIteration;
        this.shipFloats = b.shipFloats;
    }

    /** A builder for a fit with these settings; see {@link #requireSupported} for what it refuses. */
    public static Builder builder(AlsConfig config) {
        return new Builder(config);
    }

    /** Told after each iteration of a fit; runs on the driver. */
    @FunctionalInterface
    public interface IterationListener {
        IterationListener NONE = e -> { };

        void onIteration(Iteration event);
    }

    /**
     * One finished iteration.
     *
     * @param iteration the iteration, from 1
     * @param of        the iterations asked for
     * @param seconds   its wall time
     * @param sse       the squared error of the training ratings after it (of an implicit fit: the
     *                  weighted loss over all cells); NaN when not measured
     *                  ({@link Builder#lossEveryIteration})
     * @param objective the objective after it (squared error plus penalties); NaN when not measured
     * @param ratings   the number of training ratings
     */
    public record Iteration(int iteration, int of, double seconds, double sse, double objective, long ratings) {
        /** The training RMSE after the iteration. */
        public double rmse() {
            return Math.sqrt(sse / ratings);
        }
    }

    /**
     * Refuses what the Spark engine does not do yet (see the class comment), naming the
     * setting and how to change it.
     */
    public static void requireSupported(AlsConfig config) {
        if (config.samples() > 0) {
            throw new ConfigurationException("samples must be 0 for the Spark engine but was " + config.samples()
                    + ": posterior sampling runs on one machine only for now (give --samples 0, or use --engine local)");
        }
        if (config.lambdaAuto()) {
            throw new ConfigurationException("the Spark engine needs a given lambda, but lambda is to be chosen on a "
                    + config.validation() + " validation split, which runs on one machine only for now (give --lambda"
                    + " VALUE, or use --engine local)");
        }
        if (config.isImplicit() && config.implicit().confidence() == ImplicitFeedback.Confidence.BM25) {
            throw new ConfigurationException("the Spark engine has no BM25 confidence: it needs every user's and"
                    + " item's entry count in each block, which runs on one machine only for now (give --confidence"
                    + " linear or log, or use --engine local)");
        }
    }

    /** Fits the ratings in the columns named by the builder (default {@code user}, {@code item}, {@code value}). */
    public SparkFit fit(Dataset<Row> ratings) {
        return fit(ratings, "dataset", userColumn, itemColumn, valueColumn);
    }

    /**
     * Fits ratings read from a path: Parquet when it ends in {@code .parquet}, otherwise delimited
     * text in {@code format}, or detected from the first line when {@code format} is null.
     */
    public SparkFit fit(SparkSession spark, String path, RatingsFormat format) {
        Dataset<Row> df;
        try {
            df = SparkRatings.read(spark, path, format, userColumn, itemColumn, valueColumn, config.isImplicit());
        } catch (Exception e) {
            throw unwrapped(e);
        }
        // The source is the path as given, as RatingsReader records it.
        return fit(df, path, SparkRatings.USER, SparkRatings.ITEM, SparkRatings.VALUE);
    }

    private SparkFit fit(Dataset<Row> df, String source, String userColumn, String itemColumn, String valueColumn) {
        try {
            return run(df, source, userColumn, itemColumn, valueColumn);
        } catch (Exception e) {
            throw unwrapped(e);
        }
    }

    /**
     * The library's own failure behind a failed Spark job (a singular row, a repeated rating,
     * a bad value, found in an executor), rethrown as itself; any other failure as it is.
     */
    static RuntimeException unwrapped(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AlsException als) {
                return als;
            }
        }
        return e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
    }

    private SparkFit run(Dataset<Row> df, String source, String userColumn, String itemColumn, String valueColumn) {
        requireSupported(config);
        // Resolve the backend on the driver first: an unknown name fails here, listing the installed ones.
        Solver solver = ExecutorSolvers.get(solverName);
        io.als.api.AlternatingLeastSquares.requireSupported(config, solver);
        SparkSession spark = df.sparkSession();
        SparkContext sc = spark.sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        Path tempCheckpoints = prepareCheckpoints(sc);
        // setCheckpointDir makes a folder of its own (a UUID) in the directory given: this fit's,
        // removed with its last checkpoint when it is left empty.
        String folder = checkpointInterval > 0 && checkpointDir != null && sc.getCheckpointDir().isDefined()
                ? sc.getCheckpointDir().get() : null;
        try {
            return run(df, source, userColumn, itemColumn, valueColumn, solver, spark, jsc, tempCheckpoints)
                    .removingFolder(folder);
        } catch (Exception e) {
            // A failed fit (Spark's job failures are checked exceptions, thrown unchecked) leaves no
            // temporary checkpoints behind; a finished one deletes them on close().
            if (tempCheckpoints != null) {
                SparkFit.deleteTree(tempCheckpoints);
            }
            throw unwrapped(e);
        } catch (Error e) {
            // Out of memory too (a heap too small for the blocks asked for).
            if (tempCheckpoints != null) {
                SparkFit.deleteTree(tempCheckpoints);
            }
            throw e;
        }
    }

    private SparkFit run(Dataset<Row> df, String source, String userColumn, String itemColumn, String valueColumn,
                         Solver solver, SparkSession spark, JavaSparkContext jsc, Path tempCheckpoints) {
        SparkContext sc = spark.sparkContext();
        int ub = userBlocks > 0 ? userBlocks : sc.defaultParallelism();
        int ib = itemBlocks > 0 ? itemBlocks : sc.defaultParallelism();
        long start = System.nanoTime();
        SparkRatings.Indexed indexed = SparkRatings.index(df, userColumn, itemColumn, valueColumn, source);
        IdTables ids = indexed.ids();
        Broadcast<IdTables> sharedIds = indexed.sharedIds();
        Layout layout = Layout.build(indexed.chunks(), ub, ib, sharedIds, checkpointInterval > 0);
        indexed.chunks().unpersist(false);
        AlsConfig config = withAlphaChosen(this.config, indexed.positiveMean());
        int k = config.rank();
        Regularizer reg = config.regularizer();
        ImplicitFeedback implicit = config.implicit();
        boolean named = isBuiltIn(reg, implicit);
        if (!named && !(reg instanceof Serializable)) {
            throw new ConfigurationException("the regularizer " + reg + " is neither a built-in one nor Serializable,"
                    + " so it cannot be sent to the executors");
        }
        int threads = Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
        StepSpec spec = new StepSpec(solver.name(), k, config.biased(), config.biased() ? indexed.mean() : 0,
                named ? reg.name() : null, reg.lambda(), named ? null : reg, threads, config.seed(), config.init(), ids,
                StepSpec.Implicit.of(implicit), shipFloats);
        Broadcast<StepSpec> sharedSpec = jsc.broadcast(spec);
        LOG.info("ALS fit on Spark: {} users, {} items, {} ratings; {} user and {} item blocks; rank {}, {},"
                        + " {} iterations, regularizer {}, seed {}, init {}, tolerance {}, solver {}, checkpoint every {}"
                        + " iteration(s), rows shipped as {}", ids.users().size(), ids.items().size(), indexed.count(), ub, ib, k,
                implicit != null ? implicit : config.biased() ? "biased" : "not biased", config.iterations(), reg,
                config.seed(),
                config.init().name().toLowerCase(Locale.ROOT), config.tolerance(), solver.name(), checkpointInterval,
                shipFloats ? "floats" : "doubles");
        JavaRDD<Factors> users = layout.users().map(b -> initial(b, sharedSpec.value()));
        users.setName("als user factors (initial)").persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Factors> items = null;
        // Implicit: the Gram matrix of the side about to be held fixed (from the blocks' shares), and
        // for conjugate gradient the items' starting rows (zero, as on one machine).
        double alpha0 = implicit == null ? 0 : implicit.unobservedWeight();
        double[] userGram = implicit == null ? null : sums(users);
        boolean cg = implicit != null && implicit.rowSolve().isCg();
        if (cg) {
            items = layout.items().map(b -> new Factors(b.id, k, new double[b.rows.length * k], Double.NaN,
                    Double.NaN));
            items.setName("als item factors (initial)").persist(StorageLevel.MEMORY_AND_DISK());
        }
        List<String> checkpointFiles = List.of();
        // Factors of earlier iterations that chained iterations still need; released after the next job.
        List<JavaRDD<Factors>> pending = new java.util.ArrayList<>();
        double previous = Double.NaN;
        double[] loss = {Double.NaN, Double.NaN};
        int done = 0;
        for (int it = 1; it <= config.iterations(); it++) {
            long t0 = System.nanoTime();
            boolean checkpoint = checkpointInterval > 0 && it % checkpointInterval == 0;
            // The loss is measured where it is wanted: every iteration for the tolerance test or a
            // listener that asks for it, else after the last iteration only.
            boolean measure = lossEveryIteration || config.tolerance() > 0 || it == config.iterations();
            // The items are computed by a job of their own when something of them is needed before
            // the users' half-step (an implicit fit's Gram matrix, the penalty of a measured
            // iteration) or they are to be checkpointed; otherwise by the users' job, which needs
            // them anyway: one job per iteration instead of two.
            boolean itemsJob = implicit != null || measure || checkpoint;
            // With nobody listening and nothing to measure or checkpoint, the iteration runs no job at
            // all: it is chained to the next, as Spark MLlib chains its iterations, and computed with
            // it (its shuffles are two more stages of that job). At most MAX_CHAINED iterations go
            // into one job, checkpoints or not, so that no job's lineage grows long.
            boolean chained = !itemsJob && listener == IterationListener.NONE && it % MAX_CHAINED != 0;
            JavaRDD<Factors> newItems = HalfStep.run(layout.users(), users, layout.items(), cg ? items : null,
                    layout.itemPartitioner(), sharedSpec, shared(userGram, k, alpha0),
                    measure ? HalfStep.Measure.PENALTY : HalfStep.Measure.NOTHING, it);
            double[] itemStats = null;
            String itemsName = "als item factors, iteration " + it;
            if (itemsJob) {
                itemStats = materialise(newItems, itemsName, checkpoint, k);
                if (items != null) {
                    items.unpersist(false);
                }
            } else {
                newItems.setName(itemsName).persist(StorageLevel.MEMORY_AND_DISK());
            }
            JavaRDD<Factors> oldItems = items;
            items = newItems;
            JavaRDD<Factors> newUsers = HalfStep.run(layout.items(), items, layout.users(), cg ? users : null,
                    layout.userPartitioner(), sharedSpec, shared(itemStats, k, alpha0),
                    measure ? HalfStep.Measure.ERROR_AND_PENALTY : HalfStep.Measure.NOTHING, it);
            if (chained) {
                newUsers.setName("als user factors, iteration " + it).persist(StorageLevel.MEMORY_AND_DISK());
                if (oldItems != null) {
                    pending.add(oldItems);
                }
                pending.add(users);
                users = newUsers;
                done = it;
                LOG.debug("iteration {}: chained to the next", it);
                continue;
            }
            double[] userStats = materialise(newUsers, "als user factors, iteration " + it, checkpoint, k);
            for (JavaRDD<Factors> old : pending) {
                old.unpersist(false);
            }
            pending.clear();
            if (!itemsJob && oldItems != null) {
                oldItems.unpersist(false);
            }
            users.unpersist(false);
            users = newUsers;
            if (checkpoint) {
                // Both sides now start from files: the shuffles behind them and the previous
                // checkpoint are no longer needed (as Spark MLlib's ALS does).
                items.rdd().cleanShuffleDependencies(false);
                users.rdd().cleanShuffleDependencies(false);
                deleteCheckpoints(sc, checkpointFiles);
                checkpointFiles = java.util.Arrays.asList(items.getCheckpointFile().orNull(),
                        users.getCheckpointFile().orNull());
            }
            done = it;
            double[] measured = {Double.NaN, Double.NaN};
            if (measure) {
                // After the user half-step: its squared error is that of the final users against the
                // final items, and the items' penalty is the one their half-step measured.
                measured = new double[] {userStats[0], userStats[0] + userStats[1] + itemStats[1]};
            }
            if (implicit != null) {
                userGram = userStats;
            }
            if (implicit != null && measure) {
                // The data term over all cells: the observed cells' part plus alpha0 trace(X^T X Y^T Y).
                double data = userStats[0] + alpha0 * gram(userStats, k).traceOfProduct(gram(itemStats, k));
                measured = new double[] {data, data + userStats[1] + itemStats[1]};
            }
            if (measure) {
                loss = measured;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            LOG.debug("iteration {}: sse {}, objective {}, {} s", it, measured[0], measured[1], seconds);
            listener.onIteration(new Iteration(it, config.iterations(), seconds, measured[0], measured[1],
                    indexed.count()));
            if (config.tolerance() > 0) {
                if (Double.isFinite(previous) && previous - loss[1] <= config.tolerance() * previous) {
                    LOG.debug("converged after iteration {}: objective {} -> {}", it, previous, loss[1]);
                    break;
                }
                previous = loss[1];
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("ALS fit on Spark done: {} iteration(s), {} {}, objective {}{}, {} s", done,
                implicit != null ? "weighted loss" : "sse", loss[0], loss[1],
                implicit != null ? "" : ", rmse " + Math.sqrt(loss[0] / indexed.count()),
                String.format(Locale.ROOT, "%.3f", seconds));
        List<String> leftBehind = new java.util.ArrayList<>(checkpointFiles);
        leftBehind.add(layout.users().getCheckpointFile().orNull());
        leftBehind.add(layout.items().getCheckpointFile().orNull());
        return new SparkFit(spark, config, solver.name(), ids, indexed, layout, users, items, done, loss,
                tempCheckpoints, leftBehind, List.of(sharedIds, sharedSpec));
    }

    /**
     * The configuration with an implicit fit's alpha chosen from the data when
     * {@link AlsConfig#alphaAuto()}, as the single-machine fit chooses it: the configured alpha
     * over the mean positive value (summed exactly, so the same as one machine's whenever its
     * running sum is exact).
     */
    static AlsConfig withAlphaChosen(AlsConfig config, double positiveMean) {
        if (!config.alphaAuto()) {
            return config;
        }
        double target = config.implicit().alpha();
        double alpha = config.alphaFor(positiveMean);
        LOG.info("alpha {} chosen from the data: {} over the mean positive value {}, for a mean confidence of {}",
                alpha, target, positiveMean, 1 + target);
        return config.toBuilder().alpha(alpha).build();
    }

    /**
     * Whether a regularizer is rebuilt exactly from its name and lambda (and an implicit fit's
     * {@code nu}), so that it can travel as those.
     */
    private static boolean isBuiltIn(Regularizer reg, ImplicitFeedback implicit) {
        try {
            return reg.equals(StepSpec.builtIn(reg.name(), reg.lambda(), implicit == null ? 1 : implicit.nu()));
        } catch (IllegalArgumentException unknownName) {
            return false;
        }
    }

    /** Deletes checkpoint files of earlier iterations (a failure only costs disk space, so it is logged). */
    static void deleteCheckpoints(SparkContext sc, List<String> files) {
        for (String file : files) {
            if (file == null) {
                continue;
            }
            try {
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
                path.getFileSystem(sc.hadoopConfiguration()).delete(path, true);
            } catch (IOException e) {
                LOG.warn("could not delete the checkpoint {}: {}", file, e.toString());
            }
        }
    }

    /**
     * Persists (and, when due, checkpoints) one half-step's factors and computes them, returning
     * the sums of their squared errors and penalties, added in block order, followed in an
     * implicit fit by the side's Gram matrix ({@code k x k}, the blocks' shares added in block
     * order; see {@link #gram}).
     */
    private static double[] materialise(JavaRDD<Factors> factors, String name, boolean checkpoint, int k) {
        factors.setName(name).persist(StorageLevel.MEMORY_AND_DISK());
        if (checkpoint) {
            factors.checkpoint();
        }
        return sums(factors);
    }

    /** What {@link #materialise} returns, of factors already persisted (their sse and penalty NaN if unmeasured). */
    private static double[] sums(JavaRDD<Factors> factors) {
        List<double[]> stats = factors.map(f -> {
            double[] s = new double[3 + (f.gram == null ? 0 : f.gram.length)];
            s[0] = f.block;
            s[1] = f.sse;
            s[2] = f.penalty;
            if (f.gram != null) {
                System.arraycopy(f.gram, 0, s, 3, f.gram.length);
            }
            return s;
        }).collect();
        double[][] byBlock = stats.toArray(new double[0][]);
        java.util.Arrays.sort(byBlock, java.util.Comparator.comparingDouble(s -> s[0]));
        double[] sum = new double[byBlock.length == 0 ? 2 : byBlock[0].length - 1];
        for (double[] s : byBlock) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += s[j + 1];
            }
        }
        return sum;
    }

    /** The Gram matrix in what {@link #materialise} returned. */
    private static Gram gram(double[] stats, int k) {
        return Gram.ofDense(k, java.util.Arrays.copyOfRange(stats, 2, 2 + k * k));
    }

    /** A block's share of its side's Gram matrix, by the backend's own {@link io.als.spi.LeastSquaresStep#gram}. */
    private static double[] gramOf(io.als.spi.FactorMatrix f, StepSpec spec) {
        try (io.als.spi.LeastSquaresStep step = ExecutorSolvers.get(spec.solver()).newStep(f.rank(), spec.threads())) {
            return step.gram(f).toDense();
        }
    }

    /** The shared term {@code alpha0 G} of an implicit half-step, from {@link #materialise}'s output; null otherwise. */
    private static double[] shared(double[] stats, int k, double alpha0) {
        if (stats == null || stats.length < 2 + k * k || alpha0 == 0) {
            return null;
        }
        Gram g = gram(stats, k);
        return (alpha0 == 1 ? g : g.scaled(alpha0)).toDense();
    }

    /** The initial factors of a user block: the configured initialisation, and a zero bias. */
    private static Factors initial(Block b, StepSpec spec) {
        int k = spec.rank();
        io.als.spi.FactorMatrix init = new io.als.spi.FactorMatrix(b.rows.length, k);
        spec.init().fillRows(init, spec.seed(), b.rows);
        if (!spec.biased()) {
            return new Factors(b.id, k, init.data(), Double.NaN, Double.NaN,
                    spec.implicit() == null ? null : gramOf(init, spec));
        }
        int w = k + 1;
        double[] data = new double[b.rows.length * w];
        for (int r = 0; r < b.rows.length; r++) {
            System.arraycopy(init.data(), r * k, data, r * w, k);
        }
        return new Factors(b.id, w, data, Double.NaN, Double.NaN);
    }

    /**
     * Sets the checkpoint directory: the configured one; else the context's own; else, in local
     * mode, a temporary one (returned, for deletion when the fit is closed). On a cluster with no
     * directory at all, refuses to start: Spark would silently skip the checkpoints.
     */
    private Path prepareCheckpoints(SparkContext sc) {
        if (checkpointInterval <= 0) {
            return null;
        }
        if (checkpointDir != null) {
            sc.setCheckpointDir(checkpointDir);
            return null;
        }
        // A temporary directory of an earlier fit (deleted when it was closed) is not the user's choice.
        if (sc.getCheckpointDir().isDefined() && !sc.getCheckpointDir().get().contains(TEMP_PREFIX)) {
            return null;
        }
        if (!sc.isLocal()) {
            throw new ConfigurationException("checkpointing every " + checkpointInterval + " iteration(s) needs a"
                    + " checkpoint directory that every executor can reach (on HDFS or a shared file system), but none"
                    + " is set on the SparkContext; give one (--checkpoint-dir DIR), or turn checkpoints off"
                    + " (checkpoint interval 0) for a short fit");
        }
        try {
            Path dir = Files.createTempDirectory(TEMP_PREFIX);
            sc.setCheckpointDir(dir.toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a temporary checkpoint directory", e);
        }
    }

    /** Settings of a Spark fit beyond the {@link AlsConfig}. */
    public static final class Builder {
        private final AlsConfig config;
        private String solver = AlsConfig.Defaults.PORTABLE_SOLVER;
        private int userBlocks;
        private int itemBlocks;
        private int checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private String checkpointDir;
        private String userColumn = SparkRatings.USER;
        private String itemColumn = SparkRatings.ITEM;
        private String valueColumn = SparkRatings.VALUE;
        private IterationListener listener = IterationListener.NONE;
        private boolean lossEveryIteration;
        private boolean shipFloats;

        private Builder(AlsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The backend that solves the rows, by name ({@code java}, {@code ejml}, {@code native}, ...);
         * by default {@value AlsConfig.Defaults#PORTABLE_SOLVER}, which runs on an executor of any platform.
         */
        public Builder solver(String name) {
            this.solver = Objects.requireNonNull(name, "solver").trim();
            return this;
        }

        /** The number of user blocks and of item blocks; 0 (the default) means Spark's default parallelism. */
        public Builder blocks(int n) {
            return userBlocks(n).itemBlocks(n);
        }

        public Builder userBlocks(int n) {
            this.userBlocks = nonNegative("user blocks", n);
            return this;
        }

        public Builder itemBlocks(int n) {
            this.itemBlocks = nonNegative("item blocks", n);
            return this;
        }

        /** Iterations between checkpoints of the factors; 0 turns checkpoints off. */
        public Builder checkpointInterval(int n) {
            this.checkpointInterval = nonNegative("checkpoint interval", n);
            return this;
        }

        /** Where checkpoints go; null keeps the SparkContext's (see {@link SparkAls}). */
        public Builder checkpointDir(String dir) {
            this.checkpointDir = dir;
            return this;
        }

        /** The names of the user, item and value columns of the input. */
        public Builder columns(String user, String item, String value) {
            this.userColumn = Objects.requireNonNull(user, "user column");
            this.itemColumn = Objects.requireNonNull(item, "item column");
            this.valueColumn = Objects.requireNonNull(value, "value column");
            return this;
        }

        public Builder listener(IterationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Whether every iteration measures the training loss for the listener. Off by default:
         * the loss is then measured after the last iteration (and every iteration when a tolerance
         * is set), and other iterations report NaN. Measuring costs a pass over the ratings and,
         * for an explicit fit, a second Spark job per iteration.
         */
        public Builder lossEveryIteration(boolean on) {
            this.lossEveryIteration = on;
            return this;
        }

        /**
         * Whether factor rows travel between blocks rounded to floats (4 bytes a value, as Spark
         * MLlib's ALS ships them) instead of doubles. Halves the shuffle; the rows are still solved
         * in double precision against the widened floats, so the fit is no longer bit-identical to
         * the single-machine one (it differs at about float precision: 1e-7 to 1e-5 of a row's norm
         * after a few iterations) but is still the same for every number of blocks, partitions and
         * executors. The reported loss is measured against the rounded rows. Off by default.
         */
        public Builder shipFloats(boolean on) {
            this.shipFloats = on;
            return this;
        }

        public SparkAls build() {
            requireSupported(config);
            return new SparkAls(this);
        }

        private static int nonNegative(String name, int n) {
            if (n < 0) {
                throw new ConfigurationException(name + " must be at least 0 but was " + n);
            }
            return n;
        }
    }
}
