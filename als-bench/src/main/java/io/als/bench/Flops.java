package io.als.bench;

import io.als.spi.SparseView;

/**
 * The flop count every GFLOP/s figure in this module uses, per half-step:
 * <pre>
 *   sum over rows r with n_r > 0 of ( n_r k (k+1)  +  k^3 / 3  +  2 k^2 )
 * </pre>
 * {@code n_r k (k+1)}: the upper triangle of the Gram matrix and the right-hand side, one
 * multiply and one add each; {@code k^3/3}: the Cholesky factorisation; {@code 2k^2}: the two
 * triangular solves. Empty rows cost nothing (they are set to zero).
 */
public final class Flops {
    /** Printed next to every GFLOP/s figure. */
    public static final String FORMULA = "flops per half-step = sum over non-empty rows of (n_r*k*(k+1) + k^3/3 + 2*k^2)";

    private Flops() {
    }

    /** Flops of one half-step over the rows of {@code observed} at rank {@code k}. */
    public static double halfStep(SparseView observed, int k) {
        double perRow = (double) k * k * k / 3 + 2.0 * k * k;
        double total = 0;
        for (int r = 0; r < observed.rows(); r++) {
            int n = observed.count(r);
            if (n > 0) {
                total += (double) n * k * (k + 1) + perRow;
            }
        }
        return total;
    }
}
