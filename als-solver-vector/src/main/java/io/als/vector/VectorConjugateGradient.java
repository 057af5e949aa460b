package io.als.vector;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conjugate gradient on one row's normal equation {@code (G + F^T W F + lambda I) x = F^T v}
 * (the system of {@link io.als.spi.LeastSquaresStep}), with the Vector API. It runs the same
 * iteration as the plain-Java {@link io.als.spi.rowwise.ConjugateGradient} (Takacs, Pilaszy and
 * Tikk, RecSys 2011, warm-started as in the {@code implicit} library), organised for speed:
 *
 * <ul>
 *   <li><b>Gathered once.</b> The factor rows the row's entries name are copied once per call
 *       into a contiguous, padded buffer, with their weights and values; the residual and the
 *       {@code steps} products {@code A p} then stream through that buffer instead of jumping
 *       around the fixed factor matrix {@code steps + 1} times.</li>
 *   <li><b>One pass per product.</b> {@code F^T W F p} is done four entries at a time: the four
 *       dot products {@code f_e . p} (one vector accumulator each, so four independent FMA
 *       chains), then the four scaled rows are added to {@code A p} while they are still in
 *       the L1 cache, one load and store of {@code A p} per four rows.</li>
 *   <li><b>A dense shared term.</b> {@code G p} is {@code sum_c p_c G_c} over the columns of a
 *       padded dense copy of {@code G} (made once per {@link Gram} instance), with the same
 *       four-at-a-time kernel: FMAs over whole vectors, no reductions.</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * The horizontal sums of the dot products are written out lane by lane and added in a fixed
 * order ({@code reduceLanes(ADD)} leaves its order unspecified, so compiled and interpreted
 * code could differ); everything else is a fixed sequence of lane-wise operations. The result
 * of a row depends only on its inputs and the vector width, never on the thread.
 *
 * <p>Not thread-safe: one per worker.
 */
final class VectorConjugateGradient implements RowwiseLeastSquaresStep.CgRowSolver {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();

    private final int k;
    /** The padded stride: the rank rounded up to a whole number of vectors. */
    private final int kp;
    private final int chunks;
    /** Gathered factor rows, {@code kp} apart, zero past the rank; grown on demand. */
    private double[] rows = new double[0];
    private double[] weights = new double[0];
    private double[] values = new double[0];
    private final double[] x;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    private final double[] lanes;
    private final double[] scalars = new double[4];
    /** The shared term last seen, and a dense padded copy of it. */
    private Gram sharedSeen;
    private double[] sharedDense;

    VectorConjugateGradient(int rank) {
        this.k = rank;
        this.kp = (rank + VL - 1) / VL * VL;
        this.chunks = kp / VL;
        this.x = new double[kp];
        this.r = new double[kp];
        this.p = new double[kp];
        this.ap = new double[kp];
        this.lanes = new double[4 * VL];
    }

    @Override
    public boolean iterate(SparseView observed, int row, FactorMatrix fixed, Gram shared, double penalty,
                           double[] out, int steps) {
        int n = gather(observed, row, fixed);
        double[] g = shared == null ? null : dense(shared);
        System.arraycopy(out, 0, x, 0, k);
        // r = F^T v - (G + lambda I) x - F^T W F x, one pass: s_e = v_e - w_e f_e . x
        shared(g, penalty, x, r);
        negate(r);
        pass(n, x, r, true);
        System.arraycopy(r, 0, p, 0, kp);
        double rr = dot(r, r);
        for (int step = 0; step < steps && rr > 0; step++) {
            shared(g, penalty, p, ap);
            pass(n, p, ap, false);
            double curvature = dot(p, ap);
            if (!(curvature > 0)) {
                break;
            }
            double a = rr / curvature;
            DoubleVector va = DoubleVector.broadcast(SPECIES, a);
            DoubleVector vna = DoubleVector.broadcast(SPECIES, -a);
            for (int c = 0; c < kp; c += VL) {
                DoubleVector vp = DoubleVector.fromArray(SPECIES, p, c);
                vp.fma(va, DoubleVector.fromArray(SPECIES, x, c)).intoArray(x, c);
                DoubleVector.fromArray(SPECIES, ap, c).fma(vna, DoubleVector.fromArray(SPECIES, r, c)).intoArray(r, c);
            }
            double next = dot(r, r);
            DoubleVector beta = DoubleVector.broadcast(SPECIES, next / rr);
            for (int c = 0; c < kp; c += VL) {
                DoubleVector.fromArray(SPECIES, p, c).fma(beta, DoubleVector.fromArray(SPECIES, r, c)).intoArray(p, c);
            }
            rr = next;
        }
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(x[c])) {
                return false;
            }
        }
        System.arraycopy(x, 0, out, 0, k);
        return true;
    }

    /** Copies the row's factor rows, weights and values into the workspace; returns the count. */
    private int gather(SparseView observed, int row, FactorMatrix fixed) {
        int start = observed.start(row);
        int n = observed.end(row) - start;
        if (weights.length < n) {
            int cap = Math.max(n, weights.length + weights.length / 2);
            rows = new double[cap * kp];
            weights = new double[cap];
            values = new double[cap];
        }
        double[] f = fixed.data();
        for (int i = 0; i < n; i++) {
            int e = start + i;
            System.arraycopy(f, observed.index(e) * k, rows, i * kp, k);
            weights[i] = observed.weight(e);
            values[i] = observed.value(e);
        }
        return n;
    }

    /** The shared term as a dense padded {@code kp x kp} array, zero past the rank. */
    private double[] dense(Gram shared) {
        if (shared != sharedSeen) {
            if (shared.rank() != k) {
                throw new IllegalArgumentException("shared Gram must have rank " + k + " but had " + shared.rank());
            }
            double[] d = sharedDense != null ? sharedDense : new double[kp * kp];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    d[a * kp + b] = shared.get(a, b);
                }
            }
            sharedDense = d;
            sharedSeen = shared;
        }
        return sharedDense;
    }

    /** {@code out = G v + lambda v} ({@code G} zero when null). */
    private void shared(double[] g, double penalty, double[] v, double[] out) {
        DoubleVector lambda = DoubleVector.broadcast(SPECIES, penalty);
        for (int c = 0; c < kp; c += VL) {
            DoubleVector.fromArray(SPECIES, v, c).mul(lambda).intoArray(out, c);
        }
        if (g == null) {
            return;
        }
        // G is symmetric: G v = sum_c v_c G_c over its rows, four rows per pass over out.
        int c = 0;
        for (; c + 4 <= k; c += 4) {
            addFour(g, c * kp, v[c], v[c + 1], v[c + 2], v[c + 3], out);
        }
        for (; c < k; c++) {
            addOne(g, c * kp, v[c], out);
        }
    }

    /**
     * One pass over the gathered rows: {@code out += sum_e s_e f_e} with
     * {@code s_e = w_e (f_e . v)}, or for the residual ({@code residual} true)
     * {@code s_e = v_e - w_e (f_e . v)}.
     */
    private void pass(int n, double[] v, double[] out, boolean residual) {
        double[] f = rows;
        int e = 0;
        for (; e + 4 <= n; e += 4) {
            int o0 = e * kp;
            int o1 = o0 + kp;
            int o2 = o1 + kp;
            int o3 = o2 + kp;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int c = 0; c < kp; c += VL) {
                DoubleVector vc = DoubleVector.fromArray(SPECIES, v, c);
                a0 = DoubleVector.fromArray(SPECIES, f, o0 + c).fma(vc, a0);
                a1 = DoubleVector.fromArray(SPECIES, f, o1 + c).fma(vc, a1);
                a2 = DoubleVector.fromArray(SPECIES, f, o2 + c).fma(vc, a2);
                a3 = DoubleVector.fromArray(SPECIES, f, o3 + c).fma(vc, a3);
            }
            a0.intoArray(lanes, 0);
            a1.intoArray(lanes, VL);
            a2.intoArray(lanes, 2 * VL);
            a3.intoArray(lanes, 3 * VL);
            double d0 = sumLanes(0);
            double d1 = sumLanes(VL);
            double d2 = sumLanes(2 * VL);
            double d3 = sumLanes(3 * VL);
            double s0 = weights[e] * d0;
            double s1 = weights[e + 1] * d1;
            double s2 = weights[e + 2] * d2;
            double s3 = weights[e + 3] * d3;
            if (residual) {
                s0 = values[e] - s0;
                s1 = values[e + 1] - s1;
                s2 = values[e + 2] - s2;
                s3 = values[e + 3] - s3;
            }
            addFour(f, o0, s0, s1, s2, s3, out);
        }
        for (; e < n; e++) {
            int o = e * kp;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            for (int c = 0; c < kp; c += VL) {
                a0 = DoubleVector.fromArray(SPECIES, f, o + c).fma(DoubleVector.fromArray(SPECIES, v, c), a0);
            }
            a0.intoArray(lanes, 0);
            double s = weights[e] * sumLanes(0);
            if (residual) {
                s = values[e] - s;
            }
            addOne(f, o, s, out);
        }
    }

    /** {@code out += s0 m_0 + s1 m_1 + s2 m_2 + s3 m_3} for the four rows of {@code m} from {@code at}, {@code kp} apart. */
    private void addFour(double[] m, int at, double s0, double s1, double s2, double s3, double[] out) {
        DoubleVector b0 = DoubleVector.broadcast(SPECIES, s0);
        DoubleVector b1 = DoubleVector.broadcast(SPECIES, s1);
        DoubleVector b2 = DoubleVector.broadcast(SPECIES, s2);
        DoubleVector b3 = DoubleVector.broadcast(SPECIES, s3);
        int o1 = at + kp;
        int o2 = o1 + kp;
        int o3 = o2 + kp;
        for (int c = 0; c < kp; c += VL) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, out, c);
            acc = DoubleVector.fromArray(SPECIES, m, at + c).fma(b0, acc);
            acc = DoubleVector.fromArray(SPECIES, m, o1 + c).fma(b1, acc);
            acc = DoubleVector.fromArray(SPECIES, m, o2 + c).fma(b2, acc);
            acc = DoubleVector.fromArray(SPECIES, m, o3 + c).fma(b3, acc);
            acc.intoArray(out, c);
        }
    }

    /** {@code out += s m_0} for the row of {@code m} at {@code at}. */
    private void addOne(double[] m, int at, double s, double[] out) {
        DoubleVector b = DoubleVector.broadcast(SPECIES, s);
        for (int c = 0; c < kp; c += VL) {
            DoubleVector.fromArray(SPECIES, m, at + c).fma(b, DoubleVector.fromArray(SPECIES, out, c))
                    .intoArray(out, c);
        }
    }

    /** The lanes of {@link #lanes} from {@code at}, added in a fixed order (pairs, then pairs of pairs). */
    private double sumLanes(int at) {
        double[] l = lanes;
        if (VL == 8) {
            return ((l[at] + l[at + 1]) + (l[at + 2] + l[at + 3])) + ((l[at + 4] + l[at + 5]) + (l[at + 6] + l[at + 7]));
        }
        double s = 0;
        for (int i = 0; i < VL; i++) {
            s += l[at + i];
        }
        return s;
    }

    private double dot(double[] a, double[] b) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        for (int c = 0; c < kp; c += VL) {
            acc = DoubleVector.fromArray(SPECIES, a, c).fma(DoubleVector.fromArray(SPECIES, b, c), acc);
        }
        acc.intoArray(lanes, 0);
        return sumLanes(0);
    }

    private void negate(double[] v) {
        for (int c = 0; c < kp; c += VL) {
            DoubleVector.fromArray(SPECIES, v, c).neg().intoArray(v, c);
        }
    }
}
