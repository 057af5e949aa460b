package io.als.bench;

import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.api.SolverRegistry;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One implicit half-step on its own, on one thread, timed in the thread's CPU time so that the
 * figure says what the kernel costs whatever else the machine is running: for each backend
 * and rank, the user side and the item side of an implicit problem (weights {@code alpha r},
 * values {@code 1 + alpha r}, the Gram of the fixed side as shared term), by conjugate
 * gradient and by Cholesky. GFLOP/s count {@code (steps + 1) 4 k n + steps 2 k^2} per row of
 * {@code n} entries for CG (each pass over the entries a dot and an axpy, each step one
 * {@code G p}), and {@code n k^2 + k^3 / 3} for Cholesky.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' \
 *       io.als.bench.CgStepBench --data lastfm:0.1 --solvers java,vector --ranks 64 --repeats 5
 * </pre>
 * {@code --no-shared} leaves the shared term out (to see what it costs). {@code --solves} takes
 * {@code cg}, {@code cg-float} (the passes over the entries in single precision) and {@code cholesky}.
 */
public final class CgStepBench {
    private CgStepBench() {
    }

    public static void main(String[] argv) {
        Map<String, String> a = FitBench.parse(argv);
        Ratings ratings = ImplicitBench.load(a.getOrDefault("data", "lastfm:0.1"));
        String[] solvers = a.getOrDefault("solvers", "java,vector").split(",");
        String[] ranks = a.getOrDefault("ranks", "64").split(",");
        String[] solves = a.getOrDefault("solves", "cg,cholesky").split(",");
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "5"));
        int steps = Integer.parseInt(a.getOrDefault("cg-steps", "3"));
        double alpha = Double.parseDouble(a.getOrDefault("alpha", "1"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "# CgStepBench: %d users, %d items, %d entries; one thread, CPU time, median of %d;"
                        + " load average %.2f%n", ratings.numUsers(), ratings.numItems(), ratings.size(), repeats,
                ImplicitBench.load());
        SparseView[] views = {implicitView(ratings.byUser(), alpha), implicitView(ratings.byItem(), alpha)};
        String[] sides = {"users", "items"};
        SolverRegistry registry = SolverRegistry.discover();
        for (String name : solvers) {
            for (String rs : ranks) {
                int k = Integer.parseInt(rs.trim());
                FactorMatrix[] fixed = {factors(ratings.numItems(), k, 1), factors(ratings.numUsers(), k, 2)};
                for (String solve : solves) {
                    boolean cg = solve.trim().startsWith("cg");
                    boolean single = solve.trim().equals("cg-float");
                    try (LeastSquaresStep step = registry.get(name.trim()).newStep(k, 1)) {
                        for (int s = 0; s < 2; s++) {
                            SparseView v = views[s];
                            Gram g = a.containsKey("no-shared") ? null : step.gram(fixed[s]);
                            FactorMatrix target = factors(v.rows(), k, 3);
                            Regularizer reg = Regularizer.l2(0.1);
                            double[] cpu = new double[repeats];
                            for (int t = -1; t < repeats; t++) {
                                long c0 = threads.getCurrentThreadCpuTime();
                                if (cg) {
                                    step.solveConjugateGradient(v, fixed[s], reg, g, target, steps, single);
                                } else {
                                    step.solve(v, fixed[s], reg, g, target);
                                }
                                if (t >= 0) {
                                    cpu[t] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
                                }
                            }
                            double flops = cg ? (steps + 1) * 4.0 * k * v.nnz() + steps * 2.0 * k * k * v.rows()
                                    : (double) k * k * v.nnz() + k * k * (double) k / 3 * v.rows();
                            double median = Stats.median(cpu);
                            System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %.3f s CPU | %.2f GFLOP/s | load %.2f |%n",
                                    name.trim(), k, solve.trim(), sides[s], median, flops / median / 1e9,
                                    ImplicitBench.load());
                        }
                    }
                }
            }
        }
    }

    /** The implicit weighted view of {@link io.als.api.AlternatingLeastSquares}: weight alpha r, value 1 + alpha r. */
    static SparseView implicitView(SparseView v, double alpha) {
        double[] w = new double[v.nnz()];
        double[] val = new double[v.nnz()];
        for (int e = 0; e < w.length; e++) {
            w[e] = alpha * v.value(e);
            val[e] = 1 + w[e];
        }
        return v.withValues(val).withWeights(w);
    }

    static FactorMatrix factors(int rows, int k, long seed) {
        FactorMatrix f = new FactorMatrix(rows, k);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (rnd.nextDouble() - 0.5) * 0.2;
        }
        return f;
    }

}
