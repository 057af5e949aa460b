package io.als.nd4j;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.api.Regularizer;
import io.als.spi.rowwise.RowParallel;
import io.als.spi.SparseView;

/**
 * A {@link LeastSquaresStep} on OpenBLAS and LAPACK. For every row {@code r} it solves
 * <pre>
 *   (F_r^T F_r + lambda_r I) x_r = F_r^T a_r,   lambda_r = reg.penalty(n_r)
 * </pre>
 * by building the Gram matrix off-heap (BLAS-3 {@code dsyrk}, or a Java loop at small
 * ranks, see {@link GramMethod}) and factoring it with LAPACK's Cholesky ({@code dposv}).
 *
 * <p>Rows are handed out in blocks of {@code blockRows} by {@link RowParallel}; each worker
 * owns one {@link RowSolver} (its off-heap workspace), so nothing is allocated per row and
 * no ND4J op is ever issued (each costs tens of microseconds). BLAS itself runs on one
 * thread (see {@link NativeRuntime}); the workers are the only parallelism.
 *
 * <p>Determinism: a row's result depends only on its ratings and the fixed factors, and
 * every workspace has the same alignment, so results are bit-identical for every thread
 * count.
 */
final class BlasLeastSquaresStep implements LeastSquaresStep {
    private final int rank;
    private final int blockRows;
    private final GramMethod method;
    private final RowParallel parallel;
    private final RowSolver[] workers;
    private boolean closed;

    BlasLeastSquaresStep(int rank, int threads, int blockRows, GramMethod method) {
        this.rank = Checks.positive("rank", rank);
        this.blockRows = Checks.positive("blockRows", blockRows);
        this.method = method;
        this.parallel = new RowParallel(threads);
        this.workers = new RowSolver[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new RowSolver(rank, method);
        }
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target) {
        if (shared != null || observed.weighted()) {
            throw new UnsupportedOperationException("weights and a shared Gram term are not implemented yet");
        }
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        LeastSquaresStep.checkShapes(observed, fixed, target);
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed must have rank " + rank + " but had " + fixed.rank());
        }
        double[] out = target.data();
        parallel.run(observed.rows(), blockRows,
                (worker, from, to) -> workers[worker].solveRows(observed, fixed, reg, out, from, to));
    }

    GramMethod method() {
        return method;
    }

    int blockRows() {
        return blockRows;
    }

    RowSolver worker(int w) {
        return workers[w];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parallel.close();
        for (RowSolver w : workers) {
            w.close();
        }
    }
}
