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
 *
 * <h2>How it is organised for speed</h2>
 * The factor rows a row's entries name are gathered once per call, with the entries' weights
 * and values, in two layouts: one array per entry ({@code k} long) and one array per factor
 * column ({@code n} long). The products then run as loops that HotSpot's C2 compiler turns into
 * SIMD code, since each indexes all its arrays by the same loop variable (the reason
 * {@link NormalEquation} keeps one array per row):
 * <ul>
 *   <li>the dot products {@code d_e = f_e . p} of all entries at once, four factor columns per
 *       pass: {@code d[e] += col_c[e] p_c + ... + col_{c+3}[e] p_{c+3}};</li>
 *   <li>the sum {@code sum_e s_e f_e} four entries per pass:
 *       {@code out[c] += s_e row_e[c] + ... + s_{e+3} row_{e+3}[c]};</li>
 *   <li>the shared term {@code G p = sum_c p_c G_c} from a dense copy of {@code G} (made once per
 *       {@link Gram} instance), four columns per pass.</li>
 * </ul>
 * No floating-point sum is reordered by the compiler, so a row's result is the same compiled
 * or interpreted, on any thread.
 */
public final class ConjugateGradient {
    /** Entries (and factor columns) folded into one pass of the vectorisable loops. */
    private static final int BATCH = 4;

    private final int k;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    /** The gathered factor rows, one array of {@code k} per entry; grown on demand. */
    private double[][] rows = new double[0][];
    /** The same, one array per factor column, {@code capacity} long. */
    private final double[][] cols;
    private int capacity;
    private double[] weights = new double[0];
    private double[] values = new double[0];
    /** Per entry: a dot product, then its scaled coefficient. */
    private double[] d = new double[0];
    /** The shared term last seen, dense, one array per row. */
    private Gram sharedSeen;
    private double[][] sharedDense;

    public ConjugateGradient(int rank) {
        this.k = Checks.positive("rank", rank);
        this.r = new double[rank];
        this.p = new double[rank];
        this.ap = new double[rank];
        this.cols = new double[rank][0];
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
        int n = gather(observed, row, fixed);
        double[][] g = shared == null ? null : dense(shared);
        // r = b - A x = sum_e (v_e - w_e f_e . x) f_e - G x - lambda x
        product(g, penalty, x, r);
        for (int c = 0; c < k; c++) {
            r[c] = -r[c];
        }
        dots(n, x);
        for (int e = 0; e < n; e++) {
            d[e] = values[e] - weights[e] * d[e];
        }
        addRows(n, r);
        System.arraycopy(r, 0, p, 0, k);
        double rr = dot(r, r);
        for (int step = 0; step < steps && rr > 0; step++) {
            // ap = A p
            product(g, penalty, p, ap);
            dots(n, p);
            for (int e = 0; e < n; e++) {
                d[e] = weights[e] * d[e];
            }
            addRows(n, ap);
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

    /** Gathers the row's factor rows (both layouts), weights and values; returns the entry count. */
    private int gather(SparseView observed, int row, FactorMatrix fixed) {
        int start = observed.start(row);
        int n = observed.end(row) - start;
        if (n > capacity) {
            int cap = Math.max(n, capacity + capacity / 2);
            double[][] grown = java.util.Arrays.copyOf(rows, cap);
            for (int e = rows.length; e < cap; e++) {
                grown[e] = new double[k];
            }
            rows = grown;
            for (int c = 0; c < k; c++) {
                cols[c] = new double[cap];
            }
            weights = new double[cap];
            values = new double[cap];
            d = new double[cap];
            capacity = cap;
        }
        double[] f = fixed.data();
        for (int e = 0; e < n; e++) {
            int at = observed.index(start + e) * k;
            double[] dst = rows[e];
            System.arraycopy(f, at, dst, 0, k);
            weights[e] = observed.weight(start + e);
            values[e] = observed.value(start + e);
        }
        for (int c = 0; c < k; c++) {
            double[] col = cols[c];
            for (int e = 0; e < n; e++) {
                col[e] = rows[e][c];
            }
        }
        return n;
    }

    /** {@code d[e] = f_e . v} for the {@code n} gathered entries, four factor columns per pass. */
    private void dots(int n, double[] v) {
        double[] out = d;
        java.util.Arrays.fill(out, 0, n, 0);
        int c = 0;
        for (; c + BATCH <= k; c += BATCH) {
            double[] c0 = cols[c];
            double[] c1 = cols[c + 1];
            double[] c2 = cols[c + 2];
            double[] c3 = cols[c + 3];
            double v0 = v[c];
            double v1 = v[c + 1];
            double v2 = v[c + 2];
            double v3 = v[c + 3];
            for (int e = 0; e < n; e++) {
                out[e] += c0[e] * v0 + c1[e] * v1 + c2[e] * v2 + c3[e] * v3;
            }
        }
        for (; c < k; c++) {
            double[] c0 = cols[c];
            double v0 = v[c];
            for (int e = 0; e < n; e++) {
                out[e] += c0[e] * v0;
            }
        }
    }

    /** {@code out += sum_e d[e] f_e} over the {@code n} gathered entries, four per pass. */
    private void addRows(int n, double[] out) {
        int e = 0;
        for (; e + BATCH <= n; e += BATCH) {
            addFour(rows[e], rows[e + 1], rows[e + 2], rows[e + 3], d[e], d[e + 1], d[e + 2], d[e + 3], out);
        }
        for (; e < n; e++) {
            double[] f0 = rows[e];
            double s0 = d[e];
            for (int c = 0; c < k; c++) {
                out[c] += s0 * f0[c];
            }
        }
    }

    private void addFour(double[] f0, double[] f1, double[] f2, double[] f3, double s0, double s1, double s2,
                         double s3, double[] out) {
        for (int c = 0; c < k; c++) {
            out[c] += s0 * f0[c] + s1 * f1[c] + s2 * f2[c] + s3 * f3[c];
        }
    }

    /** The shared term, dense, one array per row. */
    private double[][] dense(Gram shared) {
        if (shared != sharedSeen) {
            if (shared.rank() != k) {
                throw new IllegalArgumentException("shared Gram must have rank " + k + " but had " + shared.rank());
            }
            double[][] g = sharedDense != null ? sharedDense : new double[k][k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    g[a][b] = shared.get(a, b);
                }
            }
            sharedDense = g;
            sharedSeen = shared;
        }
        return sharedDense;
    }

    /** {@code out = G v + lambda v} ({@code G} zero when null); {@code G v = sum_c v_c G_c}, G being symmetric. */
    private void product(double[][] g, double penalty, double[] v, double[] out) {
        for (int c = 0; c < k; c++) {
            out[c] = penalty * v[c];
        }
        if (g == null) {
            return;
        }
        int c = 0;
        for (; c + BATCH <= k; c += BATCH) {
            addFour(g[c], g[c + 1], g[c + 2], g[c + 3], v[c], v[c + 1], v[c + 2], v[c + 3], out);
        }
        for (; c < k; c++) {
            double[] g0 = g[c];
            double s0 = v[c];
            for (int q = 0; q < k; q++) {
                out[q] += s0 * g0[q];
            }
        }
    }

    private double dot(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += a[c] * b[c];
        }
        return s;
    }
}
