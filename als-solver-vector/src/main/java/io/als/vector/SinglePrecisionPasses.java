package io.als.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The passes over a row's entries of {@link VectorBlockConjugateGradient} in single precision,
 * for {@code ImplicitFeedback.RowSolve.CG_FLOAT}: the gathered factor rows are float (copied
 * from {@link FloatFactors}, the fixed side rounded once per half-step), and each pass
 * {@code out += sum_e s_e f_e} with {@code s_e = w_e (f_e . v)}
 * (or {@code v_e - w_e (f_e . v)} for the residual) takes its dot products and its sum in
 * float vectors, which hold twice as many lanes as double vectors and need half the bytes.
 * Where the gathered rows no longer fit the L2 cache (long rows, large data) the passes are
 * bound by reading them, so half the bytes is nearly half the time.
 *
 * <p>What stays in double: the CG iterates, their scalars, {@code G p}, each residual's
 * {@code v_e - w_e d_e}, and the running sum, into which the float sum is added every
 * {@value #FLUSH} entries so that rounding does not grow with a row's length. A row's result
 * still depends only on its own inputs, in the same order of operations in every thread and
 * compilation mode, so results are bit-identical for every thread count.
 *
 * <p>Not thread-safe: one per {@link VectorBlockConjugateGradient}.
 */
final class SinglePrecisionPasses {
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    static final int FVL = FLOATS.length();
    /** Entries summed in float before the sum is added to the double result. */
    static final int FLUSH = 256;
    private static final VectorShuffle<Float> XOR_8 = xor(8);
    private static final VectorShuffle<Float> XOR_4 = xor(4);
    private static final VectorShuffle<Float> XOR_2 = xor(2);
    private static final VectorShuffle<Float> XOR_1 = xor(1);

    private final int k;
    /** The padded stride of a gathered float row: the rank rounded up to whole float vectors. */
    final int kpf;
    private final float[] v;
    private final float[] acc;

    SinglePrecisionPasses(int rank) {
        this.k = rank;
        this.kpf = (rank + FVL - 1) / FVL * FVL;
        this.v = new float[kpf];
        this.acc = new float[kpf];
    }

    private static VectorShuffle<Float> xor(int h) {
        return VectorShuffle.fromOp(FLOATS, i -> h < FVL ? i ^ h : i);
    }

    /**
     * {@code out[vo..vo+k) += sum_e s_e f_e} over the {@code n} gathered float rows of
     * {@code rows} ({@link #kpf} apart), with {@code s_e} as in the class comment and
     * {@code v = v[vo..vo+k)} rounded to float.
     */
    void pass(float[] rows, int n, double[] w, double[] val, double[] vd, int vo, double[] out, boolean residual) {
        for (int c = 0; c < k; c++) {
            v[c] = (float) vd[vo + c];
        }
        for (int e0 = 0; e0 < n; e0 += FLUSH) {
            int e1 = Math.min(n, e0 + FLUSH);
            if (kpf == 4 * FVL) {
                passFour(rows, e0, e1, w, val, residual);
            } else if (kpf == 2 * FVL) {
                passTwo(rows, e0, e1, w, val, residual);
            } else {
                passAny(rows, e0, e1, w, val, residual);
            }
            for (int c = 0; c < k; c++) {
                out[vo + c] += acc[c];
            }
        }
    }

    /** Entries {@code [e0, e1)} into {@link #acc}, for four float vectors per row, all in registers. */
    private void passFour(float[] f, int e0, int e1, double[] w, double[] val, boolean residual) {
        FloatVector v0 = FloatVector.fromArray(FLOATS, v, 0);
        FloatVector v1 = FloatVector.fromArray(FLOATS, v, FVL);
        FloatVector v2 = FloatVector.fromArray(FLOATS, v, 2 * FVL);
        FloatVector v3 = FloatVector.fromArray(FLOATS, v, 3 * FVL);
        FloatVector x0 = FloatVector.zero(FLOATS);
        FloatVector x1 = x0;
        FloatVector x2 = x0;
        FloatVector x3 = x0;
        for (int e = e0, o = e0 * kpf; e < e1; e++, o += kpf) {
            FloatVector f0 = FloatVector.fromArray(FLOATS, f, o);
            FloatVector f1 = FloatVector.fromArray(FLOATS, f, o + FVL);
            FloatVector f2 = FloatVector.fromArray(FLOATS, f, o + 2 * FVL);
            FloatVector f3 = FloatVector.fromArray(FLOATS, f, o + 3 * FVL);
            FloatVector d = f0.mul(v0).add(f1.mul(v1)).add(f2.mul(v2).add(f3.mul(v3)));
            FloatVector b = scaled(allLanesSum(d), w[e], residual, val[e]);
            x0 = f0.fma(b, x0);
            x1 = f1.fma(b, x1);
            x2 = f2.fma(b, x2);
            x3 = f3.fma(b, x3);
        }
        x0.intoArray(acc, 0);
        x1.intoArray(acc, FVL);
        x2.intoArray(acc, 2 * FVL);
        x3.intoArray(acc, 3 * FVL);
    }

    /** {@link #passFour} for two float vectors per row. */
    private void passTwo(float[] f, int e0, int e1, double[] w, double[] val, boolean residual) {
        FloatVector v0 = FloatVector.fromArray(FLOATS, v, 0);
        FloatVector v1 = FloatVector.fromArray(FLOATS, v, FVL);
        FloatVector x0 = FloatVector.zero(FLOATS);
        FloatVector x1 = x0;
        for (int e = e0, o = e0 * kpf; e < e1; e++, o += kpf) {
            FloatVector f0 = FloatVector.fromArray(FLOATS, f, o);
            FloatVector f1 = FloatVector.fromArray(FLOATS, f, o + FVL);
            FloatVector b = scaled(allLanesSum(f0.mul(v0).add(f1.mul(v1))), w[e], residual, val[e]);
            x0 = f0.fma(b, x0);
            x1 = f1.fma(b, x1);
        }
        x0.intoArray(acc, 0);
        x1.intoArray(acc, FVL);
    }

    /** Any padded width: the dot's vectors in order, then the scaled row added to {@link #acc} in memory. */
    private void passAny(float[] f, int e0, int e1, double[] w, double[] val, boolean residual) {
        Arrays.fill(acc, 0f);
        for (int e = e0, o = e0 * kpf; e < e1; e++, o += kpf) {
            FloatVector d = FloatVector.zero(FLOATS);
            for (int c = 0; c < kpf; c += FVL) {
                d = FloatVector.fromArray(FLOATS, f, o + c).fma(FloatVector.fromArray(FLOATS, v, c), d);
            }
            FloatVector b = scaled(allLanesSum(d), w[e], residual, val[e]);
            for (int c = 0; c < kpf; c += FVL) {
                FloatVector.fromArray(FLOATS, f, o + c).fma(b, FloatVector.fromArray(FLOATS, acc, c))
                        .intoArray(acc, c);
            }
        }
    }

    /** Every lane the sum of {@code d}'s lanes, by a butterfly (lanes {@code i} and {@code i xor h}). */
    private static FloatVector allLanesSum(FloatVector d) {
        if (FVL >= 16) {
            d = d.add(d.rearrange(XOR_8));
        }
        if (FVL >= 8) {
            d = d.add(d.rearrange(XOR_4));
        }
        if (FVL >= 4) {
            d = d.add(d.rearrange(XOR_2));
        }
        if (FVL >= 2) {
            d = d.add(d.rearrange(XOR_1));
        }
        return d;
    }

    /**
     * {@code w d} in every lane, or for the residual {@code v - w d} computed in double (the
     * value and {@code w d} can be large and close, so their difference is not left to float).
     */
    private static FloatVector scaled(FloatVector sum, double w, boolean residual, double v) {
        if (residual) {
            return FloatVector.broadcast(FLOATS, (float) (v - w * sum.lane(0)));
        }
        return sum.mul((float) w);
    }
}
