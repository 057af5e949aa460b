package io.als.vector;

import io.als.api.Regularizer;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;

/**
 * The {@code vector} backend's step: a {@link RowwiseLeastSquaresStep} with the SIMD kernels,
 * which for a single-precision conjugate-gradient call first rounds the fixed side to float
 * ({@link FloatFactors}) for its workers to gather from.
 */
final class VectorStep implements LeastSquaresStep {
    private final RowwiseLeastSquaresStep rows;
    private final FloatFactors floats = new FloatFactors();
    /** The padded fixed side for the fused small-rank kernels, or null above their ranks. */
    private final PaddedFactors padded;

    VectorStep(int rank, int threads) {
        this.padded = PaddedFactors.applies(rank) ? new PaddedFactors(rank) : null;
        this.rows = RowwiseLeastSquaresStep.ofRowSolversAndBlockCg(rank, threads, k -> new VectorNormalEquation(k, padded),
                k -> new VectorBlockConjugateGradient(k, floats));
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target) {
        // The copy costs a pass over the whole fixed side: worth it for a half-step, not for
        // a few rows against a large catalogue (fold-in, partial refits).
        if (padded == null || observed.weighted() || observed.nnz() < fixed.rows()) {
            rows.solve(observed, fixed, reg, shared, target);
            return;
        }
        padded.set(fixed);
        try {
            rows.solve(observed, fixed, reg, shared, target);
        } finally {
            padded.clear();
        }
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps) {
        rows.solveConjugateGradient(observed, fixed, reg, shared, target, steps);
    }

    @Override
    public boolean singlePrecisionCg() {
        return true;
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps, boolean singlePrecision) {
        if (!singlePrecision) {
            rows.solveConjugateGradient(observed, fixed, reg, shared, target, steps);
            return;
        }
        floats.set(fixed);
        try {
            rows.solveConjugateGradient(observed, fixed, reg, shared, target, steps, true);
        } finally {
            floats.clear();
        }
    }

    @Override
    public Gram gram(FactorMatrix f) {
        return rows.gram(f);
    }

    @Override
    public void close() {
        if (padded != null) {
            padded.release();
        }
        rows.close();
    }
}
