package io.als.api;

import io.als.internal.Gaussians;
import io.als.spi.FactorMatrix;
import io.als.spi.rowwise.RowParallel;
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

    /** Rows drawn per block of {@link #fill(FactorMatrix, long, RowParallel)}. */
    private static final int FILL_BLOCK_ROWS = 512;

    public static Initialization parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("init must be one of ones, random but was " + text);
        }
    }

    /** Fills {@code users} as a fit with this seed starts. */
    public void fill(FactorMatrix users, long seed) {
        try (RowParallel inline = new RowParallel(1)) {
            fill(users, seed, inline);
        }
    }

    /**
     * Fills {@code users} as {@link #fill(FactorMatrix, long)} does, bit for bit, drawing the
     * rows on {@code parallel}'s threads: the row streams are split in row order first (cheap),
     * and the draws (a logarithm, a square root and a cosine per value) are shared out.
     */
    public void fill(FactorMatrix users, long seed, RowParallel parallel) {
        double[] d = users.data();
        int k = users.rank();
        if (this == ONES) {
            Arrays.fill(d, 1.0);
            return;
        }
        SplittableRandom root = FitStreams.initialization(seed);
        SplittableRandom[] streams = new SplittableRandom[users.rows()];
        for (int r = 0; r < streams.length; r++) {
            streams[r] = root.split();
        }
        parallel.run(streams.length, FILL_BLOCK_ROWS, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                randomRow(streams[r], d, r * k, k);
            }
        });
    }

    /**
     * Fills row {@code r} of {@code target} with the values that {@link #fill} gives user row
     * {@code rows[r]}, bit for bit: for code that holds only some of the users (a block of a
     * distributed fit). The row streams are split in row order up to the largest row asked
     * for; only the rows asked for are drawn.
     *
     * @param target receives one row per entry of {@code rows}, of the fit's rank. Modified.
     * @param rows   the user rows wanted, strictly increasing and non-negative. Not modified.
     */
    public void fillRows(FactorMatrix target, long seed, int[] rows) {
        if (target.rows() != rows.length) {
            throw new IllegalArgumentException("target must have rows.length = " + rows.length + " rows but had "
                    + target.rows());
        }
        for (int r = 1; r < rows.length; r++) {
            if (rows[r] <= rows[r - 1]) {
                throw new IllegalArgumentException("rows must be strictly increasing but rows[" + r + "] = " + rows[r]
                        + " follows " + rows[r - 1]);
            }
        }
        if (rows.length > 0 && rows[0] < 0) {
            throw new IllegalArgumentException("rows must be non-negative but rows[0] was " + rows[0]);
        }
        double[] d = target.data();
        int k = target.rank();
        if (this == ONES) {
            Arrays.fill(d, 1.0);
            return;
        }
        SplittableRandom streams = FitStreams.initialization(seed);
        int next = 0;
        for (int row = 0; next < rows.length; row++) {
            SplittableRandom rnd = streams.split();
            if (row == rows[next]) {
                randomRow(rnd, d, next * k, k);
                next++;
            }
        }
    }

    /** One row of {@link #RANDOM}: absolute standard normals from {@code rnd}, scaled to unit length. */
    private static void randomRow(SplittableRandom rnd, double[] d, int at, int k) {
        double norm = 0;
        for (int c = 0; c < k; c++) {
            double g = Math.abs(Gaussians.next(rnd));
            d[at + c] = g;
            norm += g * g;
        }
        double scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (int c = 0; c < k; c++) {
            d[at + c] = norm > 0 ? d[at + c] * scale : 1 / Math.sqrt(k);
        }
    }
}
