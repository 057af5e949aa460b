package io.als.api;

import java.util.Arrays;

/**
 * A {@link LeastSquaresStep} that solves rows one at a time: it accumulates each row's
 * {@link NormalEquation} in pure Java and hands it to a backend {@link Kernel} to solve. A
 * backend that has a fast small dense solver only supplies the kernel; one that can batch
 * many rows (BLAS-3) implements {@link LeastSquaresStep} directly instead.
 *
 * <p>Rows are split into blocks and run on {@link RowParallel}, with one normal-equation
 * workspace and one kernel per worker, so nothing is allocated per row.
 */
public class RowwiseLeastSquaresStep implements LeastSquaresStep {

    /** Rows per block handed to a worker: small enough to balance skewed row lengths. */
    static final int BLOCK_ROWS = 64;

    /**
     * Solves one finished normal equation. One kernel serves one worker thread; it may keep
     * workspaces between calls.
     */
    public interface Kernel {
        /**
         * Solves {@code A x = b} for a symmetric {@code A}.
         *
         * @param a row-major {@code k x k}, symmetric. May be overwritten (the caller rebuilds it per row).
         * @param b length {@code k}. May be overwritten.
         * @param x receives the solution. Modified.
         * @return false when {@code A} is not numerically positive definite
         */
        boolean solve(double[] a, double[] b, double[] x);

        /**
         * Solves a finished normal equation. The default hands the dense symmetric copy
         * ({@link NormalEquation#ata()}) to {@link #solve(double[], double[], double[])}; a
         * kernel that works on the upper triangle rows ({@link NormalEquation#upperRows()})
         * overrides this to skip the copy.
         *
         * @param ne the finished equation; its arrays may be overwritten
         * @param x  receives the solution. Modified.
         * @return false when the matrix is not numerically positive definite
         */
        default boolean solve(NormalEquation ne, double[] x) {
            return solve(ne.ata(), ne.atb(), x);
        }
    }

    /** Makes one kernel per worker for a given rank. */
    @FunctionalInterface
    public interface KernelFactory {
        Kernel create(int rank);
    }

    private final int rank;
    private final RowParallel parallel;
    private final NormalEquation[] equations;
    private final Kernel[] kernels;
    private final double[][] solutions;

    public RowwiseLeastSquaresStep(int rank, int threads, KernelFactory kernels) {
        this.rank = Checks.positive("rank", rank);
        this.parallel = new RowParallel(threads);
        this.equations = new NormalEquation[threads];
        this.kernels = new Kernel[threads];
        this.solutions = new double[threads][rank];
        for (int w = 0; w < threads; w++) {
            equations[w] = new NormalEquation(rank);
            this.kernels[w] = kernels.create(rank);
        }
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, FactorMatrix target) {
        LeastSquaresStep.checkShapes(observed, fixed, target);
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed must have rank " + rank + " but had " + fixed.rank());
        }
        double[] out = target.data();
        parallel.run(observed.rows(), BLOCK_ROWS, (worker, from, to) -> {
            NormalEquation ne = equations[worker];
            Kernel kernel = kernels[worker];
            double[] x = solutions[worker];
            for (int r = from; r < to; r++) {
                int n = observed.count(r);
                if (n == 0) {
                    Arrays.fill(out, r * rank, (r + 1) * rank, 0);
                    continue;
                }
                double penalty = reg.penalty(n);
                if (penalty == 0 && n < rank) {
                    throw new SingularSystemException(r, rank, n, penalty);
                }
                ne.reset();
                ne.addRow(observed, r, fixed);
                ne.finish(penalty);
                if (!kernel.solve(ne, x)) {
                    throw new SingularSystemException(r, rank, n, penalty);
                }
                for (int c = 0; c < rank; c++) {
                    if (!Double.isFinite(x[c])) {
                        throw new SingularSystemException(r, rank, n, penalty);
                    }
                }
                System.arraycopy(x, 0, out, r * rank, rank);
            }
        });
    }

    @Override
    public void close() {
        parallel.close();
    }
}
