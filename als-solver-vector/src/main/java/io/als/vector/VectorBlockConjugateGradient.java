package io.als.vector;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conjugate gradient on the normal equations {@code (G + F^T W F + lambda I) x = F^T v} of a
 * block of rows (the system of {@link io.als.spi.LeastSquaresStep}), with the Vector API, four
 * rows in lockstep. It runs, for every row, the iteration of the plain-Java
 * {@link io.als.spi.rowwise.ConjugateGradient} (Takacs, Pilaszy and Tikk, RecSys 2011,
 * warm-started as in the {@code implicit} library), organised for speed:
 *
 * <ul>
 *   <li><b>Four rows in lockstep.</b> Each step needs {@code G p} for every row: {@code 2 k^2}
 *       flops against {@code 4 k} per entry, as much as the entries at rank 64 and about 50
 *       entries per row. Taken one row at a time it is a matrix-vector product, bound by
 *       loading {@code G} (32 KB at rank 64, more than what is left of the L1 cache next to a
 *       row's gathered factors). Four rows at once make it a {@code k x k} by {@code k x 4}
 *       product ({@link #sharedTimes}): every vector of {@code G} loaded feeds four FMAs, and
 *       sixteen accumulators stay in registers over the whole of {@code G}. Measured alone
 *       at rank 64 it ran at 66 GFLOP/s per core against 21 for the one-row product.</li>
 *   <li><b>Gathered once.</b> Each row's factor rows are copied once per call into a
 *       contiguous, padded buffer with their weights and values; the residual and the
 *       {@code steps} products stream through that buffer.</li>
 *   <li><b>Fused passes over the entries.</b> {@code F^T W F p} takes each gathered row
 *       once: at padded ranks of four or eight vectors (ranks 25-32 and 57-64 with 512-bit
 *       vectors) the row is loaded into registers, where it feeds both its dot product with
 *       {@code p} and its scaled addition to {@code A p}, both of which stay in registers over
 *       the whole row ({@link #passEight}); at other ranks four entries at a time: four dot
 *       products (four independent FMA chains), then the four scaled rows are added to
 *       {@code A p} while they are in the L1 cache.</li>
 * </ul>
 *
 * <h2>Determinism</h2>
 * A row's result depends only on its own inputs: the lockstep product computes each row's
 * lanes with the same sequence of operations whichever rows share the group (a lane of
 * {@code G p} is always {@code fma} over {@code j = 0..k-1} from zero), a group that is not
 * full is padded with zero rows, and the few horizontal sums are written out lane by lane and
 * added in a fixed order ({@code reduceLanes(ADD)} leaves its order unspecified, so compiled
 * and interpreted code could differ). So results are bit-identical for every thread count.
 * They can differ between machines with different vector widths.
 *
 * <p>Not thread-safe: one per worker.
 */
final class VectorBlockConjugateGradient implements RowwiseLeastSquaresStep.CgBlockSolver {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();
    /** Rows in lockstep. */
    static final int GROUP = 4;
    /** Lane {@code i} to lane {@code i xor h} (identity where the width has no such lane; unused then). */
    private static final VectorShuffle<Double> XOR_4 = xor(4);
    private static final VectorShuffle<Double> XOR_2 = xor(2);
    private static final VectorShuffle<Double> XOR_1 = xor(1);

    private final int k;
    /** The padded stride: the rank rounded up to a whole number of vectors. */
    private final int kp;
    private final Slot[] slots = new Slot[GROUP];
    /** x, r, p, A p and G p of the group's rows, {@code kp} apart; padding stays zero. */
    private final double[] xs;
    private final double[] rs;
    private final double[] ps;
    private final double[] aps;
    private final double[] gps;
    private final double[] lanes;
    /** The passes in single precision (null without {@link #floats}), and whether the current call uses them. */
    private final SinglePrecisionPasses singles;
    private boolean single;
    /** The fixed side in float during a single-precision call, shared by the step's workers; null if none. */
    private final FloatFactors floats;
    /** The shared term last seen, and a dense padded copy of it. */
    private Gram sharedSeen;
    private double[] sharedDense;

    /** One row of the group: its gathered entries and its scalars. */
    private static final class Slot {
        double[] rows = new double[0];
        float[] rowsSingle = new float[0];
        double[] weights = new double[0];
        double[] values = new double[0];
        int n;
        int row;
        double penalty;
        double rr;
        boolean active;
    }

    private static VectorShuffle<Double> xor(int h) {
        return VectorShuffle.fromOp(SPECIES, i -> h < VL ? i ^ h : i);
    }

    VectorBlockConjugateGradient(int rank) {
        this(rank, null);
    }

    /** @param floats where the step puts the fixed side rounded to float for a single-precision call; null: double only */
    VectorBlockConjugateGradient(int rank, FloatFactors floats) {
        this.floats = floats;
        this.k = rank;
        this.kp = (rank + VL - 1) / VL * VL;
        for (int s = 0; s < GROUP; s++) {
            slots[s] = new Slot();
        }
        this.xs = new double[GROUP * kp];
        this.rs = new double[GROUP * kp];
        this.ps = new double[GROUP * kp];
        this.aps = new double[GROUP * kp];
        this.gps = new double[GROUP * kp];
        this.lanes = new double[VL];
        this.singles = floats == null ? null : new SinglePrecisionPasses(rank);
    }

    @Override
    public boolean singlePrecision() {
        return floats != null;
    }

    @Override
    public void iterate(SparseView observed, int from, int to, FactorMatrix fixed, Regularizer reg, Gram shared,
                        FactorMatrix target, int steps) {
        iterate(observed, from, to, fixed, reg, shared, target, steps, false);
    }

    @Override
    public void iterate(SparseView observed, int from, int to, FactorMatrix fixed, Regularizer reg, Gram shared,
                        FactorMatrix target, int steps, boolean singlePrecision) {
        if (singlePrecision && (floats == null || !floats.holds(fixed))) {
            throw new UnsupportedOperationException("single precision needs the fixed side in float from the step");
        }
        this.single = singlePrecision;
        double[] g = shared == null ? null : dense(shared);
        double[] out = target.data();
        int m = 0;
        for (int r = from; r < to; r++) {
            int n = observed.count(r);
            if (n == 0) {
                Arrays.fill(out, r * k, (r + 1) * k, 0);
                continue;
            }
            double penalty = reg.penalty(n);
            if (penalty == 0 && n < k && shared == null) {
                throw new SingularSystemException(r, k, n, penalty);
            }
            Slot slot = slots[m];
            gather(slot, observed, r, fixed);
            slot.penalty = penalty;
            m++;
            if (m == GROUP) {
                group(GROUP, g, out, steps);
                m = 0;
            }
        }
        if (m > 0) {
            group(m, g, out, steps);
        }
    }

    /** Runs the first {@code m} slots' rows in lockstep; the others are zero rows. */
    private void group(int m, double[] g, double[] out, int steps) {
        Arrays.fill(xs, 0);
        for (int s = 0; s < m; s++) {
            System.arraycopy(out, slots[s].row * k, xs, s * kp, k);
        }
        // r = F^T v - (G + lambda I) x - F^T W F x
        if (g != null) {
            sharedTimes(g, xs, gps);
        }
        Arrays.fill(ps, 0);
        for (int s = 0; s < m; s++) {
            Slot slot = slots[s];
            int o = s * kp;
            combine(g != null, slot.penalty, xs, o, rs, true);
            pass(slot, xs, o, rs, true);
            System.arraycopy(rs, o, ps, o, kp);
            slot.rr = dot(rs, o, rs, o);
            slot.active = slot.rr > 0;
        }
        for (int step = 0; step < steps; step++) {
            boolean any = false;
            for (int s = 0; s < m; s++) {
                any |= slots[s].active;
            }
            if (!any) {
                break;
            }
            if (g != null) {
                sharedTimes(g, ps, gps);
            }
            for (int s = 0; s < m; s++) {
                Slot slot = slots[s];
                if (!slot.active) {
                    continue;
                }
                int o = s * kp;
                combine(g != null, slot.penalty, ps, o, aps, false);
                pass(slot, ps, o, aps, false);
                double curvature = dot(ps, o, aps, o);
                if (!(curvature > 0)) {
                    slot.active = false;
                    continue;
                }
                double a = slot.rr / curvature;
                DoubleVector va = DoubleVector.broadcast(SPECIES, a);
                DoubleVector vna = DoubleVector.broadcast(SPECIES, -a);
                for (int c = o; c < o + kp; c += VL) {
                    DoubleVector vp = DoubleVector.fromArray(SPECIES, ps, c);
                    vp.fma(va, DoubleVector.fromArray(SPECIES, xs, c)).intoArray(xs, c);
                    DoubleVector.fromArray(SPECIES, aps, c).fma(vna, DoubleVector.fromArray(SPECIES, rs, c))
                            .intoArray(rs, c);
                }
                double next = dot(rs, o, rs, o);
                DoubleVector beta = DoubleVector.broadcast(SPECIES, next / slot.rr);
                for (int c = o; c < o + kp; c += VL) {
                    DoubleVector.fromArray(SPECIES, ps, c).fma(beta, DoubleVector.fromArray(SPECIES, rs, c))
                            .intoArray(ps, c);
                }
                slot.rr = next;
                slot.active = next > 0;
            }
        }
        for (int s = 0; s < m; s++) {
            Slot slot = slots[s];
            int o = s * kp;
            for (int c = 0; c < k; c++) {
                if (!Double.isFinite(xs[o + c])) {
                    throw new SingularSystemException(slot.row, k, slot.n, slot.penalty);
                }
            }
            System.arraycopy(xs, o, out, slot.row * k, k);
        }
    }

    /**
     * {@code dst[o..] = G v + lambda v} (from {@link #gps} when there is a shared term), negated
     * when {@code negate} (the residual's start).
     */
    private void combine(boolean withShared, double penalty, double[] v, int o, double[] dst, boolean negate) {
        DoubleVector lambda = DoubleVector.broadcast(SPECIES, penalty);
        for (int c = o; c < o + kp; c += VL) {
            DoubleVector t = DoubleVector.fromArray(SPECIES, v, c).mul(lambda);
            if (withShared) {
                t = DoubleVector.fromArray(SPECIES, gps, c).add(t);
            }
            (negate ? t.neg() : t).intoArray(dst, c);
        }
    }

    /**
     * {@code out_s = G v_s} for the four rows of {@code v} ({@code kp} apart), {@code G}
     * symmetric so {@code G v = sum_j v_j G_j}: for each block of four vectors of the result,
     * sixteen accumulators (four rows by four vectors) over the rows {@code j} of {@code G},
     * each loaded vector of {@code G} feeding four FMAs; then single vectors. Every lane is
     * {@code fma} over {@code j = 0..k-1} in order, from zero, in either path.
     */
    private void sharedTimes(double[] g, double[] v, double[] out) {
        int o1 = kp;
        int o2 = 2 * kp;
        int o3 = 3 * kp;
        int c = 0;
        for (; c + 4 * VL <= kp; c += 4 * VL) {
            DoubleVector a00 = DoubleVector.zero(SPECIES);
            DoubleVector a01 = a00;
            DoubleVector a02 = a00;
            DoubleVector a03 = a00;
            DoubleVector a10 = a00;
            DoubleVector a11 = a00;
            DoubleVector a12 = a00;
            DoubleVector a13 = a00;
            DoubleVector a20 = a00;
            DoubleVector a21 = a00;
            DoubleVector a22 = a00;
            DoubleVector a23 = a00;
            DoubleVector a30 = a00;
            DoubleVector a31 = a00;
            DoubleVector a32 = a00;
            DoubleVector a33 = a00;
            for (int j = 0, at = c; j < k; j++, at += kp) {
                DoubleVector g0 = DoubleVector.fromArray(SPECIES, g, at);
                DoubleVector g1 = DoubleVector.fromArray(SPECIES, g, at + VL);
                DoubleVector g2 = DoubleVector.fromArray(SPECIES, g, at + 2 * VL);
                DoubleVector g3 = DoubleVector.fromArray(SPECIES, g, at + 3 * VL);
                DoubleVector b = DoubleVector.broadcast(SPECIES, v[j]);
                a00 = g0.fma(b, a00);
                a01 = g1.fma(b, a01);
                a02 = g2.fma(b, a02);
                a03 = g3.fma(b, a03);
                b = DoubleVector.broadcast(SPECIES, v[o1 + j]);
                a10 = g0.fma(b, a10);
                a11 = g1.fma(b, a11);
                a12 = g2.fma(b, a12);
                a13 = g3.fma(b, a13);
                b = DoubleVector.broadcast(SPECIES, v[o2 + j]);
                a20 = g0.fma(b, a20);
                a21 = g1.fma(b, a21);
                a22 = g2.fma(b, a22);
                a23 = g3.fma(b, a23);
                b = DoubleVector.broadcast(SPECIES, v[o3 + j]);
                a30 = g0.fma(b, a30);
                a31 = g1.fma(b, a31);
                a32 = g2.fma(b, a32);
                a33 = g3.fma(b, a33);
            }
            a00.intoArray(out, c);
            a01.intoArray(out, c + VL);
            a02.intoArray(out, c + 2 * VL);
            a03.intoArray(out, c + 3 * VL);
            a10.intoArray(out, o1 + c);
            a11.intoArray(out, o1 + c + VL);
            a12.intoArray(out, o1 + c + 2 * VL);
            a13.intoArray(out, o1 + c + 3 * VL);
            a20.intoArray(out, o2 + c);
            a21.intoArray(out, o2 + c + VL);
            a22.intoArray(out, o2 + c + 2 * VL);
            a23.intoArray(out, o2 + c + 3 * VL);
            a30.intoArray(out, o3 + c);
            a31.intoArray(out, o3 + c + VL);
            a32.intoArray(out, o3 + c + 2 * VL);
            a33.intoArray(out, o3 + c + 3 * VL);
        }
        for (; c < kp; c += VL) {
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            DoubleVector a1 = a0;
            DoubleVector a2 = a0;
            DoubleVector a3 = a0;
            for (int j = 0, at = c; j < k; j++, at += kp) {
                DoubleVector g0 = DoubleVector.fromArray(SPECIES, g, at);
                a0 = g0.fma(DoubleVector.broadcast(SPECIES, v[j]), a0);
                a1 = g0.fma(DoubleVector.broadcast(SPECIES, v[o1 + j]), a1);
                a2 = g0.fma(DoubleVector.broadcast(SPECIES, v[o2 + j]), a2);
                a3 = g0.fma(DoubleVector.broadcast(SPECIES, v[o3 + j]), a3);
            }
            a0.intoArray(out, c);
            a1.intoArray(out, o1 + c);
            a2.intoArray(out, o2 + c);
            a3.intoArray(out, o3 + c);
        }
    }

    /** Copies row {@code row}'s factor rows, weights and values into the slot. */
    private void gather(Slot slot, SparseView observed, int row, FactorMatrix fixed) {
        int start = observed.start(row);
        int n = observed.end(row) - start;
        if (slot.weights.length < n) {
            int cap = Math.max(n, slot.weights.length + slot.weights.length / 2);
            slot.weights = new double[cap];
            slot.values = new double[cap];
        }
        int cap = slot.weights.length;
        if (single && slot.rowsSingle.length < n * singles.kpf) {
            slot.rowsSingle = new float[cap * singles.kpf];
        } else if (!single && slot.rows.length < n * kp) {
            slot.rows = new double[cap * kp];
        }
        double[] f = fixed.data();
        for (int i = 0; i < n; i++) {
            int e = start + i;
            if (single) {
                System.arraycopy(floats.data(), observed.index(e) * k, slot.rowsSingle, i * singles.kpf, k);
            } else {
                System.arraycopy(f, observed.index(e) * k, slot.rows, i * kp, k);
            }
            slot.weights[i] = observed.weight(e);
            slot.values[i] = observed.value(e);
        }
        slot.n = n;
        slot.row = row;
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

    /**
     * One pass over a slot's gathered rows: {@code out[o..] += sum_e s_e f_e} with
     * {@code s_e = w_e (f_e . v)}, or for the residual ({@code residual} true)
     * {@code s_e = v_e - w_e (f_e . v)}, where {@code v} is {@code v[o..o+kp)}.
     */
    private void pass(Slot slot, double[] v, int vo, double[] out, boolean residual) {
        if (single) {
            singles.pass(slot.rowsSingle, slot.n, slot.weights, slot.values, v, vo, out, residual);
            return;
        }
        if (kp == 8 * VL) {
            passEight(slot, v, vo, out, residual);
            return;
        }
        if (kp == 4 * VL) {
            passFour(slot, v, vo, out, residual);
            return;
        }
        double[] f = slot.rows;
        double[] w = slot.weights;
        double[] val = slot.values;
        int n = slot.n;
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
                DoubleVector vc = DoubleVector.fromArray(SPECIES, v, vo + c);
                a0 = DoubleVector.fromArray(SPECIES, f, o0 + c).fma(vc, a0);
                a1 = DoubleVector.fromArray(SPECIES, f, o1 + c).fma(vc, a1);
                a2 = DoubleVector.fromArray(SPECIES, f, o2 + c).fma(vc, a2);
                a3 = DoubleVector.fromArray(SPECIES, f, o3 + c).fma(vc, a3);
            }
            double s0 = w[e] * sum(a0);
            double s1 = w[e + 1] * sum(a1);
            double s2 = w[e + 2] * sum(a2);
            double s3 = w[e + 3] * sum(a3);
            if (residual) {
                s0 = val[e] - s0;
                s1 = val[e + 1] - s1;
                s2 = val[e + 2] - s2;
                s3 = val[e + 3] - s3;
            }
            DoubleVector b0 = DoubleVector.broadcast(SPECIES, s0);
            DoubleVector b1 = DoubleVector.broadcast(SPECIES, s1);
            DoubleVector b2 = DoubleVector.broadcast(SPECIES, s2);
            DoubleVector b3 = DoubleVector.broadcast(SPECIES, s3);
            for (int c = 0; c < kp; c += VL) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, out, vo + c);
                acc = DoubleVector.fromArray(SPECIES, f, o0 + c).fma(b0, acc);
                acc = DoubleVector.fromArray(SPECIES, f, o1 + c).fma(b1, acc);
                acc = DoubleVector.fromArray(SPECIES, f, o2 + c).fma(b2, acc);
                acc = DoubleVector.fromArray(SPECIES, f, o3 + c).fma(b3, acc);
                acc.intoArray(out, vo + c);
            }
        }
        for (; e < n; e++) {
            int o0 = e * kp;
            DoubleVector a0 = DoubleVector.zero(SPECIES);
            for (int c = 0; c < kp; c += VL) {
                a0 = DoubleVector.fromArray(SPECIES, f, o0 + c).fma(DoubleVector.fromArray(SPECIES, v, vo + c), a0);
            }
            double s = w[e] * sum(a0);
            if (residual) {
                s = val[e] - s;
            }
            DoubleVector b = DoubleVector.broadcast(SPECIES, s);
            for (int c = 0; c < kp; c += VL) {
                DoubleVector.fromArray(SPECIES, f, o0 + c).fma(b, DoubleVector.fromArray(SPECIES, out, vo + c))
                        .intoArray(out, vo + c);
            }
        }
    }

    /**
     * {@link #pass} for a padded rank of eight vectors (rank 57 to 64 with 512-bit vectors),
     * one entry at a time with {@code v} and the sum held in registers: each gathered row is
     * loaded once into eight vectors, which feed both its dot product (a fixed tree of
     * products) and its scaled addition to the sum. The only chain carried from one entry to
     * the next is the sum's FMA, so entries overlap; measured alone at rank 64 this ran
     * about 1.7x as fast per entry as the four-entry pass when the rows were in the cache.
     */
    private void passEight(Slot slot, double[] v, int vo, double[] out, boolean residual) {
        double[] f = slot.rows;
        double[] w = slot.weights;
        double[] val = slot.values;
        int n = slot.n;
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, v, vo);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, v, vo + VL);
        DoubleVector v2 = DoubleVector.fromArray(SPECIES, v, vo + 2 * VL);
        DoubleVector v3 = DoubleVector.fromArray(SPECIES, v, vo + 3 * VL);
        DoubleVector v4 = DoubleVector.fromArray(SPECIES, v, vo + 4 * VL);
        DoubleVector v5 = DoubleVector.fromArray(SPECIES, v, vo + 5 * VL);
        DoubleVector v6 = DoubleVector.fromArray(SPECIES, v, vo + 6 * VL);
        DoubleVector v7 = DoubleVector.fromArray(SPECIES, v, vo + 7 * VL);
        DoubleVector x0 = DoubleVector.fromArray(SPECIES, out, vo);
        DoubleVector x1 = DoubleVector.fromArray(SPECIES, out, vo + VL);
        DoubleVector x2 = DoubleVector.fromArray(SPECIES, out, vo + 2 * VL);
        DoubleVector x3 = DoubleVector.fromArray(SPECIES, out, vo + 3 * VL);
        DoubleVector x4 = DoubleVector.fromArray(SPECIES, out, vo + 4 * VL);
        DoubleVector x5 = DoubleVector.fromArray(SPECIES, out, vo + 5 * VL);
        DoubleVector x6 = DoubleVector.fromArray(SPECIES, out, vo + 6 * VL);
        DoubleVector x7 = DoubleVector.fromArray(SPECIES, out, vo + 7 * VL);
        for (int e = 0, o = 0; e < n; e++, o += kp) {
            DoubleVector f0 = DoubleVector.fromArray(SPECIES, f, o);
            DoubleVector f1 = DoubleVector.fromArray(SPECIES, f, o + VL);
            DoubleVector f2 = DoubleVector.fromArray(SPECIES, f, o + 2 * VL);
            DoubleVector f3 = DoubleVector.fromArray(SPECIES, f, o + 3 * VL);
            DoubleVector f4 = DoubleVector.fromArray(SPECIES, f, o + 4 * VL);
            DoubleVector f5 = DoubleVector.fromArray(SPECIES, f, o + 5 * VL);
            DoubleVector f6 = DoubleVector.fromArray(SPECIES, f, o + 6 * VL);
            DoubleVector f7 = DoubleVector.fromArray(SPECIES, f, o + 7 * VL);
            DoubleVector d = f0.mul(v0).add(f1.mul(v1)).add(f2.mul(v2).add(f3.mul(v3)))
                    .add(f4.mul(v4).add(f5.mul(v5)).add(f6.mul(v6).add(f7.mul(v7))));
            DoubleVector b = scaled(allLanesSum(d), w[e], residual, val[e]);
            x0 = f0.fma(b, x0);
            x1 = f1.fma(b, x1);
            x2 = f2.fma(b, x2);
            x3 = f3.fma(b, x3);
            x4 = f4.fma(b, x4);
            x5 = f5.fma(b, x5);
            x6 = f6.fma(b, x6);
            x7 = f7.fma(b, x7);
        }
        x0.intoArray(out, vo);
        x1.intoArray(out, vo + VL);
        x2.intoArray(out, vo + 2 * VL);
        x3.intoArray(out, vo + 3 * VL);
        x4.intoArray(out, vo + 4 * VL);
        x5.intoArray(out, vo + 5 * VL);
        x6.intoArray(out, vo + 6 * VL);
        x7.intoArray(out, vo + 7 * VL);
    }

    /**
     * A vector whose every lane holds the sum of {@code d}'s lanes, by a butterfly: lanes
     * {@code i} and {@code i xor h} added for {@code h = VL/2, ..., 1} (up to 8 lanes). The same additions in
     * the same order in every lane and in every compilation mode, so deterministic; no lane
     * leaves the register.
     */
    private static DoubleVector allLanesSum(DoubleVector d) {
        if (VL >= 8) {
            d = d.add(d.rearrange(XOR_4));
        }
        if (VL >= 4) {
            d = d.add(d.rearrange(XOR_2));
        }
        if (VL >= 2) {
            d = d.add(d.rearrange(XOR_1));
        }
        return d;
    }

    /** {@code w s}, or {@code v - w s} for the residual, lane by lane. */
    private static DoubleVector scaled(DoubleVector sum, double w, boolean residual, double v) {
        DoubleVector ws = sum.mul(w);
        return residual ? DoubleVector.broadcast(SPECIES, v).sub(ws) : ws;
    }

    /** {@link #passEight} for a padded rank of four vectors (rank 25 to 32 with 512-bit vectors). */
    private void passFour(Slot slot, double[] v, int vo, double[] out, boolean residual) {
        double[] f = slot.rows;
        double[] w = slot.weights;
        double[] val = slot.values;
        int n = slot.n;
        DoubleVector v0 = DoubleVector.fromArray(SPECIES, v, vo);
        DoubleVector v1 = DoubleVector.fromArray(SPECIES, v, vo + VL);
        DoubleVector v2 = DoubleVector.fromArray(SPECIES, v, vo + 2 * VL);
        DoubleVector v3 = DoubleVector.fromArray(SPECIES, v, vo + 3 * VL);
        DoubleVector x0 = DoubleVector.fromArray(SPECIES, out, vo);
        DoubleVector x1 = DoubleVector.fromArray(SPECIES, out, vo + VL);
        DoubleVector x2 = DoubleVector.fromArray(SPECIES, out, vo + 2 * VL);
        DoubleVector x3 = DoubleVector.fromArray(SPECIES, out, vo + 3 * VL);
        for (int e = 0, o = 0; e < n; e++, o += kp) {
            DoubleVector f0 = DoubleVector.fromArray(SPECIES, f, o);
            DoubleVector f1 = DoubleVector.fromArray(SPECIES, f, o + VL);
            DoubleVector f2 = DoubleVector.fromArray(SPECIES, f, o + 2 * VL);
            DoubleVector f3 = DoubleVector.fromArray(SPECIES, f, o + 3 * VL);
            DoubleVector d = f0.mul(v0).add(f1.mul(v1)).add(f2.mul(v2).add(f3.mul(v3)));
            DoubleVector b = scaled(allLanesSum(d), w[e], residual, val[e]);
            x0 = f0.fma(b, x0);
            x1 = f1.fma(b, x1);
            x2 = f2.fma(b, x2);
            x3 = f3.fma(b, x3);
        }
        x0.intoArray(out, vo);
        x1.intoArray(out, vo + VL);
        x2.intoArray(out, vo + 2 * VL);
        x3.intoArray(out, vo + 3 * VL);
    }

    /** The lanes of a vector added in a fixed order (pairs, then pairs of pairs, for 8 lanes). */
    private double sum(DoubleVector v) {
        double[] l = lanes;
        v.intoArray(l, 0);
        if (VL == 8) {
            return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
        }
        double s = 0;
        for (int i = 0; i < VL; i++) {
            s += l[i];
        }
        return s;
    }

    private double dot(double[] a, int ao, double[] b, int bo) {
        DoubleVector acc = DoubleVector.zero(SPECIES);
        for (int c = 0; c < kp; c += VL) {
            acc = DoubleVector.fromArray(SPECIES, a, ao + c).fma(DoubleVector.fromArray(SPECIES, b, bo + c), acc);
        }
        return sum(acc);
    }
}
