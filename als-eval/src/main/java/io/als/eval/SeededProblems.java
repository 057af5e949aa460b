package io.als.eval;

import io.als.spi.FactorMatrix;
import io.als.api.Ratings;
import io.als.spi.SparseView;
import java.util.SplittableRandom;

/**
 * Seeded generators of small test problems, for the solver conformance kit and for the
 * driver's own laws (which cannot depend on the kit: the kit depends on this module). Every
 * problem is a pure function of its sizes and seed, so a failing property replays from the
 * parameters jqwik prints, and shrinking works on sizes rather than on opaque matrices.
 */
public final class SeededProblems {
    private SeededProblems() {
    }

    /**
     * A sparse {@code rows x cols} matrix in which each entry is present with probability
     * {@code density} (at least one per row), values uniform in [1, 5].
     */
    public static SparseView sparse(int rows, int cols, double density, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] ptr = new int[rows + 1];
        int[] idx = new int[rows * cols];
        double[] val = new double[rows * cols];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int forced = rnd.nextInt(cols);
            for (int c = 0; c < cols; c++) {
                if (c == forced || rnd.nextDouble() < density) {
                    idx[n] = c;
                    val[n] = 1 + 4 * rnd.nextDouble();
                    n++;
                }
            }
            ptr[r + 1] = n;
        }
        return SparseView.copyOf(rows, cols, ptr, java.util.Arrays.copyOf(idx, n), java.util.Arrays.copyOf(val, n));
    }

    /** Like {@link #sparse} but every column also gets at least one entry, so every user and item is rated. */
    public static Ratings ratings(int users, int items, double density, long seed) {
        SparseView byUser = sparse(users, items, density, seed);
        SparseView byItem = byUser.transpose();
        boolean complete = true;
        for (int i = 0; i < items; i++) {
            complete &= byItem.count(i) > 0;
        }
        if (complete) {
            return Ratings.of(byUser);
        }
        // Give each empty column one rating from a seeded row.
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[][] dense = toDense(byUser);
        for (int i = 0; i < items; i++) {
            if (byItem.count(i) == 0) {
                dense[rnd.nextInt(users)][i] = 1 + 4 * rnd.nextDouble();
            }
        }
        return Ratings.fromDense(dense);
    }

    /** A dense random matrix with entries uniform in (-1, 1). */
    public static FactorMatrix factors(int rows, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorMatrix m = new FactorMatrix(rows, rank);
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            d[k] = 2 * rnd.nextDouble() - 1;
        }
        return m;
    }

    /** The fully observed {@code a * b^T}, an exactly rank-k matrix, as ratings. */
    public static Ratings lowRank(FactorMatrix a, FactorMatrix b) {
        double[][] dense = new double[a.rows()][b.rows()];
        for (int u = 0; u < a.rows(); u++) {
            for (int i = 0; i < b.rows(); i++) {
                dense[u][i] = a.dot(u, b, i);
            }
        }
        return Ratings.fromDense(dense);
    }

    /** The view as a dense matrix with NaN for missing entries. */
    public static double[][] toDense(SparseView v) {
        double[][] d = new double[v.rows()][v.cols()];
        for (double[] row : d) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int r = 0; r < v.rows(); r++) {
            for (int e = v.start(r); e < v.end(r); e++) {
                d[r][v.index(e)] = v.value(e);
            }
        }
        return d;
    }
}
