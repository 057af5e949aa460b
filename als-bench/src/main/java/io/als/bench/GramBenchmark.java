package io.als.bench;

import io.als.spi.FactorMatrix;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.SparseView;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ways to accumulate the normal equations of {@link #rows} rows (lengths from MovieLens 1M,
 * as in {@link StepBenchmark}), one thread, no solve. The evidence for the layout of
 * {@link NormalEquation}; see docs/design-notes.md.
 * <ul>
 *   <li>{@code flat1}: the first implementation: one flat row-major {@code k x k} array,
 *       rank-1 update of its upper triangle per rating, straight from the factor matrix.</li>
 *   <li>{@code rows1}: each factor row gathered into its own array, triangle rows as separate
 *       arrays, rank-1 updates.</li>
 *   <li>{@code flat4}: flat arrays again, four ratings per pass (rank-4 update).</li>
 *   <li>{@code production}: {@link NormalEquation#addRow} (separate arrays, rank-4).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GramBenchmark {
    @Param({"10", "32", "64", "128"})
    public int rank;

    @Param({"flat1", "rows1", "flat4", "production"})
    public String method;

    @Param({"512"})
    public int rows;

    private SparseView observed;
    private FactorMatrix fixed;
    private NormalEquation ne;
    private double[] flat;
    private double[] flatRhs;
    private double[][] upper;
    private double[] gathered;

    @Setup(Level.Trial)
    public void setUp() {
        observed = StepBenchmark.rows(rows, StepBenchmark.SEED);
        fixed = StepBenchmark.factors(StepBenchmark.FIXED_ROWS, rank, StepBenchmark.SEED + 1);
        ne = new NormalEquation(rank);
        flat = new double[rank * rank];
        flatRhs = new double[rank];
        upper = new double[rank][rank];
        gathered = new double[rank];
    }

    /** Accumulates every row's equation; returns one entry so the work cannot be dropped. */
    @Benchmark
    public double accumulate() {
        double sink = 0;
        for (int r = 0; r < rows; r++) {
            switch (method) {
                case "flat1" -> flat1(r);
                case "rows1" -> rows1(r);
                case "flat4" -> flat4(r);
                default -> {
                    ne.reset();
                    ne.addRow(observed, r, fixed);
                }
            }
            sink += method.equals("production") ? ne.upperRows()[0][rank - 1] : flat[rank - 1] + upper[0][rank - 1];
        }
        return sink;
    }

    private void flat1(int r) {
        int k = rank;
        double[] f = fixed.data();
        Arrays.fill(flat, 0);
        Arrays.fill(flatRhs, 0);
        for (int e = observed.start(r); e < observed.end(r); e++) {
            int off = observed.index(e) * k;
            double a = observed.value(e);
            for (int p = 0; p < k; p++) {
                double fp = f[off + p];
                flatRhs[p] += a * fp;
                int rowOff = p * k;
                for (int q = p; q < k; q++) {
                    flat[rowOff + q] += fp * f[off + q];
                }
            }
        }
    }

    private void rows1(int r) {
        int k = rank;
        double[] f = fixed.data();
        for (double[] row : upper) {
            Arrays.fill(row, 0);
        }
        Arrays.fill(flatRhs, 0);
        double[] g = gathered;
        for (int e = observed.start(r); e < observed.end(r); e++) {
            System.arraycopy(f, observed.index(e) * k, g, 0, k);
            double a = observed.value(e);
            for (int p = 0; p < k; p++) {
                double s = g[p];
                double[] row = upper[p];
                for (int q = p; q < k; q++) {
                    row[q] += s * g[q];
                }
            }
            for (int q = 0; q < k; q++) {
                flatRhs[q] += a * g[q];
            }
        }
    }

    private void flat4(int r) {
        int k = rank;
        double[] f = fixed.data();
        Arrays.fill(flat, 0);
        Arrays.fill(flatRhs, 0);
        int e = observed.start(r);
        int end = observed.end(r);
        for (; e + 4 <= end; e += 4) {
            int o0 = observed.index(e) * k;
            int o1 = observed.index(e + 1) * k;
            int o2 = observed.index(e + 2) * k;
            int o3 = observed.index(e + 3) * k;
            for (int p = 0; p < k; p++) {
                double s0 = f[o0 + p];
                double s1 = f[o1 + p];
                double s2 = f[o2 + p];
                double s3 = f[o3 + p];
                int rowOff = p * k;
                for (int q = p; q < k; q++) {
                    flat[rowOff + q] += s0 * f[o0 + q] + s1 * f[o1 + q] + s2 * f[o2 + q] + s3 * f[o3 + q];
                }
            }
        }
        for (; e < end; e++) {
            int off = observed.index(e) * k;
            for (int p = 0; p < k; p++) {
                double fp = f[off + p];
                int rowOff = p * k;
                for (int q = p; q < k; q++) {
                    flat[rowOff + q] += fp * f[off + q];
                }
            }
        }
    }

    /** Flops of one {@link #accumulate} call: the Gram part of {@link Flops#FORMULA}. */
    public static double flops(int rows, int rank) {
        SparseView v = StepBenchmark.rows(rows, StepBenchmark.SEED);
        return (double) v.nnz() * rank * (rank + 1);
    }
}
