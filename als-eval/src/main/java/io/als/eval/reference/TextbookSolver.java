package io.als.eval.reference;

import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import io.als.spi.Solver;

/**
 * A third-party style solver written against the API alone: Gaussian elimination with
 * partial pivoting on each row's normal equation. It shows the kit needs nothing but a
 * {@link Solver}, and it is the kit's own control.
 */
public final class TextbookSolver implements Solver {
    @Override
    public String name() {
        return "plain";
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        return new RowwiseLeastSquaresStep(rank, threads, k -> (a, b, x) -> eliminate(k, a, b, x));
    }

    public static boolean eliminate(int k, double[] a, double[] b, double[] x) {
        double maxDiag = 0;
        for (int p = 0; p < k; p++) {
            maxDiag = Math.max(maxDiag, Math.abs(a[p * k + p]));
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r * k + col]) > Math.abs(a[pivot * k + col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot * k + col]) <= 1e-13 * maxDiag) {
                return false;
            }
            if (pivot != col) {
                for (int c = 0; c < k; c++) {
                    double t = a[col * k + c];
                    a[col * k + c] = a[pivot * k + c];
                    a[pivot * k + c] = t;
                }
                double t = b[col];
                b[col] = b[pivot];
                b[pivot] = t;
            }
            for (int r = col + 1; r < k; r++) {
                double f = a[r * k + col] / a[col * k + col];
                for (int c = col; c < k; c++) {
                    a[r * k + c] -= f * a[col * k + c];
                }
                b[r] -= f * b[col];
            }
        }
        for (int r = k - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < k; c++) {
                s -= a[r * k + c] * x[c];
            }
            x[r] = s / a[r * k + r];
        }
        return true;
    }
}
