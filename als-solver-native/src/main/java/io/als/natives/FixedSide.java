package io.als.natives;

import io.als.spi.FactorMatrix;
import io.als.spi.SparseView;

/**
 * The fixed factor matrix as the kernels read it: rows padded with zeros to whole vectors of
 * eight doubles, so that each entry's factor row is read in place. A rank that is a multiple of
 * eight is padded already; any other is copied, padded, once per half-step
 * ({@link #prepare}), on the thread that starts the half-step, before the workers read it.
 * For a few rows against a large catalogue (fold-in, a partial refit) the copy would cost
 * more than the rows, so the kernels copy those rows' factor rows themselves instead.
 */
final class FixedSide {
    private final int rank;
    private final int stride;
    private double[] data = new double[0];
    private FactorMatrix source;

    FixedSide(int rank) {
        this.rank = rank;
        this.stride = NativeKernels.padded(rank);
    }

    /** Pads {@code fixed} when the rank needs it and the half-step is worth it. */
    void prepare(SparseView observed, FactorMatrix fixed) {
        if (stride == rank || observed.nnz() < fixed.rows()) {
            return;
        }
        long length = (long) fixed.rows() * stride;
        if (length > Integer.MAX_VALUE - 8) {
            return; // beyond a Java array: the kernels copy each row's factor rows instead
        }
        if (data.length < length) {
            data = new double[(int) length];
        }
        fixed.copyPadded(data, stride);
        source = fixed;
    }

    /** Forgets the copy's source (the half-step is over); the array is kept for the next one. */
    void done() {
        source = null;
    }

    /** Drops the copy (the step is closed). */
    void release() {
        source = null;
        data = new double[0];
    }

    /** Whether the kernels read {@code fixed} padded: its own array, or the copy. */
    boolean padded(FactorMatrix fixed) {
        return stride == rank || source == fixed;
    }

    /** The array the kernels read for {@code fixed}. */
    double[] data(FactorMatrix fixed) {
        return source == fixed ? data : fixed.data();
    }

    /** The distance between rows of {@link #data}. */
    int stride(FactorMatrix fixed) {
        return padded(fixed) ? stride : rank;
    }
}
