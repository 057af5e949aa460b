package io.als.nd4j;

import io.als.api.DuplicatePolicy;
import io.als.spi.FactorMatrix;
import io.als.api.Initialization;
import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.NormalEquation;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.api.RatingsReader;
import io.als.ejml.EjmlSolver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Times one ALS half-step (items from users, and users from items) of the nd4j solver
 * against the ejml solver on the same data, in the same JVM, interleaved, with the same
 * thread count. Not a test (Surefire skips it by name); run it by hand, see docs/nd4j.md.
 *
 * <p>Arguments, all optional: {@code --data FILE} (default: ML-1M derived ratings, found
 * like the tests find it), {@code --ranks 10,32,64,128}, {@code --threads 2}, {@code --reps 5},
 * {@code --variants default|methods}, {@code --blas-threads N}. {@code methods} times both
 * Gram methods at every rank (rows go out in the toolkit's blocks of
 * {@code RowwiseLeastSquaresStep.BLOCK_ROWS}); {@code --blas-threads} overrides
 * the solver's one-thread OpenBLAS setting after the steps are made, to show what
 * oversubscription costs. {@code --breakdown true} instead splits one item half-step, on
 * one thread and in thread CPU time, into its parts: nd4j's gather, dsyrk and dposv (the
 * same calls {@link BlasRowSolver} makes), the API's Java {@link NormalEquation} accumulation
 * that the ejml solver uses, and the whole ejml step (whose remainder is its Cholesky).
 *
 * <p>Per rank: the user factors are the seeded random initialisation, the item factors the
 * solution from them (so both sides see realistic inputs); each solver then solves both
 * sides {@code reps} times after two warm-up rounds, and the median is reported. Effective
 * GFLOP/s counts, per row with {@code n} ratings, {@code n k (k+1)} for the Gram and
 * right-hand side, {@code k^3/3} for the Cholesky factor and {@code 2 k^2} for the two
 * triangular solves. The nd4j solutions are compared with ejml's as a check.
 *
 * <p>Besides wall time it records the process's CPU time per half-step: on a machine shared
 * with other work, wall time grows with the load while CPU time mostly does not, so the
 * CPU-time ratio is the steadier comparison. Both are printed.
 */
public final class HalfStepComparison {
    private static final double LAMBDA = 0.1;
    private static final long SEED = 42L;
    private static final int WARMUP_ROUNDS = 2;
    private static final int DGEMM_ORDER = 1000;

    private HalfStepComparison() {
    }

    public static void main(String[] args) {
        Map<String, String> opt = parse(args);
        Path data = opt.containsKey("data") ? Paths.get(opt.get("data")) : MovieLensFiles.require(MovieLensFiles.ML_1M);
        int[] ranks = Arrays.stream(opt.getOrDefault("ranks", "10,32,64,128").split(",")).mapToInt(Integer::parseInt).toArray();
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        int reps = Integer.parseInt(opt.getOrDefault("reps", "5"));
        String variants = opt.getOrDefault("variants", "default");
        int blasThreads = Integer.parseInt(opt.getOrDefault("blas-threads", String.valueOf(NativeRuntime.BLAS_THREADS)));

        long t0 = System.nanoTime();
        Ratings ratings = new RatingsReader(null, DuplicatePolicy.ERROR).read(data);
        System.out.printf(Locale.ROOT, "data %s: %d users, %d items, %d ratings (read in %.1f s)%n", data,
                ratings.numUsers(), ratings.numItems(), ratings.size(), (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "java %s, %d cores, threads %d, reps %d (median), lambda %s weighted, load average %.2f%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), threads, reps, LAMBDA,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long s0 = System.nanoTime();
        // Held open for the whole run: it loads the natives and keeps OpenBLAS at one thread
        // per call for the raw calls of the breakdown and the DGEMM below too.
        LeastSquaresStep holder = new Nd4jSolver().newStep(1, 1);
        System.out.printf(Locale.ROOT, "nd4j start-up (first step creation) %.0f ms; OpenBLAS threads per call %d, OPENBLAS_CORETYPE %s%n",
                (System.nanoTime() - s0) / 1e6, NativeRuntime.blasThreads(), System.getenv("OPENBLAS_CORETYPE"));
        double dgemm = dgemmGflops();
        System.out.printf(Locale.ROOT, "DGEMM n=%d, one OpenBLAS thread: %.1f GFLOP/s (x%d threads = %.1f)%n%n",
                DGEMM_ORDER, dgemm, threads, dgemm * threads);

        try {
            run(opt, ratings, ranks, threads, reps, variants, blasThreads);
        } finally {
            holder.close();
        }
    }

    private static void run(Map<String, String> opt, Ratings ratings, int[] ranks, int threads, int reps,
                            String variants, int blasThreads) {
        if (Boolean.parseBoolean(opt.getOrDefault("breakdown", "false"))) {
            System.out.println("| rank | nd4j gather ms | nd4j dsyrk ms (GFLOP/s) | nd4j dposv ms | Java NormalEquation ms (GFLOP/s)"
                    + " | ejml step ms | ejml solve ms (step - NormalEquation) |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int k : ranks) {
                breakdown(ratings, k, reps);
            }
            return;
        }
        System.out.println("| rank | solver | items ms | users ms | ms / half-step | vs ejml | GFLOP/s"
                + " | CPU ms / half-step | vs ejml (CPU) | GFLOP/s per CPU-second | max rel diff vs ejml |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int k : ranks) {
            Map<String, Solver> solvers = solversFor(variants, k);
            compare(ratings, k, threads, reps, solvers, blasThreads);
        }
        System.out.printf(Locale.ROOT, "%nload average at the end: %.2f (other processes share the cores)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Map<String, Solver> solversFor(String variants, int k) {
        Map<String, Solver> s = new LinkedHashMap<>();
        s.put("ejml", new EjmlSolver());
        switch (variants) {
            case "default" -> s.put("nd4j", new Nd4jSolver());
            case "methods" -> {
                s.put("nd4j syrk", new Nd4jSolver(GramMethod.BLAS_SYRK));
                s.put("nd4j java", new Nd4jSolver(GramMethod.JAVA_LOOP));
            }
            default -> throw new IllegalArgumentException("variants must be one of default, methods but was "
                    + variants);
        }
        return s;
    }

    private static void compare(Ratings ratings, int k, int threads, int reps, Map<String, Solver> solvers,
                                int blasThreads) {
        Regularizer reg = Regularizer.weighted(LAMBDA);
        SparseView byUser = ratings.byUser();
        SparseView byItem = ratings.byItem();
        FactorMatrix users = new FactorMatrix(ratings.numUsers(), k);
        Initialization.RANDOM.fill(users, SEED);
        FactorMatrix items = new FactorMatrix(ratings.numItems(), k);
        try (LeastSquaresStep s = new EjmlSolver().newStep(k, threads)) {
            s.solve(byItem, users, reg, items);
        }
        double flops = flops(byItem, k) + flops(byUser, k);

        List<String> names = new ArrayList<>(solvers.keySet());
        Map<String, LeastSquaresStep> steps = new LinkedHashMap<>();
        Map<String, FactorMatrix[]> outs = new LinkedHashMap<>();
        Map<String, long[][]> times = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>();
        for (String n : names) {
            steps.put(n, solvers.get(n).newStep(k, threads));
            outs.put(n, new FactorMatrix[] {new FactorMatrix(ratings.numItems(), k), new FactorMatrix(ratings.numUsers(), k)});
            times.put(n, new long[2][reps]);
            cpu.put(n, new long[reps]);
        }
        if (blasThreads != NativeRuntime.blasThreads()) {
            openblas.blas_set_num_threads(blasThreads);
            System.out.printf(Locale.ROOT, "(OpenBLAS threads per call overridden to %d)%n", NativeRuntime.blasThreads());
        }
        try {
            for (int round = -WARMUP_ROUNDS; round < reps; round++) {
                for (String n : names) {
                    LeastSquaresStep step = steps.get(n);
                    FactorMatrix[] o = outs.get(n);
                    long cpu0 = processCpuNanos();
                    long a = System.nanoTime();
                    step.solve(byItem, users, reg, o[0]);
                    long b = System.nanoTime();
                    step.solve(byUser, items, reg, o[1]);
                    long c = System.nanoTime();
                    long cpu1 = processCpuNanos();
                    if (round >= 0) {
                        times.get(n)[0][round] = b - a;
                        times.get(n)[1][round] = c - b;
                        cpu.get(n)[round] = (cpu1 - cpu0) / 2;
                    }
                }
            }
        } finally {
            steps.values().forEach(LeastSquaresStep::close);
        }
        double ejmlMean = Double.NaN;
        double ejmlCpu = Double.NaN;
        for (String n : names) {
            double itemsMs = median(times.get(n)[0]) / 1e6;
            double usersMs = median(times.get(n)[1]) / 1e6;
            double mean = (itemsMs + usersMs) / 2;
            double cpuMs = median(cpu.get(n)) / 1e6;
            if (n.equals("ejml")) {
                ejmlMean = mean;
                ejmlCpu = cpuMs;
            }
            double gflops = flops / ((itemsMs + usersMs) / 1e3) / 1e9;
            double gflopsCpu = flops / 2 / (cpuMs / 1e3) / 1e9;
            double diff = Math.max(relDiff(outs.get(n)[0], outs.get("ejml")[0]), relDiff(outs.get(n)[1], outs.get("ejml")[1]));
            System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f | %.2fx | %.1f | %.1f | %.2fx | %.1f | %.1e |%n",
                    k, n, itemsMs, usersMs, mean, ejmlMean / mean, gflops, cpuMs, ejmlCpu / cpuMs, gflopsCpu, diff);
        }
    }

    /**
     * CPU time of all live threads of this JVM, in nanoseconds. Summed per thread because
     * the process-wide counter only ticks in 10 ms steps; a thread that ends in between is
     * lost, but the workers of a step live as long as the step.
     */
    private static long processCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    /** Thread CPU time of the item half-step's parts on one thread (medians over {@code reps}). */
    private static void breakdown(Ratings ratings, int k, int reps) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SparseView v = ratings.byItem();
        FactorMatrix users = new FactorMatrix(ratings.numUsers(), k);
        Initialization.RANDOM.fill(users, SEED);
        double[] f = users.data();
        int ld = k + 1;
        int longest = 0;
        for (int r = 0; r < v.rows(); r++) {
            longest = Math.max(longest, v.count(r));
        }
        Regularizer reg = Regularizer.weighted(LAMBDA);
        long[][] t = new long[5][reps];
        try (OffHeapArray gather = new OffHeapArray(longest * ld);
             OffHeapArray system = new OffHeapArray(ld * ld);
             LeastSquaresStep ejml = new EjmlSolver().newStep(k, 1)) {
            DoubleBuffer g = gather.buffer();
            DoubleBuffer c = system.buffer();
            DoublePointer gp = gather.pointer(0);
            DoublePointer cp = system.pointer(0);
            DoublePointer rhs = system.pointer((long) k * ld);
            NormalEquation ne = new NormalEquation(k);
            FactorMatrix out = new FactorMatrix(v.rows(), k);
            for (int round = -WARMUP_ROUNDS; round < reps; round++) {
                long gatherNs = 0;
                long syrkNs = 0;
                long posvNs = 0;
                for (int r = 0; r < v.rows(); r++) {
                    int n = v.count(r);
                    long t0 = mx.getCurrentThreadCpuTime();
                    int at = 0;
                    for (int e = v.start(r); e < v.end(r); e++) {
                        g.put(at, f, v.index(e) * k, k);
                        g.put(at + k, v.value(e));
                        at += ld;
                    }
                    long t1 = mx.getCurrentThreadCpuTime();
                    openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans,
                            ld, n, 1.0, gp, ld, 0.0, cp, ld);
                    for (int p = 0; p < k; p++) {
                        c.put(p * ld + p, c.get(p * ld + p) + reg.penalty(n));
                    }
                    long t2 = mx.getCurrentThreadCpuTime();
                    openblas.LAPACKE_dposv_work(openblas.LAPACK_COL_MAJOR, (byte) 'U', k, 1, cp, ld, rhs, ld);
                    long t3 = mx.getCurrentThreadCpuTime();
                    gatherNs += t1 - t0;
                    syrkNs += t2 - t1;
                    posvNs += t3 - t2;
                }
                long t4 = mx.getCurrentThreadCpuTime();
                for (int r = 0; r < v.rows(); r++) {
                    ne.reset();
                    ne.addRow(v, r, users);
                    ne.finish(reg.penalty(v.count(r)));
                }
                long t5 = mx.getCurrentThreadCpuTime();
                ejml.solve(v, users, reg, out);
                long t6 = mx.getCurrentThreadCpuTime();
                if (round >= 0) {
                    t[0][round] = gatherNs;
                    t[1][round] = syrkNs;
                    t[2][round] = posvNs;
                    t[3][round] = t5 - t4;
                    t[4][round] = t6 - t5;
                }
            }
        }
        double gramFlops = (double) v.nnz() * k * (k + 1);
        double gatherMs = median(t[0]) / 1e6;
        double syrkMs = median(t[1]) / 1e6;
        double neMs = median(t[3]) / 1e6;
        double ejmlMs = median(t[4]) / 1e6;
        System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f (%.1f) | %.0f | %.0f (%.1f) | %.0f | %.0f |%n", k, gatherMs,
                syrkMs, gramFlops / syrkMs / 1e6, median(t[2]) / 1e6, neMs, gramFlops / neMs / 1e6, ejmlMs, ejmlMs - neMs);
    }

    /** Sum over non-empty rows of n k (k+1) + k^3/3 + 2 k^2. */
    static double flops(SparseView v, int k) {
        double f = 0;
        for (int r = 0; r < v.rows(); r++) {
            int n = v.count(r);
            if (n > 0) {
                f += (double) n * k * (k + 1) + k * (double) k * k / 3 + 2.0 * k * k;
            }
        }
        return f;
    }

    /** max |a - b| / max |b|. */
    static double relDiff(FactorMatrix a, FactorMatrix b) {
        double d = 0;
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            d = Math.max(d, Math.abs(a.data()[i] - b.data()[i]));
            m = Math.max(m, Math.abs(b.data()[i]));
        }
        return d / m;
    }

    private static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    /** Single-threaded DGEMM rate of the bundled OpenBLAS, the ceiling for one worker. */
    private static double dgemmGflops() {
        int n = DGEMM_ORDER;
        try (DoublePointer a = new DoublePointer((long) n * n);
             DoublePointer b = new DoublePointer((long) n * n);
             DoublePointer c = new DoublePointer((long) n * n)) {
            for (long i = 0; i < (long) n * n; i++) {
                a.put(i, (i % 7) * 0.1);
                b.put(i, (i % 5) * 0.2);
            }
            double best = 0;
            for (int rep = 0; rep < 5; rep++) {
                long t = System.nanoTime();
                openblas.cblas_dgemm(openblas.CblasColMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                        n, n, n, 1.0, a, n, b, n, 0.0, c, n);
                double s = (System.nanoTime() - t) / 1e9;
                best = Math.max(best, 2.0 * n * n * n / s / 1e9);
            }
            return best;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments must be --name value pairs but got " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
