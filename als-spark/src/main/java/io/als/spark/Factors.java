package io.als.spark;

import java.io.Serializable;

/**
 * The factor rows of one block after a half-step, in the block's row order, with what the
 * half-step measured on the way: the squared error of the block's ratings against the rows
 * just solved and the fixed side they were solved against (of an implicit fit: the observed
 * cells' part of the weighted objective), the block's penalty, and of an implicit fit the
 * block's share of the side's Gram matrix.
 */
final class Factors implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The block number. */
    final int block;
    /** Values per row: the rank, plus the bias in a biased fit. */
    final int width;
    /** {@code rows x width}, row-major, in the order of the block's rows. */
    final double[] data;
    /** Squared error of the block's ratings (NaN for initial factors). */
    final double sse;
    /** {@code sum_r lambda_r ||x_r||^2} over the block's rows (NaN for initial factors). */
    final double penalty;
    /**
     * Of an implicit fit: {@code F^T F} of the block's rows, {@code k x k} row-major (the
     * blocks' sums make the Gram matrix of the whole side); null otherwise.
     */
    final double[] gram;

    Factors(int block, int width, double[] data, double sse, double penalty) {
        this(block, width, data, sse, penalty, null);
    }

    Factors(int block, int width, double[] data, double sse, double penalty, double[] gram) {
        this.block = block;
        this.width = width;
        this.data = data;
        this.sse = sse;
        this.penalty = penalty;
        this.gram = gram;
    }

    int rows() {
        return data.length / width;
    }
}
