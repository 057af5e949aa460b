package com.example.als;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;

/**
 * An example backend from outside the project: the shared row loop accumulates each row's
 * normal equation, and this class solves it with a textbook row-by-row (Cholesky-Banachiewicz)
 * factorisation of the dense matrix, {@code A = L L^T}, then two triangular solves.
 */
public final class BanachiewiczSolver implements Solver {
    public static final String NAME = "banachiewicz";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        return new RowwiseLeastSquaresStep(rank, threads, k -> (a, b, x) -> solve(k, a, b, x));
    }

    /** Solves {@code A x = b} for a symmetric positive definite row-major {@code A}; false if it is not. */
    static boolean solve(int k, double[] a, double[] b, double[] x) {
        double[] l = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * k + j];
                for (int m = 0; m < j; m++) {
                    sum -= l[i * k + m] * l[j * k + m];
                }
                if (i == j) {
                    if (!LeastSquaresStep.pivotHolds(sum, a[i * k + i])) {
                        return false;
                    }
                    l[i * k + i] = Math.sqrt(sum);
                } else {
                    l[i * k + j] = sum / l[j * k + j];
                }
            }
        }
        double[] y = new double[k];
        for (int i = 0; i < k; i++) {
            double sum = b[i];
            for (int m = 0; m < i; m++) {
                sum -= l[i * k + m] * y[m];
            }
            y[i] = sum / l[i * k + i];
        }
        for (int i = k - 1; i >= 0; i--) {
            double sum = y[i];
            for (int m = i + 1; m < k; m++) {
                sum -= l[m * k + i] * x[m];
            }
            x[i] = sum / l[i * k + i];
        }
        return true;
    }
}
