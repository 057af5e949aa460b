package io.als.bench;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.Solver;
import io.als.api.SolverRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end benchmark: whole fits through {@link AlternatingLeastSquares}, as a user
 * runs them. For each data set, solver and rank it reports the median seconds per full
 * iteration (items then users, wall time between the ends of consecutive iterations, so
 * everything the driver does counts), the effective GFLOP/s by {@link Flops#FORMULA}, the
 * DGEMM GFLOP/s measured in the same JVM and the ratio, and a bound on the fit's peak heap
 * (see {@link HeapMeter}). Optionally it times a whole k-fold cross-validation.
 *
 * <pre>
 *   java -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' io.als.bench.FitBench \
 *       --data ml-1m --solvers ejml,nd4j --ranks 10,64 --threads 2 --iterations 10 --fits 3 --cv 5
 * </pre>
 * {@code --data} is {@code ml-1m} (one seeded 5-fold training split, 80%), {@code ml-1m-full},
 * a path to a {@code user::item::rating} file, or {@code synthetic:N} ({@link Datasets#synthetic});
 * several may be given, comma-separated. {@code --cv 5} adds a 5-fold cross-validation of
 * MovieLens 1M at {@code --cv-rank} (default 10), timed after the other fits (warm JIT), or
 * alone in a fresh JVM with {@code --fits 0} (cold). {@code --csv FILE} also writes the rows as CSV (for
 * {@link Plot}).
 */
public final class FitBench {
    private static final long SPLIT_SEED = 20240501L;
    private static final long SYNTHETIC_SEED = 7L;
    private static final int FOLDS = 5;
    private static final int DGEMM_N = 2000;

    private FitBench() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = parse(argv);
        List<String> datasets = List.of(a.getOrDefault("data", "ml-1m").split(","));
        List<String> solvers = a.containsKey("solvers") ? List.of(a.get("solvers").split(","))
                : new ArrayList<>(SolverRegistry.discover().names());
        int[] ranks = ints(a.getOrDefault("ranks", "10"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int iterations = Integer.parseInt(a.getOrDefault("iterations", "10"));
        int fits = Integer.parseInt(a.getOrDefault("fits", "3"));
        int cvFolds = Integer.parseInt(a.getOrDefault("cv", "0"));
        int cvRank = Integer.parseInt(a.getOrDefault("cv-rank", "10"));
        boolean dgemm = !a.containsKey("no-dgemm");
        Path csv = a.containsKey("csv") ? Path.of(a.get("csv")) : null;
        SolverRegistry registry = SolverRegistry.discover();
        List<String> csvLines = new ArrayList<>();
        csvLines.add("data,ratings,solver,rank,threads,seconds_per_iteration,min,max,flops_per_iteration,gflops,"
                + "dgemm_gflops,heap_bound_bytes,csr_csc_factor_bytes,cpu_seconds_per_iteration");

        System.out.printf(Locale.ROOT, "# FitBench: %d thread(s), %d iterations per fit, %d measured fit(s) after one"
                        + " warm-up; load average %.2f; %s%n", threads, iterations, fits,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Flops.FORMULA);
        double[] dgemmRate = new double[3];
        if (dgemm) {
            dgemmRate = measureDgemm();
        }

        List<String> table = new ArrayList<>();
        table.add("| data | ratings | solver | rank | threads | s/iteration (median) | min | max | CPU s/iteration |"
                + " GFLOP/s | % of DGEMM(" + threads + "t) | heap bound MB | CSR+CSC+factors MB | heap ratio |");
        table.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String spec : datasets) {
            HeapMeter.collect();
            long heapEmpty = HeapMeter.usedAfterGc();
            Ratings ratings = load(spec.trim());
            HeapMeter.collect();
            long heapWithData = HeapMeter.usedAfterGc();
            System.out.printf(Locale.ROOT, "# data %s: %d ratings, %d users, %d items; CSR+CSC %.1f MB;"
                            + " heap retained by the data %.1f MB%n", spec, ratings.size(), ratings.numUsers(),
                    ratings.numItems(), ratings.bytes() / 1e6, (heapWithData - heapEmpty) / 1e6);
            for (String name : solvers) {
                Solver solver = registry.get(name.trim());
                for (int rank : fits == 0 ? new int[0] : ranks) {
                    // Plain ALS (the per-iteration kernel being measured), not the sampled defaults.
                    AlsConfig config = AlsConfig.plain().rank(rank).iterations(iterations).threads(threads)
                            .build();
                    double flops = Flops.halfStep(ratings.byItem(), rank) + Flops.halfStep(ratings.byUser(), rank);
                    fit(ratings, config, solver, null); // warm-up: JIT, native libraries, page faults
                    List<Double> seconds = new ArrayList<>();
                    double[] cpu = new double[fits];
                    long heapBound = 0;
                    for (int f = 0; f < fits; f++) {
                        HeapMeter.collect();
                        long before = HeapMeter.usedAfterGc();
                        HeapMeter meter = new HeapMeter();
                        long cpu0 = processCpuNanos();
                        List<Double> its = fit(ratings, config, solver, meter);
                        cpu[f] = (processCpuNanos() - cpu0) / 1e9 / its.size();
                        seconds.addAll(its);
                        heapBound = Math.max(heapBound, before - heapEmpty + meter.allocated());
                    }
                    double cpuPerIteration = Stats.median(cpu);
                    double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
                    double median = Stats.median(s);
                    double gflops = flops / median / 1e9;
                    double factorBytes = ((double) ratings.numUsers() + ratings.numItems()) * rank * Double.BYTES;
                    double base = ratings.bytes() + factorBytes;
                    String dg = dgemm ? String.format(Locale.ROOT, "%.1f%%", 100 * gflops / dgemmRate[threads])
                            : "n/a";
                    String row = String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %.4f | %.4f | %.4f | %.4f"
                                    + " | %.2f | %s | %.1f | %.1f | %.2f |", spec, ratings.size(), solver.name(), rank,
                            threads, median, Stats.min(s), Stats.max(s), cpuPerIteration, gflops, dg, heapBound / 1e6,
                            base / 1e6, heapBound / base);
                    System.out.println(row);
                    table.add(row);
                    csvLines.add(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.6f,%.6f,%.6f,%.6e,%.3f,%.3f,%d,%.0f,%.6f",
                            spec, ratings.size(), solver.name(), rank, threads, median, Stats.min(s), Stats.max(s), flops,
                            gflops, dgemm ? dgemmRate[threads] : Double.NaN, heapBound, base, cpuPerIteration));
                }
                if (cvFolds > 0 && spec.startsWith("ml-1m")) {
                    crossValidate(solver, cvRank, threads, iterations, cvFolds, table);
                }
            }
        }
        if (dgemm) {
            double[] after = measureDgemm();
            System.out.printf(Locale.ROOT, "# DGEMM n=%d again at the end: %.1f GFLOP/s (1 thread), %.1f (2 threads)%n",
                    DGEMM_N, after[1], after[2]);
        }
        System.out.printf(Locale.ROOT, "# load average at the end %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println();
        table.forEach(System.out::println);
        if (csv != null) {
            Files.write(csv, csvLines);
        }
    }

    /**
     * CPU time of the whole process (every thread, JIT and GC included). Per iteration it
     * shows the work done whatever the load: with {@code t} threads and an idle machine,
     * wall time is about CPU time / {@code t}.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** DGEMM GFLOP/s on 1 and 2 OpenBLAS threads, at indices 1 and 2. */
    private static double[] measureDgemm() {
        double[] rate = new double[3];
        try (Dgemm d = new Dgemm(DGEMM_N, 1)) {
            rate[1] = d.gflops(1, 2, 7);
            rate[2] = d.gflops(2, 2, 7);
        }
        System.out.printf(Locale.ROOT, "# DGEMM n=%d (OpenBLAS via ND4J, median of 7): %.1f GFLOP/s on 1 thread,"
                + " %.1f on 2%n", DGEMM_N, rate[1], rate[2]);
        return rate;
    }

    /** Runs one fit and returns the wall seconds of each full iteration. */
    private static List<Double> fit(Ratings ratings, AlsConfig config, Solver solver, HeapMeter meter) {
        List<Double> seconds = new ArrayList<>();
        long[] last = {System.nanoTime()};
        // Timing only: like a user's fit without a progress display, it never reads the loss, so
        // the loss is not evaluated.
        FitListener listener = e -> {
            if (meter != null) {
                meter.sample();
            }
            if (e.side() == FitListener.Side.USERS) {
                long now = System.nanoTime();
                seconds.add((now - last[0]) / 1e9);
                last[0] = now;
            }
        };
        if (meter != null) {
            meter.start();
        }
        last[0] = System.nanoTime();
        new AlternatingLeastSquares(config, solver).fit(ratings, listener);
        if (meter != null) {
            meter.sample();
        }
        return seconds;
    }

    /** Times a k-fold cross-validation of ML-1M in this (cold) JVM and reports the held-out RMSE. */
    private static void crossValidate(Solver solver, int rank, int threads, int iterations, int folds,
                                      List<String> table) {
        Ratings all = Datasets.read(Path.of(Datasets.MOVIELENS_1M));
        AlsConfig config = AlsConfig.plain().rank(rank).iterations(iterations).threads(threads)
                .build();
        double fitting = 0;
        double sse = 0;
        long n = 0;
        for (int f = 0; f < folds; f++) {
            Datasets.Split split = Datasets.kFold(all, folds, f, SPLIT_SEED);
            long t0 = System.nanoTime();
            Model model = new AlternatingLeastSquares(config, solver).fit(split.train(), FitListener.NONE);
            fitting += (System.nanoTime() - t0) / 1e9;
            for (int t = 0; t < split.testSize(); t++) {
                double d = split.testValues()[t] - model.predictIndex(split.testUsers()[t], split.testItems()[t]);
                sse += d * d;
                n++;
            }
        }
        String row = String.format(Locale.ROOT, "| %d-fold CV of ml-1m | %s | rank %d | %d iterations | %d threads"
                        + " | fitting time %.3f s total | held-out RMSE %.4f |", folds, solver.name(), rank, iterations,
                threads, fitting, Math.sqrt(sse / n));
        System.out.println(row);
        table.add(row);
    }

    /** The data set a spec names: ml-1m (the seeded 80% training split), ml-1m-full, synthetic:N or a file. */
    public static Ratings load(String spec) {
        if (spec.equals("ml-1m")) {
            return Datasets.kFold(Datasets.read(Path.of(Datasets.MOVIELENS_1M)), FOLDS, 0, SPLIT_SEED).train();
        }
        if (spec.equals("ml-1m-full")) {
            return Datasets.read(Path.of(Datasets.MOVIELENS_1M));
        }
        if (spec.startsWith("synthetic:")) {
            return Datasets.synthetic(parseCount(spec.substring("synthetic:".length())), SYNTHETIC_SEED);
        }
        Path p = Path.of(spec);
        if (Files.exists(p)) {
            return Datasets.read(p);
        }
        throw new IllegalArgumentException("data must be ml-1m, ml-1m-full, synthetic:N or a file but was " + spec);
    }

    /** Parses 25000000, 25M or 250k. */
    static long parseCount(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long scale = t.endsWith("m") ? 1_000_000 : t.endsWith("k") ? 1_000 : 1;
        return Math.round(Double.parseDouble(scale == 1 ? t : t.substring(0, t.length() - 1)) * scale);
    }

    /** A comma-separated list of integers. */
    static int[] ints(String csv) {
        String[] parts = csv.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value but got " + argv[i]);
            }
            String key = argv[i].substring(2);
            boolean flag = i + 1 >= argv.length || argv[i + 1].startsWith("--");
            m.put(key, flag ? "true" : argv[++i]);
        }
        return m;
    }

    /**
     * A bound on the heap a fit needs beyond what was live before it: the bytes every thread
     * allocated during the fit (HotSpot's per-thread allocation counters, sampled at every
     * half-step while the solver's worker threads are alive, and once more at the end). The
     * peak live heap during the fit is at most the live heap before it plus this figure;
     * garbage that a collector has not reclaimed yet is not counted, since it does not limit
     * how small a heap the fit runs in.
     */
    static final class HeapMeter {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> startBytes = new HashMap<>();
        private final Map<Long, Long> lastBytes = new HashMap<>();

        void start() {
            long[] ids = THREADS.getAllThreadIds();
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                startBytes.put(ids[i], bytes[i]);
            }
            sample();
        }

        void sample() {
            long[] ids = THREADS.getAllThreadIds();
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    lastBytes.put(ids[i], bytes[i]);
                }
            }
        }

        long allocated() {
            long sum = 0;
            for (Map.Entry<Long, Long> e : lastBytes.entrySet()) {
                sum += e.getValue() - startBytes.getOrDefault(e.getKey(), 0L);
            }
            return sum;
        }

        static void collect() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
        }

        static long usedAfterGc() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }
}
