package io.als.bench.spark;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Ratings;
import io.als.api.SolverRegistry;
import io.als.bench.FitBench;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark MLlib's ALS and ours, on the same ratings, in the same run: the only honest way to
 * state a ratio between the two. For each side it times whole fits of {@code n1} and
 * {@code n2} iterations (after a warm-up fit of each) and reports the marginal time per
 * iteration {@code (t(n2) - t(n1)) / (n2 - n1)}, which leaves out the fixed cost of a fit
 * (Spark's job set-up, our data preparation); the medians of {@code --fits} fits are used.
 *
 * <pre>
 * java $SPARK_OPTS -Xmx8g -cp 'als-bench-spark/target/als-bench-spark.jar:als-bench-spark/target/lib/*' \
 *     io.als.bench.spark.SparkPeer --data ml-1m --rank 10 --iterations 10,40 --fits 3 --threads 2 \
 *     [--solver java] [--als ./als --als-data FILE [--als-solver NAME]]
 * </pre>
 *
 * Both sides fit the same objective: squared error over the observed ratings plus
 * {@code lambda * n_r * ||x_r||^2} per row, which is Spark's ALS-WR scaling of its
 * {@code regParam} and our {@code weighted} regulariser, with lambda 0.1 (both defaults).
 * Spark runs in {@code local[threads]} mode on 127.0.0.1 with the UI off and a checkpoint
 * directory, so that its checkpoints (every 10 iterations) keep long lineages from
 * overflowing the stack. {@code --als} also times the {@code ./als train} command itself on
 * {@code --als-data} (a whole command: JVM start, loading, fit, saving), marginal per
 * iteration as above, with the command's default backend or {@code --als-solver}: medians
 * of {@code --als-runs} rounds (default 9) that run every iteration count in turn, from the
 * whole commands' wall times and from the fit times the commands report ({@code train_seconds}
 * of {@code --json}), each run's figures printed.
 */
public final class SparkPeer {
    private SparkPeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String data = a.getOrDefault("data", "ml-1m");
        int rank = Integer.parseInt(a.getOrDefault("rank", "10"));
        int[] its = Arrays.stream(a.getOrDefault("iterations", "10,40").split(",")).mapToInt(Integer::parseInt).toArray();
        int fits = Integer.parseInt(a.getOrDefault("fits", "3"));
        alsRuns(a); // refused before any fit runs
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        String solverName = a.getOrDefault("solver", AlsConfig.Defaults.SOLVER);
        double lambda = 0.1;
        if (a.containsKey("implicit")) {
            implicit(a, rank, its, fits, threads, lambda);
            return;
        }

        Ratings ratings = FitBench.load(data);
        System.out.printf(Locale.ROOT, "# SparkPeer: %s, %d ratings, %d users, %d items; rank %d, lambda %s (ALS-WR),"
                        + " %d thread(s), fits of %s iterations, median of %d after a warm-up%n", data, ratings.size(),
                ratings.numUsers(), ratings.numItems(), rank, lambda, threads, Arrays.toString(its), fits);

        Solver solver = SolverRegistry.discover().get(solverName);
        double[] ours = new double[its.length];
        for (int i = 0; i < its.length; i++) {
            AlsConfig config = AlsConfig.plain().rank(rank).iterations(its[i]).threads(threads).lambda(lambda).build();
            ours[i] = medianSeconds(fits, () -> new AlternatingLeastSquares(config, solver).fit(ratings, FitListener.NONE));
        }

        double[] spark = mllibSeconds(ratings, its, fits, threads, n -> mllib(rank, n, lambda));

        System.out.println();
        System.out.println("| fit | iterations | ours (" + solver.name() + ") s | Spark MLlib s |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < its.length; i++) {
            System.out.printf(Locale.ROOT, "| whole fit, in this JVM | %d | %.3f | %.3f |%n", its[i], ours[i], spark[i]);
        }
        int last = its.length - 1;
        double oursPer = (ours[last] - ours[0]) / (its[last] - its[0]);
        double sparkPer = (spark[last] - spark[0]) / (its[last] - its[0]);
        System.out.printf(Locale.ROOT, "| marginal per iteration (warm) | %d..%d | %.4f | %.4f |%n", its[0], its[last],
                oursPer, sparkPer);
        System.out.printf(Locale.ROOT, "# Spark MLlib / ours, per warm iteration: %.1fx%n", sparkPer / oursPer);

        if (a.containsKey("als")) {
            String file = a.getOrDefault("als-data", "../shared/data/movielens/ml-1m/derived/ratings_no_timestamp_itemindex.dat");
            // Each iteration count's command once to warm the file cache, then --als-runs rounds of
            // all of them in turn, so that a slow spell of the machine falls on every count alike:
            // a whole command varies by 0.1-0.3 s between runs here, as much as 30 iterations take.
            int runs = alsRuns(a);
            List<List<String>> cmds = new ArrayList<>();
            for (int i = 0; i < its.length; i++) {
                // Plain ALS as Spark fits it, not the command's sampled defaults.
                List<String> args0 = new java.util.ArrayList<>(List.of(a.get("als"), "train", "--data", file, "--rank", Integer.toString(rank),
                        "--iterations", Integer.toString(its[i]), "--threads", Integer.toString(threads),
                        "--biased", "false", "--samples", "0", "--regularizer", "weighted", "--lambda",
                        Double.toString(lambda),
                        "--out", Files.createTempDirectory("als-peer").resolve("m.als").toString(), "--quiet",
                        "--json"));
                if (a.containsKey("als-solver")) {
                    args0.addAll(List.of("--solver", a.get("als-solver")));
                }
                cmds.add(List.copyOf(args0));
                run(cmds.get(i));
            }
            double[][] whole = new double[its.length][runs];
            double[][] fit = new double[its.length][runs];
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < its.length; i++) {
                    long t0 = System.nanoTime();
                    String json = run(cmds.get(i));
                    whole[i][r] = (System.nanoTime() - t0) / 1e9;
                    fit[i][r] = jsonNumber(json, "train_seconds");
                }
            }
            double[] command = new double[its.length];
            double[] fitOnly = new double[its.length];
            for (int i = 0; i < its.length; i++) {
                System.out.printf(Locale.ROOT, "# ./als train, %d iterations, whole command s: %s; its fit s: %s%n",
                        its[i], Arrays.toString(round(whole[i])), Arrays.toString(round(fit[i])));
                command[i] = median(whole[i]);
                fitOnly[i] = median(fit[i]);
            }
            double commandPer = (command[last] - command[0]) / (its[last] - its[0]);
            double fitPer = (fitOnly[last] - fitOnly[0]) / (its[last] - its[0]);
            for (int i = 0; i < its.length; i++) {
                System.out.printf(Locale.ROOT, "| ./als train (whole command, %s, median of %d), %s | %d | %.3f | |%n",
                        a.containsKey("als-solver") ? "--solver " + a.get("als-solver") : "default backend", runs, file,
                        its[i], command[i]);
            }
            System.out.printf(Locale.ROOT, "| ./als train, marginal per iteration (whole commands) | %d..%d | %.4f | |%n",
                    its[0], its[last], commandPer);
            System.out.printf(Locale.ROOT, "| ./als train, marginal per iteration (the commands' own fit times,"
                    + " train_seconds) | %d..%d | %.4f | |%n", its[0], its[last], fitPer);
            System.out.printf(Locale.ROOT, "# Spark MLlib (per warm iteration) / ./als train (marginal per iteration):"
                    + " %.1fx from whole commands, %.1fx from their fit times%n", sparkPer / commandPer,
                    sparkPer / fitPer);
        }
    }

    /**
     * The implicit-feedback comparison ({@code --implicit both}, or a list of {@code cholesky}, {@code cg} and
     * {@code cg-float}): Spark MLlib's
     * {@code ALS} with {@code implicitPrefs} against ours with {@code implicit true}, on the same
     * data ({@code --data}, default {@code ml-1m-pos}: the ratings of 4 and 5 of MovieLens 1M,
     * their values as counts). Both fit Hu, Koren and Volinsky's objective with confidence
     * {@code c = 1 + alpha r} ({@code --alpha}, default 1, Spark's default), weight 1 on the
     * unobserved cells and the penalty {@code lambda n_r ||x_r||^2} (Spark scales
     * {@code regParam} by the row's count in implicit mode too; our {@code weighted} penalty).
     * Spark solves every row exactly (Cholesky); ours is timed with Cholesky and with
     * conjugate gradient ({@code --cg-steps}, default 3). Whole fits of each iteration count,
     * median of {@code --fits} after a warm-up, and the ratios.
     */
    private static void implicit(Map<String, String> a, int rank, int[] its, int fits, int threads, double lambda)
            throws Exception {
        String data = a.getOrDefault("data", "ml-1m-pos");
        double alpha = Double.parseDouble(a.getOrDefault("alpha", "1"));
        int cgSteps = Integer.parseInt(a.getOrDefault("cg-steps", "3"));
        String mode = a.get("implicit");
        List<String> solvers = List.of(a.getOrDefault("solver", "java,vector").split(","));
        Ratings ratings = io.als.bench.ImplicitBench.load(data);
        System.out.printf(Locale.ROOT, "# SparkPeer implicit: %s, %d positives, %d users, %d items; rank %d, alpha %s,"
                        + " lambda %s (times the row's count), %d thread(s), fits of %s iterations, median of %d after a"
                        + " warm-up; load average %.2f%n", data, ratings.size(), ratings.numUsers(), ratings.numItems(),
                rank, alpha, lambda, threads, Arrays.toString(its), fits, loadAverage());
        List<String> rows = new ArrayList<>();
        List<double[]> times = new ArrayList<>();
        for (String name : solvers) {
            Solver solver = SolverRegistry.discover().get(name.trim());
            for (String solve : mode.equals("both") ? List.of("cholesky", "cg") : List.of(mode.split(","))) {
                io.als.api.ImplicitFeedback.RowSolve rowSolve = io.als.api.ImplicitFeedback.RowSolve.parse(solve);
                double[] t = new double[its.length];
                for (int i = 0; i < its.length; i++) {
                    AlsConfig config = AlsConfig.builder().implicit(true).alpha(alpha).unobservedWeight(1)
                            .confidence(io.als.api.ImplicitFeedback.Confidence.LINEAR).regularizer("weighted")
                            .lambda(lambda).rank(rank).iterations(its[i]).threads(threads).seed(42L)
                            .rowSolve(rowSolve)
                            .cgSteps(cgSteps).build();
                    t[i] = medianSeconds(fits, () -> new AlternatingLeastSquares(config, solver).fit(ratings,
                            FitListener.NONE));
                }
                rows.add("ours, " + solver.name() + ", " + (rowSolve.isCg() ? rowSolve.label() + " " + cgSteps + " steps"
                        : "Cholesky"));
                times.add(t);
                System.out.printf(Locale.ROOT, "# %s: %s s (load average %.2f)%n", rows.get(rows.size() - 1),
                        Arrays.toString(t), loadAverage());
            }
        }
        double[] spark = mllibSeconds(ratings, its, fits, threads,
                n -> mllib(rank, n, lambda).setImplicitPrefs(true).setAlpha(alpha));
        System.out.printf(Locale.ROOT, "# Spark MLlib: %s s (load average %.2f)%n", Arrays.toString(spark), loadAverage());
        System.out.println();
        StringBuilder head = new StringBuilder("| fit (whole, in this JVM) |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int n : its) {
            head.append(" ").append(n).append(" iterations s | Spark / ours |");
            rule.append("---|---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("| " + rows.get(r) + " |");
            for (int i = 0; i < its.length; i++) {
                line.append(String.format(Locale.ROOT, " %.3f | %.1fx |", times.get(r)[i], spark[i] / times.get(r)[i]));
            }
            System.out.println(line);
        }
        StringBuilder line = new StringBuilder("| Spark MLlib ALS, implicitPrefs, local[" + threads + "] |");
        for (int i = 0; i < its.length; i++) {
            line.append(String.format(Locale.ROOT, " %.3f | 1.0x |", spark[i]));
        }
        System.out.println(line);
    }

    /** Spark MLlib's ALS with these settings, on the columns {@link #toFrame} makes. */
    private static ALS mllib(int rank, int iterations, double lambda) {
        return new ALS().setRank(rank).setMaxIter(iterations).setRegParam(lambda).setSeed(42L)
                .setUserCol("user").setItemCol("item").setRatingCol("rating").setCheckpointInterval(10);
    }

    /**
     * The median seconds of {@code fits} fits of Spark MLlib's ALS for each iteration count, in a
     * {@code local[threads]} session started (and stopped) here.
     */
    private static double[] mllibSeconds(Ratings ratings, int[] its, int fits, int threads,
                                         java.util.function.IntFunction<ALS> als) throws IOException {
        double[] spark = new double[its.length];
        Path checkpoints = Files.createTempDirectory("spark-peer-checkpoints");
        SparkSession session = localSession(threads, checkpoints);
        try {
            Dataset<Row> frame = toFrame(session, ratings).localCheckpoint(true);
            for (int i = 0; i < its.length; i++) {
                ALS fit = als.apply(its[i]);
                spark[i] = medianSeconds(fits, () -> fit.fit(frame));
            }
        } finally {
            session.stop();
        }
        return spark;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The ratings as a DataFrame of (user int, item int, rating float) with dense indices. */
    private static Dataset<Row> toFrame(SparkSession session, Ratings ratings) {
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.FloatType);
        SparseView v = ratings.byUser();
        List<Row> rows = new ArrayList<>(v.nnz());
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                rows.add(RowFactory.create(u, v.index(e), (float) v.value(e)));
            }
        }
        return session.createDataFrame(rows, schema);
    }

    /** Runs a command to its end; returns its standard output. */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code --als-runs}, at least 1 (default 9). */
    private static int alsRuns(Map<String, String> a) {
        int runs = Integer.parseInt(a.getOrDefault("als-runs", "9"));
        if (runs < 1) {
            throw new IllegalArgumentException("--als-runs must be at least 1 but was " + runs);
        }
        return runs;
    }

    /** The number after {@code "key":} in a JSON object's text. */
    private static double jsonNumber(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in the command's JSON: " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] round(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.round(values[i] * 1000) / 1000.0;
        }
        return out;
    }

    /** One warm-up run, then the median wall time of {@code fits} runs. */
    private static double medianSeconds(int fits, Runnable work) {
        work.run();
        double[] s = new double[fits];
        for (int f = 0; f < fits; f++) {
            long t0 = System.nanoTime();
            work.run();
            s[f] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return s[fits / 2];
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs but got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    /** A local Spark session on loopback with {@code threads} threads, logging at WARN, checkpointing under {@code checkpoints}. */
    private static SparkSession localSession(int threads, Path checkpoints) {
        SparkSession session = SparkSession.builder().appName("als-spark-peer").master("local[" + threads + "]")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .getOrCreate();
        session.sparkContext().setLogLevel("WARN");
        session.sparkContext().setCheckpointDir(checkpoints.toString());
        return session;
    }
}
