package io.als.vector;

import io.als.spi.FactorMatrix;

/**
 * The fixed factor matrix of a single-precision conjugate-gradient call, rounded to float once
 * for the call and shared by the step's workers, which gather their rows from it (half the
 * bytes of the double rows, and no conversion per entry). Set and cleared by
 * {@link VectorStep} around each such call; the array is kept for the next one.
 */
final class FloatFactors {
    private float[] data = new float[0];
    private FactorMatrix source;

    /** Rounds {@code fixed} to float; until {@link #clear()}, {@link #holds(FactorMatrix)} is true for it. */
    void set(FactorMatrix fixed) {
        double[] d = fixed.data();
        if (data.length < d.length) {
            data = new float[d.length];
        }
        for (int i = 0; i < d.length; i++) {
            data[i] = (float) d[i];
        }
        source = fixed;
    }

    void clear() {
        source = null;
    }

    boolean holds(FactorMatrix fixed) {
        return source == fixed;
    }

    /** Row-major, the rank apart, as {@link FactorMatrix#data()}. */
    float[] data() {
        return data;
    }
}
