package io.als.spi.rowwise;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.SparseView;

/**
 * Conjugate gradient on one row's normal equation
 * {@code A x = b}, {@code A = G + sum_e w_e f_e f_e^T + lambda I}, {@code b = sum_e v_e f_e}
 * (see {@link io.als.spi.LeastSquaresStep}), without ever forming {@code A}: each product
 * {@code A p} is {@code G p + lambda p} plus one pass over the row's entries. Started from the
 * row's current factors and run for a fixed number of steps, this is the solver of Takacs,
 * Pilaszy and Tikk, "Applications of the conjugate gradient method for implicit feedback
 * collaborative filtering" (RecSys 2011), as the {@code implicit} library runs it: a step costs
 * {@code O(k^2 + n k)} against Cholesky's {@code O(n k^2 + k^3)}.
 *
 * <p>In exact arithmetic {@code k} steps reach the exact solution of a rank-{@code k} system;
 * fewer steps from a warm start are an approximation that the next half-step continues. The
 * iteration stops early when the residual is exactly zero or the curvature {@code p . A p} is
 * not positive (then the row keeps the last iterate). Every sum runs in a fixed order over the
 * row's entries, so a row's result depends only on its inputs. Not thread-safe: one per worker.
 */
public final class ConjugateGradient {
    private final int k;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    private final double[] gp;

    public ConjugateGradient(int rank) {
        this.k = Checks.positive("rank", rank);
        this.r = new double[rank];
        this.p = new double[rank];
        this.ap = new double[rank];
        this.gp = new double[rank];
    }

    /**
     * Runs {@code steps} steps on row {@code row} of {@code observed}.
     *
     * @param shared  the shared term {@code G}, or null for none. Not modified.
     * @param penalty {@code lambda}
     * @param x       the starting point on entry, the last iterate on return. Modified.
     * @return false when the iterate is not finite
     */
    public boolean iterate(SparseView observed, int row, FactorMatrix fixed, Gram shared, double penalty,
                           double[] x, int steps) {
        double[] f = fixed.data();
        int start = observed.start(row);
        int end = observed.end(row);
        // r = b - A x = sum_e (v_e - w_e f_e . x) f_e - G x - lambda x
        product(shared, penalty, x, r);
        for (int c = 0; c < k; c++) {
            r[c] = -r[c];
        }
        for (int e = start; e < end; e++) {
            int at = observed.index(e) * k;
            double s = observed.value(e) - observed.weight(e) * dot(f, at, x);
            axpy(s, f, at, r);
        }
        System.arraycopy(r, 0, p, 0, k);
        double rr = dot(r, r);
        for (int step = 0; step < steps && rr > 0; step++) {
            // ap = A p
            product(shared, penalty, p, ap);
            for (int e = start; e < end; e++) {
                int at = observed.index(e) * k;
                axpy(observed.weight(e) * dot(f, at, p), f, at, ap);
            }
            double curvature = dot(p, ap);
            if (!(curvature > 0)) {
                break;
            }
            double a = rr / curvature;
            for (int c = 0; c < k; c++) {
                x[c] += a * p[c];
                r[c] -= a * ap[c];
            }
            double next = dot(r, r);
            double beta = next / rr;
            for (int c = 0; c < k; c++) {
                p[c] = r[c] + beta * p[c];
            }
            rr = next;
        }
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(x[c])) {
                return false;
            }
        }
        return true;
    }

    /** {@code out = G v + lambda v} ({@code G} zero when null). */
    private void product(Gram shared, double penalty, double[] v, double[] out) {
        if (shared == null) {
            for (int c = 0; c < k; c++) {
                out[c] = penalty * v[c];
            }
            return;
        }
        shared.multiply(v, gp);
        for (int c = 0; c < k; c++) {
            out[c] = gp[c] + penalty * v[c];
        }
    }

    private double dot(double[] f, int at, double[] v) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += f[at + c] * v[c];
        }
        return s;
    }

    private double dot(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += a[c] * b[c];
        }
        return s;
    }

    private void axpy(double s, double[] f, int at, double[] out) {
        for (int c = 0; c < k; c++) {
            out[c] += s * f[at + c];
        }
    }
}
