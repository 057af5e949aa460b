package io.als.java;

import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;

/**
 * A Cholesky solve that works in place on the upper-triangle rows of a
 * {@link NormalEquation}: it factors {@code A = U^T U} (row {@code j} of {@code U} overwrites
 * row {@code j} of {@code A}), then solves {@code U^T y = b} and {@code U x = y}.
 *
 * <p>Row {@code j} of {@code U} is formed left-looking, from the rows above it four at a
 * time, two rows per pass: {@code a_j[q] -= u0[j] u0[q] + u1[j] u1[q] + u2[j] u2[q] + u3[j] u3[q]}
 * for {@code q >= j}, the same loop shape as the Gram update, so HotSpot vectorises it for the
 * same reason (separate row arrays; see {@link NormalEquation}). That, rather than a
 * different algorithm, is why it beats EJML's row-major Cholesky from rank 8 up (figures in
 * docs/design-notes.md). The order of every sum is fixed by the rank alone, so results are
 * deterministic.
 *
 * <p>Numerical singularity is judged as in every built-in solver: a pivot whose square root
 * squared falls below {@link LeastSquaresStep#RELATIVE_PIVOT_FLOOR} times the matching diagonal
 * entry of the matrix (penalty included) fails the row.
 */
public final class UpperCholeskyKernel implements RowwiseLeastSquaresStep.Kernel {
    private final int k;
    private final double[][] dense;
    private final double[] denseDiagonal;

    public UpperCholeskyKernel(int rank) {
        this.k = rank;
        this.dense = new double[rank][rank];
        this.denseDiagonal = new double[rank];
    }

    @Override
    public boolean solve(NormalEquation ne, double[] x) {
        return factorAndSolve(ne.upperRows(), ne.diagonal(), ne.atb(), x);
    }

    /** For callers with a dense symmetric matrix: copies its upper triangle into rows first. */
    @Override
    public boolean solve(double[] a, double[] b, double[] x) {
        for (int p = 0; p < k; p++) {
            System.arraycopy(a, p * k, dense[p], 0, k);
            denseDiagonal[p] = a[p * k + p];
        }
        return factorAndSolve(dense, denseDiagonal, b, x);
    }

    private boolean factorAndSolve(double[][] u, double[] diagonal, double[] b, double[] x) {
        int j = 0;
        // Rows j and j + 1 together: both take the updates from every finished row above j,
        // sharing the loads of those rows; then row j is finished and row j + 1 takes its
        // update from it. Row j + 1 also receives entry j, below its diagonal, never read.
        for (; j + 2 <= k; j += 2) {
            double[] rj = u[j];
            double[] rn = u[j + 1];
            int i = 0;
            for (; i + 4 <= j; i += 4) {
                double[] r0 = u[i];
                double[] r1 = u[i + 1];
                double[] r2 = u[i + 2];
                double[] r3 = u[i + 3];
                double s0 = r0[j];
                double s1 = r1[j];
                double s2 = r2[j];
                double s3 = r3[j];
                double t0 = r0[j + 1];
                double t1 = r1[j + 1];
                double t2 = r2[j + 1];
                double t3 = r3[j + 1];
                for (int q = j; q < k; q++) {
                    double v0 = r0[q];
                    double v1 = r1[q];
                    double v2 = r2[q];
                    double v3 = r3[q];
                    rj[q] -= s0 * v0 + s1 * v1 + s2 * v2 + s3 * v3;
                    rn[q] -= t0 * v0 + t1 * v1 + t2 * v2 + t3 * v3;
                }
            }
            for (; i < j; i++) {
                double[] r0 = u[i];
                double s0 = r0[j];
                double t0 = r0[j + 1];
                for (int q = j; q < k; q++) {
                    rj[q] -= s0 * r0[q];
                    rn[q] -= t0 * r0[q];
                }
            }
            if (!finishRow(rj, j, diagonal[j])) {
                return false;
            }
            double s = rj[j + 1];
            for (int q = j + 1; q < k; q++) {
                rn[q] -= s * rj[q];
            }
            if (!finishRow(rn, j + 1, diagonal[j + 1])) {
                return false;
            }
        }
        if (j < k) {
            double[] rj = u[j];
            for (int i = 0; i < j; i++) {
                double[] r0 = u[i];
                double s0 = r0[j];
                for (int q = j; q < k; q++) {
                    rj[q] -= s0 * r0[q];
                }
            }
            if (!finishRow(rj, j, diagonal[j])) {
                return false;
            }
        }
        // U^T y = b, column by column: y_i = b_i / u_ii, then b[q] -= y_i u_iq for q > i.
        for (int i = 0; i < k; i++) {
            double[] ri = u[i];
            double yi = b[i] / ri[i];
            b[i] = yi;
            for (int q = i + 1; q < k; q++) {
                b[q] -= yi * ri[q];
            }
        }
        // U x = y, from the bottom row up.
        for (int i = k - 1; i >= 0; i--) {
            double[] ri = u[i];
            double s = b[i];
            for (int q = i + 1; q < k; q++) {
                s -= ri[q] * x[q];
            }
            x[i] = s / ri[i];
        }
        return true;
    }

    /**
     * Turns updated row {@code j} into row {@code j} of {@code U}: checks the pivot against the
     * original diagonal entry, takes its square root and scales the rest of the row.
     */
    private boolean finishRow(double[] rj, int j, double originalDiagonal) {
        double d = rj[j];
        if (!LeastSquaresStep.pivotHolds(d, originalDiagonal)) {
            return false;
        }
        double pivot = Math.sqrt(d);
        double inverse = 1 / pivot;
        rj[j] = pivot;
        for (int q = j + 1; q < k; q++) {
            rj[q] *= inverse;
        }
        return true;
    }
}
