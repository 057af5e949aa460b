package io.als.bench.spark;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.api.SolverRegistry;
import io.als.bench.Datasets;
import io.als.eval.cv.ColdStart;
import io.als.eval.cv.Metrics;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.eval.cv.TestRatings;
import io.als.eval.data.ObservedScale;
import io.als.eval.data.SyntheticRatings;
import io.als.spark.SparkAls;
import io.als.spark.SparkFit;
import io.als.spi.SparseView;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Our Spark engine ({@link SparkAls}) against Spark MLlib's ALS, in one JVM, one
 * {@code SparkSession}, one master ({@code local[threads]}), the same ratings (one cached
 * DataFrame), the same number of blocks on both sides ({@code --blocks B}: ours
 * {@code .blocks(B)}, MLlib's {@code numUserBlocks = numItemBlocks = B}), rank, iterations and
 * objective (plain explicit ALS, squared error plus {@code 0.1 n_r ||x_r||^2}: our
 * {@code weighted} regulariser, MLlib's {@code regParam} 0.1), no posterior samples.
 *
 * <h2>Timing ({@code --mode time}, the default)</h2>
 * For every rank, one small warm-up fit of each side first ({@code --warmup}, ML-100K, 3
 * iterations), so JIT compilation and Spark's set-up are not timed. Then {@code --fits}
 * rounds; in each round every engine fits {@code n1} and {@code n2} iterations (engines
 * interleaved, so load on the machine falls on all of them alike). Reported: the median wall
 * time of each, the marginal time per iteration {@code (t(n2) - t(n1)) / (n2 - n1)} (fixed
 * costs such as building the blocks left out), and the same for the shuffle bytes of the
 * fit, summed over its tasks by a {@link SparkListener}: {@code shuffleWriteMetrics.bytesWritten}
 * and {@code shuffleReadMetrics.totalBytesRead}, with Spark's default shuffle compression (lz4).
 * With {@code --stages}, the marginal per-iteration task time of each stage (by Spark's call
 * site name) is printed too: run, CPU, GC, serialisation and shuffle-write time.
 *
 * <h2>Accuracy ({@code --mode cv})</h2>
 * ML-1M, the 5 folds of {@code ./als cv} ({@link Splits#kFold} with the default seed 42, so
 * the folds are identical), rank 10, 10 iterations, lambda 0.1: our local fit
 * ({@link AlternatingLeastSquares}), our Spark engine (checked against the local one: largest
 * difference of predictions and whether the factors are bit-identical) and MLlib (its
 * {@code coldStartStrategy "drop"}). Test ratings whose user or item has no training rating in
 * the fold are left out for all three (and counted); RMSE is given with predictions clipped to
 * the rating scale 1..5 for all three (as {@code ./als cv} does) and unclipped for all three.
 *
 * <pre>
 * SPARK_LOCAL_IP=127.0.0.1 java $SPARK_OPTS -Xmx16g -Dlog4j2.configurationFile=als-spark-log4j2.properties \
 *     -cp 'als-bench-spark/target/als-bench-spark.jar:als-bench-spark/target/lib/*' \
 *     io.als.bench.spark.SparkEnginePeer --data ml-1m --rank 10 --iterations 5,25 --fits 3 \
 *     --blocks 4 --threads 2 --solvers java,vector[,vector:float] [--stages true]
 * ... --data synthetic:users=162541,items=59047,ratings=25000000,seed=25 --rank 64 --iterations 1,3 --fits 1
 * ... --mode cv
 * </pre>
 * Other flags: {@code --mllib false} times ours alone (for a profiler), {@code --warmup FILE}
 * (default ML-100K's {@code u.data}), {@code --csv-dir DIR} where the data sets are written as
 * CSV once (default {@code /tmp/als-engine-peer-data}), {@code --tmp DIR} for the checkpoints
 * and Spark's local directory (default {@code /tmp}; deleted at the end).
 */
public final class SparkEnginePeer {
    private static final double LAMBDA = 0.1;
    private static final long SEED = 42L;
    private static final int CHECKPOINT_INTERVAL = 10;
    private static final String WARMUP = "../shared/data/movielens/ml-100k/u.data";

    private SparkEnginePeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String mode = a.getOrDefault("mode", "time");
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int blocks = Integer.parseInt(a.getOrDefault("blocks", "4"));
        Path checkpoints = Files.createTempDirectory(Path.of(a.getOrDefault("tmp", "/tmp")), "als-engine-peer-");
        SparkSession session = localSession(threads, checkpoints);
        ShuffleMeter meter = new ShuffleMeter();
        session.sparkContext().addSparkListener(meter);
        try {
            if (mode.equals("cv")) {
                crossValidate(session, a, blocks, checkpoints);
            } else {
                time(session, meter, a, threads, blocks, checkpoints);
            }
        } finally {
            session.stop();
            deleteTree(checkpoints);
        }
    }

    // ---------------------------------------------------------------- timing

    /** One way of fitting: ours with a backend, or MLlib. */
    private interface Engine {
        String name();

        void fit(Dataset<Row> frame, int rank, int iterations);
    }

    /** Ours with a backend; {@code "vector:float"} ships the factor rows as floats ({@code --ship float}). */
    private static Engine ours(String spec, int blocks, Path checkpoints) {
        boolean floats = spec.endsWith(":float");
        String solver = floats ? spec.substring(0, spec.length() - ":float".length()) : spec;
        return new Engine() {
            @Override
            public String name() {
                return "ours (SparkAls, " + solver + (floats ? ", ship float" : "") + ")";
            }

            @Override
            public void fit(Dataset<Row> frame, int rank, int iterations) {
                AlsConfig config = AlsConfig.plain().rank(rank).iterations(iterations).lambda(LAMBDA).seed(SEED)
                        .build();
                SparkFit fit = SparkAls.builder(config).solver(solver).blocks(blocks).shipFloats(floats)
                        .checkpointInterval(CHECKPOINT_INTERVAL)
                        .checkpointDir(checkpoints.resolve("checkpoints").toString())
                        .columns("user", "item", "rating").build().fit(frame);
                if (fit.iterations() != iterations) {
                    throw new IllegalStateException("ran " + fit.iterations() + " iterations, not " + iterations);
                }
                LAST_FIT.set(fit);
            }
        };
    }

    /** Our last fit, closed after the clock stops. */
    private static final ThreadLocal<SparkFit> LAST_FIT = new ThreadLocal<>();

    private static Engine mllib(int blocks) {
        return new Engine() {
            @Override
            public String name() {
                return "Spark MLlib ALS";
            }

            @Override
            public void fit(Dataset<Row> frame, int rank, int iterations) {
                mllibAls(rank, iterations, blocks).fit(frame);
            }
        };
    }

    private static ALS mllibAls(int rank, int iterations, int blocks) {
        return new ALS().setRank(rank).setMaxIter(iterations).setRegParam(LAMBDA).setNumUserBlocks(blocks)
                .setNumItemBlocks(blocks).setImplicitPrefs(false).setNonnegative(false).setSeed(SEED)
                .setUserCol("user").setItemCol("item").setRatingCol("rating")
                .setCheckpointInterval(CHECKPOINT_INTERVAL).setColdStartStrategy("drop");
    }

    /** One timed fit. */
    private record Measure(double seconds, long written, long read, Map<String, long[]> stages, String load) {
    }

    private static void time(SparkSession session, ShuffleMeter meter, Map<String, String> a, int threads, int blocks,
                             Path checkpoints) throws IOException {
        String data = a.getOrDefault("data", "ml-1m");
        int[] ranks = Arrays.stream(a.getOrDefault("rank", "10").split(",")).mapToInt(Integer::parseInt).toArray();
        int[] its = Arrays.stream(a.getOrDefault("iterations", "5,25").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        if (its.length != 2 || its[1] <= its[0]) {
            throw new IllegalArgumentException("--iterations must be n1,n2 with n2 > n1");
        }
        int fits = Integer.parseInt(a.getOrDefault("fits", "3"));
        boolean stages = Boolean.parseBoolean(a.getOrDefault("stages", "false"));
        List<Engine> engines = new ArrayList<>();
        for (String s : a.getOrDefault("solvers", "java").split(",")) {
            if (!s.isBlank()) {
                engines.add(ours(s.trim(), blocks, checkpoints));
            }
        }
        if (!a.getOrDefault("mllib", "true").equals("false")) {
            engines.add(mllib(blocks));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());

        long t0 = System.nanoTime();
        Path csv = csvOf(data, Path.of(a.getOrDefault("csv-dir", "/tmp/als-engine-peer-data")));
        Dataset<Row> frame = readCsv(session, csv);
        long n = frame.count();
        System.out.printf(Locale.ROOT, "# SparkEnginePeer: %s (%s), %d ratings, %d input partitions, read and cached"
                        + " in %.1f s; local[%d], %d user and %d item blocks on both sides, ranks %s, fits of %d and %d"
                        + " iterations, %d round(s), lambda %s (ALS-WR), shuffle compression %s (codec %s); load %s%n",
                data, csv, n, frame.rdd().getNumPartitions(), (System.nanoTime() - t0) / 1e9, threads, blocks, blocks,
                Arrays.toString(ranks), its[0], its[1], fits, LAMBDA,
                session.sparkContext().getConf().get("spark.shuffle.compress", "true (default)"),
                session.sparkContext().getConf().get("spark.io.compression.codec", "lz4 (default)"), load());
        Dataset<Row> warm = readCsv(session, csvOf(a.getOrDefault("warmup", WARMUP),
                Path.of(a.getOrDefault("csv-dir", "/tmp/als-engine-peer-data"))));
        warm.count();
        Set<Integer> keep = new HashSet<>(jsc.getPersistentRDDs().keySet());

        for (int rank : ranks) {
            for (Engine e : engines) {
                long w0 = System.nanoTime();
                e.fit(warm, rank, 3);
                release(jsc, keep);
                System.out.printf(Locale.ROOT, "# warm-up, %s, rank %d, %s, 3 iterations: %.2f s; load %s%n", e.name(),
                        rank, a.getOrDefault("warmup", WARMUP), (System.nanoTime() - w0) / 1e9, load());
            }
            Map<String, List<List<Measure>>> byEngine = new LinkedHashMap<>();
            for (Engine e : engines) {
                byEngine.put(e.name(), List.of(new ArrayList<>(), new ArrayList<>()));
            }
            for (int round = 1; round <= fits; round++) {
                for (Engine e : engines) {
                    for (int j = 0; j < 2; j++) {
                        Measure m = measure(session, meter, jsc, keep, e, frame, rank, its[j]);
                        byEngine.get(e.name()).get(j).add(m);
                        System.out.printf(Locale.ROOT, "# round %d, %s, rank %d, %d iterations: %.3f s, shuffle"
                                        + " written %.2f MB, read %.2f MB; load %s%n", round, e.name(), rank, its[j],
                                m.seconds, m.written / 1e6, m.read / 1e6, m.load);
                    }
                }
            }
            report(data, n, rank, blocks, threads, its, fits, byEngine, stages);
        }
    }

    private static Measure measure(SparkSession session, ShuffleMeter meter, JavaSparkContext jsc, Set<Integer> keep,
                                   Engine e, Dataset<Row> frame, int rank, int iterations) {
        System.gc();
        drain(session);
        meter.reset();
        long t0 = System.nanoTime();
        e.fit(frame, rank, iterations);
        double s = (System.nanoTime() - t0) / 1e9;
        drain(session);
        Measure m = new Measure(s, meter.written(), meter.read(), meter.stages(), load());
        release(jsc, keep);
        return m;
    }

    private static void report(String data, long n, int rank, int blocks, int threads, int[] its, int fits,
                               Map<String, List<List<Measure>>> byEngine, boolean stages) {
        String mllibName = "Spark MLlib ALS";
        double mllibPer = Double.NaN;
        double mllibWritten = Double.NaN;
        if (byEngine.containsKey(mllibName)) {
            List<List<Measure>> m = byEngine.get(mllibName);
            mllibPer = marginal(median(m.get(0), Measure::seconds), median(m.get(1), Measure::seconds), its);
            mllibWritten = marginal(median(m.get(0), x -> x.written), median(m.get(1), x -> x.written), its);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%s, %d ratings, rank %d, B = %d, local[%d]; median of %d fit(s) after a warm-up"
                + " (warm figures)%n", data, n, rank, blocks, threads, fits);
        System.out.printf(Locale.ROOT, "| engine | t(%d) s | t(%d) s | s per iteration (marginal) | MLlib / this |"
                + " shuffle written MB per iteration | shuffle read MB per iteration | shuffle written MB, fit of %d |"
                + " this / MLlib, shuffle written |%n", its[0], its[1], its[0]);
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<List<Measure>>> en : byEngine.entrySet()) {
            List<List<Measure>> m = en.getValue();
            double t1 = median(m.get(0), Measure::seconds);
            double t2 = median(m.get(1), Measure::seconds);
            double per = marginal(t1, t2, its);
            double w = marginal(median(m.get(0), x -> x.written), median(m.get(1), x -> x.written), its);
            double r = marginal(median(m.get(0), x -> x.read), median(m.get(1), x -> x.read), its);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | **%.4f** | %.2fx | %.2f | %.2f | %.2f | %.2f |%n",
                    en.getKey(), t1, t2, per, mllibPer / per, w / 1e6, r / 1e6,
                    median(m.get(0), x -> x.written) / 1e6, w / mllibWritten);
        }
        if (!stages) {
            return;
        }
        for (Map.Entry<String, List<List<Measure>>> en : byEngine.entrySet()) {
            List<List<Measure>> m = en.getValue();
            Map<String, long[]> s1 = m.get(0).get(m.get(0).size() - 1).stages();
            Map<String, long[]> s2 = m.get(1).get(m.get(1).size() - 1).stages();
            System.out.printf(Locale.ROOT, "%n# %s, rank %d, last round: task time per iteration by stage,"
                    + " (fit of %d - fit of %d) / %d; summed over tasks (2 run at a time)%n", en.getKey(), rank, its[1],
                    its[0], its[1] - its[0]);
            System.out.println("| stage | tasks | run s | CPU s | GC s | deserialise s | result serialise s |"
                    + " shuffle write s | fetch wait s | written MB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            Set<String> names = new java.util.TreeSet<>(s2.keySet());
            names.addAll(s1.keySet());
            long[] total = new long[ShuffleMeter.FIELDS];
            for (String name : names) {
                long[] b = s2.getOrDefault(name, new long[ShuffleMeter.FIELDS]);
                long[] c = s1.getOrDefault(name, new long[ShuffleMeter.FIELDS]);
                long[] d = new long[ShuffleMeter.FIELDS];
                for (int i = 0; i < d.length; i++) {
                    d[i] = b[i] - c[i];
                    total[i] += d[i];
                }
                if (d[0] == 0 && d[1] == 0) {
                    continue;
                }
                System.out.println(stageRow(name, d, its[1] - its[0]));
            }
            System.out.println(stageRow("total", total, its[1] - its[0]));
        }
    }

    private static String stageRow(String name, long[] d, int per) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.2f |", name,
                d[0] / (double) per, d[1] / 1e3 / per, d[2] / 1e9 / per, d[3] / 1e3 / per, d[4] / 1e3 / per,
                d[5] / 1e3 / per, d[6] / 1e9 / per, d[7] / 1e3 / per, d[8] / 1e6 / per);
    }

    private static double marginal(double a, double b, int[] its) {
        return (b - a) / (its[1] - its[0]);
    }

    private static double median(List<Measure> ms, java.util.function.ToDoubleFunction<Measure> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Releases what a fit left cached (ours is closed; MLlib's final factors are unpersisted). */
    private static void release(JavaSparkContext jsc, Set<Integer> keep) {
        SparkFit fit = LAST_FIT.get();
        if (fit != null) {
            fit.close();
            LAST_FIT.remove();
        }
        for (Map.Entry<Integer, JavaRDD<?>> e : jsc.getPersistentRDDs().entrySet()) {
            if (!keep.contains(e.getKey())) {
                e.getValue().unpersist(true);
            }
        }
    }

    /** Waits until the listener has heard every event posted so far. */
    private static void drain(SparkSession session) {
        try {
            session.sparkContext().listenerBus().waitUntilEmpty();
        } catch (Exception e) {
            throw new IllegalStateException("listener bus did not drain", e);
        }
    }

    /**
     * Sums shuffle bytes over every task that ends, and per stage name (Spark's call site) the
     * task count, run time (ms), CPU time (ns), GC time (ms), deserialisation time (ms), result
     * serialisation time (ms), shuffle write time (ns), fetch wait time (ms) and bytes written.
     */
    static final class ShuffleMeter extends SparkListener {
        static final int FIELDS = 9;
        private final Map<Integer, String> stageNames = new ConcurrentHashMap<>();
        private Map<String, long[]> stages = new TreeMap<>();
        private long written;
        private long read;

        synchronized void reset() {
            written = 0;
            read = 0;
            stages = new TreeMap<>();
        }

        synchronized long written() {
            return written;
        }

        synchronized long read() {
            return read;
        }

        synchronized Map<String, long[]> stages() {
            Map<String, long[]> copy = new TreeMap<>();
            stages.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            stageNames.put(e.stageInfo().stageId(), e.stageInfo().name());
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
            TaskMetrics m = e.taskMetrics();
            if (m == null) {
                return;
            }
            long w = m.shuffleWriteMetrics().bytesWritten();
            written += w;
            read += m.shuffleReadMetrics().totalBytesRead();
            long[] s = stages.computeIfAbsent(stageNames.getOrDefault(e.stageId(), "stage " + e.stageId()),
                    k -> new long[FIELDS]);
            s[0]++;
            s[1] += m.executorRunTime();
            s[2] += m.executorCpuTime();
            s[3] += m.jvmGCTime();
            s[4] += m.executorDeserializeTime();
            s[5] += m.resultSerializationTime();
            s[6] += m.shuffleWriteMetrics().writeTime();
            s[7] += m.shuffleReadMetrics().fetchWaitTime();
            s[8] += w;
        }
    }

    // ---------------------------------------------------------------- data

    /**
     * The data set as a CSV file {@code user,item,rating} (written once, kept under
     * {@code dir}): {@code ml-1m} (all 1,000,209 ratings), {@code synthetic:...}
     * ({@link SyntheticRatings.Spec#parse}) or a ratings file {@code ./als} reads.
     */
    private static Path csvOf(String data, Path dir) throws IOException {
        Files.createDirectories(dir);
        // No leading dot or underscore: Spark ignores such files as hidden.
        String name = data.replaceAll("[^A-Za-z0-9=.,_-]", "_").replaceAll("^[^A-Za-z0-9]+", "");
        Path out = dir.resolve(name + ".csv");
        if (Files.exists(out)) {
            return out;
        }
        long t0 = System.nanoTime();
        Ratings ratings = load(data);
        Path tmp = dir.resolve(name + ".csv.tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            SparseView v = ratings.byUser();
            StringBuilder line = new StringBuilder(32);
            for (int u = 0; u < v.rows(); u++) {
                long user = ratings.userIds().numericIdAt(u);
                for (int e = v.start(u); e < v.end(u); e++) {
                    line.setLength(0);
                    line.append(user).append(',').append(ratings.itemIds().numericIdAt(v.index(e))).append(',')
                            .append(v.value(e)).append('\n');
                    w.append(line);
                }
            }
        }
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "# wrote %s: %d ratings, %d users, %d items, in %.1f s%n", out, ratings.size(),
                ratings.numUsers(), ratings.numItems(), (System.nanoTime() - t0) / 1e9);
        return out;
    }

    private static Ratings load(String data) {
        if (data.equals("ml-1m")) {
            return Datasets.read(Path.of(Datasets.MOVIELENS_1M));
        }
        if (data.startsWith("synthetic")) {
            return SyntheticRatings.generate(SyntheticRatings.Spec.parse(data)).ratings();
        }
        return new io.als.api.RatingsReader(null, io.als.api.DuplicatePolicy.ERROR).read(Path.of(data));
    }

    private static final StructType SCHEMA = new StructType().add("user", DataTypes.IntegerType)
            .add("item", DataTypes.IntegerType).add("rating", DataTypes.FloatType);

    /** The CSV read with a fixed schema and cut from its lineage (both engines get this same frame). */
    private static Dataset<Row> readCsv(SparkSession session, Path csv) {
        return session.read().schema(SCHEMA).csv(csv.toString()).localCheckpoint(true);
    }

    /** Ratings as a DataFrame (user id, item id, rating), ids as in the ratings; cut from its lineage. */
    private static Dataset<Row> frameOf(SparkSession session, Ratings ratings) {
        SparseView v = ratings.byUser();
        List<Row> rows = new ArrayList<>(v.nnz());
        for (int u = 0; u < v.rows(); u++) {
            int user = Math.toIntExact(ratings.userIds().numericIdAt(u));
            for (int e = v.start(u); e < v.end(u); e++) {
                rows.add(RowFactory.create(user, Math.toIntExact(ratings.itemIds().numericIdAt(v.index(e))),
                        (float) v.value(e)));
            }
        }
        return session.createDataFrame(rows, SCHEMA).localCheckpoint(true);
    }

    // ---------------------------------------------------------------- accuracy

    private static void crossValidate(SparkSession session, Map<String, String> a, int blocks, Path checkpoints) {
        int folds = Integer.parseInt(a.getOrDefault("folds", "5"));
        int rank = Integer.parseInt(a.getOrDefault("rank", "10"));
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "10"));
        String solver = a.getOrDefault("solvers", "java").split(",")[0].trim();
        long splitSeed = AlsConfig.Defaults.SEED;
        Ratings all = Datasets.read(Path.of(Datasets.MOVIELENS_1M));
        ObservedScale scale = ObservedScale.of(all);
        List<Split> splits = Splits.kFold(all, folds, splitSeed);
        AlsConfig config = AlsConfig.plain().rank(rank).iterations(iterations).lambda(LAMBDA).seed(SEED)
                .threads(2).build();
        System.out.printf(Locale.ROOT, "# SparkEnginePeer cv: ML-1M (%s), %d ratings, %d-fold split of ./als cv"
                        + " (Splits.kFold, seed %d), rank %d, %d iterations, lambda %s weighted = regParam %s;"
                        + " solver %s,"
                        + " B = %d, scale %s; load %s%n", Datasets.MOVIELENS_1M, all.size(), folds, splitSeed, rank,
                iterations, LAMBDA, LAMBDA, solver, blocks, scale, load());
        String[] names = {"ours, local (AlternatingLeastSquares)", "ours, Spark engine (SparkAls)", "Spark MLlib ALS"};
        double[][] clipped = new double[3][folds];
        double[][] raw = new double[3][folds];
        double[][] mae = new double[3][folds];
        System.out.println("| fold | test ratings | left out (cold: user / item) | local RMSE | SparkAls RMSE |"
                + " MLlib RMSE | local vs SparkAls: max abs prediction diff | factors bit-identical | load |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int f = 0; f < folds; f++) {
            Split split = splits.get(f);
            Ratings train = split.train();
            TestRatings test = split.test();
            Model local = new AlternatingLeastSquares(config, SolverRegistry.discover().get(solver)).fit(train,
                    FitListener.NONE);
            Dataset<Row> trainFrame = frameOf(session, train);
            double[] pLocal = predictions(test, local);
            double[] pSpark;
            boolean identical;
            try (SparkFit fit = SparkAls.builder(config).solver(solver).blocks(blocks)
                    .checkpointDir(checkpoints.resolve("checkpoints").toString()).columns("user", "item", "rating")
                    .build().fit(trainFrame)) {
                Model m = fit.model();
                for (int u = 0; u < train.numUsers(); u++) {
                    if (m.userIds().numericIdAt(u) != train.userIds().numericIdAt(u)) {
                        throw new IllegalStateException("user index " + u + " differs");
                    }
                }
                for (int i = 0; i < train.numItems(); i++) {
                    if (m.itemIds().numericIdAt(i) != train.itemIds().numericIdAt(i)) {
                        throw new IllegalStateException("item index " + i + " differs");
                    }
                }
                pSpark = predictions(test, m);
                identical = Arrays.equals(m.userFactors().data(), local.userFactors().data())
                        && Arrays.equals(m.itemFactors().data(), local.itemFactors().data());
            }
            double[] pMllib = mllibPredictions(session, train, test, trainFrame, rank, iterations, blocks);
            double maxDiff = 0;
            for (int e = 0; e < test.size(); e++) {
                if (!test.cold(e)) {
                    maxDiff = Math.max(maxDiff, Math.abs(pLocal[e] - pSpark[e]));
                }
            }
            double[][] p = {pLocal, pSpark, pMllib};
            Metrics first = null;
            for (int s = 0; s < 3; s++) {
                Metrics c = Metrics.of(test, p[s], ColdStart.DROP, scale);
                Metrics r = Metrics.of(test, p[s], ColdStart.DROP, null);
                clipped[s][f] = c.rmse();
                raw[s][f] = r.rmse();
                mae[s][f] = c.mae();
                if (first == null) {
                    first = c;
                } else if (c.scored() != first.scored()) {
                    throw new IllegalStateException(names[s] + " scored " + c.scored() + " test ratings, not "
                            + first.scored());
                }
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %d (%d / %d) | %.5f | %.5f | %.5f | %.3g | %s | %s |%n", f + 1,
                    test.size(), first.cold(), first.coldUsers(), first.coldItems(), clipped[0][f], clipped[1][f],
                    clipped[2][f], maxDiff, identical ? "yes" : "no", load());
            trainFrame.unpersist();
        }
        System.out.println();
        System.out.println("| model | RMSE, clipped to 1..5 (mean ± sd of " + folds + " folds) | RMSE, unclipped |"
                + " MAE, clipped |");
        System.out.println("|---|---|---|---|");
        for (int s = 0; s < 3; s++) {
            System.out.printf(Locale.ROOT, "| %s | **%.5f ± %.5f** | %.5f ± %.5f | %.5f |%n", names[s],
                    mean(clipped[s]),
                    sd(clipped[s]), mean(raw[s]), sd(raw[s]), mean(mae[s]));
        }
    }

    /** The model's prediction for every known test pair; NaN for cold ones (which are left out). */
    private static double[] predictions(TestRatings test, Model m) {
        double[] p = new double[test.size()];
        for (int e = 0; e < p.length; e++) {
            p[e] = test.cold(e) ? Double.NaN : m.predictIndex(test.user(e), test.item(e));
        }
        return p;
    }

    /** MLlib's predictions (its float, widened) by test entry, through {@code transform} with cold start "drop". */
    private static double[] mllibPredictions(SparkSession session, Ratings train, TestRatings test,
                                             Dataset<Row> trainFrame, int rank, int iterations, int blocks) {
        ALSModel model = mllibAls(rank, iterations, blocks).fit(trainFrame);
        // Test pairs by their ids; a cold pair's unknown side gets an id no training rating has (-1).
        StructType schema = new StructType().add("entry", DataTypes.IntegerType).add("user", DataTypes.IntegerType)
                .add("item", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>(test.size());
        for (int e = 0; e < test.size(); e++) {
            int u = test.user(e) < 0 ? -1 : Math.toIntExact(train.userIds().numericIdAt(test.user(e)));
            int i = test.item(e) < 0 ? -1 : Math.toIntExact(train.itemIds().numericIdAt(test.item(e)));
            rows.add(RowFactory.create(e, u, i));
        }
        List<Row> out = model.transform(session.createDataFrame(rows, schema)).select("entry", "prediction")
                .collectAsList();
        double[] p = new double[test.size()];
        Arrays.fill(p, Double.NaN);
        for (Row r : out) {
            p[r.getInt(0)] = r.getFloat(1);
        }
        int known = test.size() - test.coldCount();
        if (out.size() != known) {
            throw new IllegalStateException("MLlib predicted " + out.size() + " test pairs, but " + known
                    + " are known to the training set");
        }
        model.userFactors().unpersist();
        model.itemFactors().unpersist();
        return p;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    // ---------------------------------------------------------------- plumbing

    /** The 1-, 5- and 15-minute load averages, as {@code uptime} prints them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs but got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("expected --name value pairs but " + args[args.length - 1]
                    + " has no value");
        }
        return m;
    }

    /** A local session on 127.0.0.1, UI off, logging at WARN, checkpointing under {@code checkpoints}. */
    private static SparkSession localSession(int threads, Path checkpoints) {
        SparkSession session = SparkSession.builder().appName("als-spark-engine-peer").master("local[" + threads + "]")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .config("spark.local.dir", checkpoints.resolve("spark-local").toString())
                .getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        session.sparkContext().setCheckpointDir(checkpoints.resolve("checkpoints").toString());
        return session;
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
