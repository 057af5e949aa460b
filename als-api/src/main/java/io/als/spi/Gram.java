package io.als.spi;

import io.als.internal.Checks;
import java.util.Arrays;

/**
 * A symmetric {@code k x k} matrix added to the normal equation of every row of a
 * {@link LeastSquaresStep#solve half-step}: the shared term of implicit feedback, where it is
 * {@code Y^T Y} of the fixed factors (Hu, Koren and Volinsky 2008), or {@code alpha0 Y^T Y}
 * for iALS's unobserved weight (Rendle et al. 2021). Computing it once per half-step, instead
 * of once per row, is what makes implicit ALS linear in the number of observed entries.
 *
 * <p>Immutable. Held as upper-triangle rows, the layout of
 * {@link io.als.spi.rowwise.NormalEquation}, so adding it to a row's equation is one pass of
 * contiguous loops.
 */
public final class Gram {
    private final int k;
    /** Row {@code p} holds entries {@code q >= p}; the rest are zero and never read. */
    private final double[][] upper;

    private Gram(double[][] upper) {
        this.k = upper.length;
        this.upper = upper;
    }

    /**
     * {@code F^T F} of a factor matrix, summed over its rows in index order (so the result
     * is the same on every run and thread count). Backends may compute it their own way
     * ({@link LeastSquaresStep#gram}).
     *
     * @param f the factor matrix. Not modified.
     */
    public static Gram of(FactorMatrix f) {
        int k = f.rank();
        double[][] u = new double[k][k];
        double[] d = f.data();
        for (int r = 0; r < f.rows(); r++) {
            int at = r * k;
            for (int p = 0; p < k; p++) {
                double s = d[at + p];
                double[] row = u[p];
                for (int q = p; q < k; q++) {
                    row[q] += s * d[at + q];
                }
            }
        }
        return new Gram(u);
    }

    /**
     * A Gram matrix from a dense row-major {@code k x k} array, which must be symmetric and
     * finite.
     *
     * @param values row-major, {@code k * k} long. Not modified.
     */
    public static Gram ofDense(int k, double[] values) {
        Checks.positive("k", k);
        if (values.length != (long) k * k) {
            throw new IllegalArgumentException("values.length must be k * k = " + (long) k * k + " but was "
                    + values.length);
        }
        double[][] u = new double[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                double v = values[p * k + q];
                Checks.finite("entry (" + p + ", " + q + ")", v);
                if (Double.compare(v, values[q * k + p]) != 0) {
                    throw new IllegalArgumentException("a Gram matrix must be symmetric but entry (" + p + ", " + q
                            + ") was " + v + " and entry (" + q + ", " + p + ") " + values[q * k + p]);
                }
                u[p][q] = v;
            }
        }
        return new Gram(u);
    }

    /** This matrix times {@code factor} (for iALS's unobserved weight). */
    public Gram scaled(double factor) {
        Checks.finite("factor", factor);
        double[][] u = new double[k][];
        for (int p = 0; p < k; p++) {
            u[p] = upper[p].clone();
            for (int q = p; q < k; q++) {
                u[p][q] *= factor;
            }
        }
        return new Gram(u);
    }

    public int rank() {
        return k;
    }

    /** Entry {@code (p, q)}, either triangle. */
    public double get(int p, int q) {
        return p <= q ? upper[p][q] : upper[q][p];
    }

    /**
     * Adds this matrix's upper triangle to {@code rows}: {@code rows[p][q] += G[p][q]} for
     * {@code q >= p}.
     *
     * @param rows upper-triangle rows, {@code k} arrays of at least {@code k}. Modified.
     */
    public void addUpperTo(double[][] rows) {
        for (int p = 0; p < k; p++) {
            double[] src = upper[p];
            double[] dst = rows[p];
            for (int q = p; q < k; q++) {
                dst[q] += src[q];
            }
        }
    }

    /**
     * {@code out = G x}, reading the upper triangle for both halves (the product of
     * conjugate gradient). Summed in a fixed order.
     *
     * @param x   length {@code k}. Not modified.
     * @param out length {@code k}, overwritten. Modified.
     */
    public void multiply(double[] x, double[] out) {
        java.util.Arrays.fill(out, 0, k, 0);
        for (int p = 0; p < k; p++) {
            double[] row = upper[p];
            double xp = x[p];
            double acc = row[p] * xp;
            for (int q = p + 1; q < k; q++) {
                acc += row[q] * x[q];
                out[q] += row[q] * xp;
            }
            out[p] += acc;
        }
    }

    /**
     * {@code trace(this * other) = sum_pq G_pq H_pq} of two symmetric matrices of the same
     * rank: {@code sum_u x_u^T H x_u} when this is {@code X^T X}, which is how the implicit
     * objective sums over every cell without visiting them.
     */
    public double traceOfProduct(Gram other) {
        if (other.k != k) {
            throw new IllegalArgumentException("ranks differ: " + k + " and " + other.k);
        }
        double s = 0;
        for (int p = 0; p < k; p++) {
            s += upper[p][p] * other.upper[p][p];
            double off = 0;
            for (int q = p + 1; q < k; q++) {
                off += upper[p][q] * other.upper[p][q];
            }
            s += 2 * off;
        }
        return s;
    }

    /** A dense, symmetric, row-major copy. */
    public double[] toDense() {
        double[] d = new double[k * k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                d[p * k + q] = upper[p][q];
                d[q * k + p] = upper[p][q];
            }
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gram g && Arrays.deepEquals(upper, g.upper);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(upper);
    }
}
