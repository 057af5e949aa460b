package io.als.nd4j;

import io.als.api.Regularizer;
import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LeastSquaresStep} on ND4J and the OpenBLAS and LAPACK it ships. For every row
 * {@code r} it solves
 * <pre>
 *   (G + F_r^T W_r F_r + lambda_r I) x_r = F_r^T v_r,   lambda_r = reg.penalty(n_r)
 * </pre>
 * by building the matrix off-heap (BLAS-3 {@code dsyrk}, or a Java loop at small ranks, see
 * {@link GramMethod}) and factoring it with LAPACK's Cholesky ({@code dposv}).
 *
 * <p>Conjugate gradient ({@link #solveConjugateGradient}) runs per row on OpenBLAS's
 * Level-2 products ({@code dgemv}, {@code dsymv}; {@link BlasConjugateGradient}).
 *
 * <p><b>Where ND4J is used.</b> Per row, through direct JavaCPP calls into the native
 * OpenBLAS/LAPACK that ND4J ships: an ND4J op costs 7-50 us, too much for a system that
 * solves in a few. Whole-matrix work goes through ND4J's own API: {@link #gram} computes
 * {@code F^T F} with {@code Nd4j.gemm} ({@link Nd4jGram}).
 *
 * <p>Rows are handed out by the toolkit's {@link RowwiseLeastSquaresStep}, which also handles
 * empty rows, rows that cannot be solved without a penalty and non-finite results; each
 * worker owns one {@link BlasRowSolver} (its off-heap workspace), so nothing is allocated
 * per row. Closing the step frees the workspaces.
 *
 * <p><b>Process-wide state.</b> While the step is open, OpenBLAS runs one thread per call
 * (the workers are the only parallelism); the count found before is restored when the last
 * open step closes (see {@link NativeRuntime}). ND4J's default data type is never changed.
 *
 * <p>Determinism: a row's result depends only on its entries and the fixed factors, and
 * every workspace has the same alignment, so results are bit-identical for every thread
 * count.
 */
final class BlasLeastSquaresStep implements LeastSquaresStep {
    private final GramMethod method;
    private final RowwiseLeastSquaresStep rows;
    /** The conjugate-gradient workspaces (off-heap), closed with the step. */
    private final List<BlasConjugateGradient> cgSolvers = new ArrayList<>();
    private boolean closed;

    BlasLeastSquaresStep(int rank, int threads, GramMethod method) {
        Checks.positive("rank", rank);
        Checks.positive("threads", threads);
        this.method = method;
        NativeRuntime.acquire();
        List<BlasRowSolver> made = new ArrayList<>();
        try {
            this.rows = RowwiseLeastSquaresStep.ofRowSolvers(rank, threads, k -> {
                BlasRowSolver s = new BlasRowSolver(k, method);
                made.add(s);
                return s;
            }, k -> {
                BlasConjugateGradient cg = new BlasConjugateGradient(k);
                cgSolvers.add(cg);
                return cg;
            });
        } catch (RuntimeException | Error e) {
            made.forEach(BlasRowSolver::close);
            cgSolvers.forEach(BlasConjugateGradient::close);
            NativeRuntime.release();
            throw e;
        }
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target) {
        checkOpen();
        rows.solve(observed, fixed, reg, shared, target);
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps) {
        checkOpen();
        rows.solveConjugateGradient(observed, fixed, reg, shared, target, steps);
    }

    /** {@code F^T F} through ND4J ({@link Nd4jGram}); agrees with {@link Gram#of} to rounding. */
    @Override
    public Gram gram(FactorMatrix f) {
        checkOpen();
        return Nd4jGram.of(f);
    }

    GramMethod method() {
        return method;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
    }

    /** Frees the workspaces and gives back the OpenBLAS setting; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            rows.close();
        } finally {
            try {
                cgSolvers.forEach(BlasConjugateGradient::close);
            } finally {
                NativeRuntime.release();
            }
        }
    }
}
