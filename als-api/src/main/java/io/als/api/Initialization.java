package io.als.api;

import io.als.internal.Gaussians;
import io.als.spi.FactorMatrix;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/** How the user factors are set before the first half-step (which solves the items). */
public enum Initialization {
    /** Every entry 1, as in the reference example. Deterministic, but with rank > 1 all
     *  columns start equal, so use it only for rank 1 or with a penalty. */
    ONES,
    /** Each user's row drawn from a stream of its own: the absolute values of standard
     *  normals, scaled to unit length (as Spark's ALS does). The row streams are split, in
     *  row order, from the fit's initialisation stream (the first split of
     *  {@code SplittableRandom(seed)}; see {@code FitStreams}), so a row's values depend on
     *  the seed and its index only, never on the thread count or on how many rows follow. */
    RANDOM;

    public static Initialization parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("init must be one of ones, random but was " + text);
        }
    }

    /** Fills {@code users} as a fit with this seed starts. */
    public void fill(FactorMatrix users, long seed) {
        double[] d = users.data();
        int k = users.rank();
        if (this == ONES) {
            Arrays.fill(d, 1.0);
            return;
        }
        SplittableRandom rows = FitStreams.initialization(seed);
        for (int r = 0; r < users.rows(); r++) {
            SplittableRandom rnd = rows.split();
            double norm = 0;
            for (int c = 0; c < k; c++) {
                double g = Math.abs(Gaussians.next(rnd));
                d[r * k + c] = g;
                norm += g * g;
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
            for (int c = 0; c < k; c++) {
                d[r * k + c] = norm > 0 ? d[r * k + c] * scale : 1 / Math.sqrt(k);
            }
        }
    }
}
