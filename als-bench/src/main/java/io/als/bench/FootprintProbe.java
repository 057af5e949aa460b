package io.als.bench;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.api.Ratings;
import io.als.spi.rowwise.Prefetch;
import io.als.api.Regularizer;
import io.als.spi.rowwise.RowParallel;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.api.SolverRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Splits the cost of a large half-step into arithmetic and memory. The same half-step is run
 * twice per round: against the real fixed factor matrix (for synthetic 25M, 150,968 user
 * rows of 80 bytes at rank 10, 12 MB, far beyond a core's 1 MB L2), and against a
 * <em>folded</em> one with as many rows as the 1M data set's users (6,039, 0.48 MB, as at
 * 1M). Both have the same rows, row lengths and ratings; the folded copy only draws its
 * columns (seeded, sorted, distinct) from the small matrix. So the flops and the code are the
 * same, and the difference in time is what it costs to bring the factor rows in from beyond
 * the L2. Rows longer than the folded matrix are cut to its size in both copies.
 *
 * <pre>
 *   java -Xmx8g --add-modules jdk.incubator.vector -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' \
 *       io.als.bench.FootprintProbe --data synthetic:25M --solvers ejml,nd4j,vector --rank 10 --threads 2 --rounds 7
 * </pre>
 * It reports nanoseconds of a core per rating (wall time x threads / ratings), median over
 * the rounds after the first, for both halves of an iteration. Beside them, {@code touch only}
 * times a pass that does nothing but {@link Prefetch#touch} every rating's row of the real
 * matrix, in the same row order, on as many threads: what the memory system needs to deliver
 * the rows when the loads come back to back, with no arithmetic between them.
 */
public final class FootprintProbe {
    private static final long SYNTHETIC_SEED = 7L;
    private static final long FOLD_SEED = 20261127L;
    /** Users of synthetic:1M (docs/benchmarks.md, "Scaling"). */
    private static final int DEFAULT_FOLD = 6_039;
    /** Keeps the touch-only pass's loads alive. */
    private static volatile double sink;

    private FootprintProbe() {
    }

    public static void main(String[] argv) {
        Map<String, String> a = FitBench.parse(argv);
        String spec = a.getOrDefault("data", "synthetic:25M");
        List<String> solvers = List.of(a.getOrDefault("solvers", "java,ejml,nd4j").split(","));
        int rank = Integer.parseInt(a.getOrDefault("rank", "10"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "7"));
        int fold = Integer.parseInt(a.getOrDefault("fold", String.valueOf(DEFAULT_FOLD)));
        if (rounds < 2) {
            throw new IllegalArgumentException("rounds must be at least 2 (the first is a warm-up) but was " + rounds);
        }

        Ratings ratings = FitBench.load(spec);
        SolverRegistry registry = SolverRegistry.discover();
        Regularizer reg = Regularizer.weighted(0.05);
        System.out.printf(Locale.ROOT, "# FootprintProbe: %s, rank %d, %d thread(s), %d rounds (first dropped), folded"
                        + " matrix %d rows (%.2f MB); load average %.2f%n", spec, rank, threads, rounds, fold,
                fold * rank * 8e-6, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<String> table = new ArrayList<>();
        table.add("| half-step | solver | ratings | real fixed rows | real MB | ns/rating real | ns/rating folded"
                + " | real / folded | real - folded | min-max real | min-max folded | touch only |");
        table.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        for (String half : List.of("items", "users")) {
            SparseView full = half.equals("items") ? ratings.byItem() : ratings.byUser();
            SparseView real = capped(full, fold);
            SparseView folded = folded(real, fold, new SplittableRandom(FOLD_SEED));
            System.out.printf(Locale.ROOT, "# %s half-step: %d rows, %d of %d ratings kept (rows cut to %d)%n", half,
                    real.rows(), real.nnz(), full.nnz(), fold);
            FactorMatrix realFixed = random(real.cols(), rank, 1);
            FactorMatrix foldedFixed = random(fold, rank, 2);
            FactorMatrix target = new FactorMatrix(real.rows(), rank);
            double[] touchNs = new double[rounds - 1];
            try (RowParallel parallel = new RowParallel(threads)) {
                for (int r = 0; r < rounds; r++) {
                    double t = touchOnly(parallel, real, realFixed, threads);
                    if (r > 0) {
                        touchNs[r - 1] = t;
                    }
                }
            }
            double touch = Stats.median(touchNs);
            for (String name : solvers) {
                Solver solver = registry.get(name);
                double[] realNs = new double[rounds - 1];
                double[] foldedNs = new double[rounds - 1];
                try (LeastSquaresStep step = solver.newStep(rank, threads)) {
                    for (int r = 0; r < rounds; r++) {
                        double tr = time(step, real, realFixed, reg, target, threads);
                        double tf = time(step, folded, foldedFixed, reg, target, threads);
                        if (r > 0) {
                            realNs[r - 1] = tr;
                            foldedNs[r - 1] = tf;
                        }
                    }
                }
                double mr = Stats.median(realNs);
                double mf = Stats.median(foldedNs);
                String row = String.format(Locale.ROOT,
                        "| %s | %s | %d | %d | %.1f | %.1f | %.1f | %.2f | %.1f | %.1f-%.1f | %.1f-%.1f | %.1f |",
                        half, name, real.nnz(), real.cols(), real.cols() * rank * 8e-6, mr, mf, mr / mf, mr - mf,
                        Stats.min(realNs), Stats.max(realNs), Stats.min(foldedNs), Stats.max(foldedNs), touch);
                System.out.println(row);
                table.add(row);
            }
        }
        System.out.printf(Locale.ROOT, "# load average at the end %.2f%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        table.forEach(System.out::println);
    }

    /** Nanoseconds of a core per rating for one half-step. */
    private static double time(LeastSquaresStep step, SparseView observed, FactorMatrix fixed, Regularizer reg,
                               FactorMatrix target, int threads) {
        long t0 = System.nanoTime();
        step.solve(observed, fixed, reg, target);
        return (double) (System.nanoTime() - t0) * threads / observed.nnz();
    }

    /** Nanoseconds of a core per rating to touch every rating's fixed row, nothing else. */
    private static double touchOnly(RowParallel parallel, SparseView observed, FactorMatrix fixed, int threads) {
        double[] sums = new double[threads];
        long t0 = System.nanoTime();
        parallel.run(observed.rows(), RowwiseLeastSquaresStep.BLOCK_ROWS, (worker, from, to) ->
                sums[worker] += Prefetch.touch(observed, fixed.data(), fixed.rank(), observed.start(from), observed.end(to - 1)));
        double ns = (double) (System.nanoTime() - t0) * threads / observed.nnz();
        sink += Arrays.stream(sums).sum();
        return ns;
    }

    /** {@code m} with each row cut to its first {@code max} entries. */
    static SparseView capped(SparseView m, int max) {
        int[] ptr = new int[m.rows() + 1];
        for (int r = 0; r < m.rows(); r++) {
            ptr[r + 1] = ptr[r] + Math.min(m.count(r), max);
        }
        int[] idx = new int[ptr[m.rows()]];
        double[] val = new double[idx.length];
        for (int r = 0; r < m.rows(); r++) {
            for (int j = 0, e = m.start(r); j < ptr[r + 1] - ptr[r]; j++, e++) {
                idx[ptr[r] + j] = m.index(e);
                val[ptr[r] + j] = m.value(e);
            }
        }
        return SparseView.copyOf(m.rows(), m.cols(), ptr, idx, val);
    }

    /**
     * The same rows, row lengths and values as {@code m} (whose rows are at most {@code cols}
     * long), with each row's columns a uniform random set of distinct columns of
     * {@code [0, cols)} (Floyd's sampling), sorted.
     */
    static SparseView folded(SparseView m, int cols, SplittableRandom random) {
        int[] ptr = new int[m.rows() + 1];
        int[] idx = new int[m.nnz()];
        double[] val = new double[m.nnz()];
        boolean[] taken = new boolean[cols];
        for (int r = 0; r < m.rows(); r++) {
            int from = m.start(r);
            int n = m.count(r);
            ptr[r + 1] = ptr[r] + n;
            int o = from;
            for (int j = cols - n; j < cols; j++) {
                int t = random.nextInt(j + 1);
                int pick = taken[t] ? j : t;
                taken[pick] = true;
                idx[o++] = pick;
            }
            Arrays.sort(idx, from, from + n);
            for (int e = from; e < from + n; e++) {
                taken[idx[e]] = false;
                val[e] = m.value(e);
            }
        }
        return SparseView.copyOf(m.rows(), cols, ptr, idx, val);
    }

    private static FactorMatrix random(int rows, int rank, long seed) {
        FactorMatrix f = new FactorMatrix(rows, rank);
        SplittableRandom random = new SplittableRandom(seed);
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextDouble() - 0.5;
        }
        return f;
    }
}
