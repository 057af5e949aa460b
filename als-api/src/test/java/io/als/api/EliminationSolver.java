package io.als.api;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;

/**
 * A test-only backend for this module's driver tests (which cannot see the backends or
 * als-eval's TextbookSolver): each row's normal equation solved by Gaussian elimination
 * without pivoting, enough for the small positive definite systems of these tests.
 */
final class EliminationSolver implements Solver {

    @Override
    public String name() {
        return "elimination";
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        return new RowwiseLeastSquaresStep(rank, threads, k -> (a, b, x) -> solve(k, a, b, x));
    }

    /** Solves {@code A x = b} in place ({@code a} and {@code b} are overwritten). */
    static boolean solve(int k, double[] a, double[] b, double[] x) {
        for (int c = 0; c < k; c++) {
            for (int r = c + 1; r < k; r++) {
                double f = a[r * k + c] / a[c * k + c];
                for (int j = c; j < k; j++) {
                    a[r * k + j] -= f * a[c * k + j];
                }
                b[r] -= f * b[c];
            }
        }
        for (int r = k - 1; r >= 0; r--) {
            double s = b[r];
            for (int j = r + 1; j < k; j++) {
                s -= a[r * k + j] * x[j];
            }
            x[r] = s / a[r * k + r];
        }
        return true;
    }
}
