package io.als.vector;

import io.als.spi.FactorMatrix;

/**
 * The fixed factor matrix of an exact half-step at a small rank, copied once for the
 * half-step with each row padded with zeros to the workspace stride (one or two vectors),
 * and shared by the step's workers. From it {@link VectorNormalEquation} loads a factor row
 * as whole vectors straight into its register-held accumulators, with no per-entry gather
 * copy and no masks. Set and cleared by {@link VectorStep} around each such half-step that has
 * at least as many entries as the fixed side has rows (not for a few rows against a large
 * catalogue, where the copy would cost more than it saves); the array is kept for the next
 * one, and dropped when the step is closed.
 */
final class PaddedFactors {
    private final int rank;
    private final int stride;
    private double[] data = new double[0];
    private FactorMatrix source;

    PaddedFactors(int rank) {
        this.rank = rank;
        this.stride = VectorNormalEquation.stride(rank);
    }

    /**
     * Whether the fused small-rank kernels serve this rank: two vectors of eight doubles at
     * most (the accumulators must fit AVX-512's 32 registers).
     */
    static boolean applies(int rank) {
        return VectorNormalEquation.VL == 8 && rank <= 2 * VectorNormalEquation.VL;
    }

    /** Copies {@code fixed} padded; until {@link #clear()}, {@link #holds(FactorMatrix)} is true for it. */
    void set(FactorMatrix fixed) {
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed side must have rank " + rank + " but had " + fixed.rank());
        }
        int length = fixed.rows() * stride;
        if (data.length < length) {
            data = new double[length];
        }
        fixed.copyPadded(data, stride);
        source = fixed;
    }

    void clear() {
        source = null;
    }

    /** Clears and drops the array (the step is closed). */
    void release() {
        source = null;
        data = new double[0];
    }

    boolean holds(FactorMatrix fixed) {
        return source == fixed;
    }

    /** Row-major with {@link VectorNormalEquation#stride(int)} apart, zeros past the rank. */
    double[] data() {
        return data;
    }
}
