package io.als.conformance;

import io.als.api.Ratings;
import io.als.eval.SeededProblems;
import io.als.spi.FactorMatrix;
import io.als.spi.SparseView;

/**
 * Seeded generators of test problems for the conformance kit: the generators of
 * {@link SeededProblems}, under the name kit users know. Every problem is a pure function of
 * its sizes and seed, so a failing property replays from the parameters jqwik prints, and
 * shrinking works on sizes rather than on opaque matrices.
 */
public final class Problems {
    private Problems() {
    }

    /** See {@link SeededProblems#sparse}. */
    public static SparseView sparse(int rows, int cols, double density, long seed) {
        return SeededProblems.sparse(rows, cols, density, seed);
    }

    /** See {@link SeededProblems#ratings}. */
    public static Ratings ratings(int users, int items, double density, long seed) {
        return SeededProblems.ratings(users, items, density, seed);
    }

    /** See {@link SeededProblems#factors}. */
    public static FactorMatrix factors(int rows, int rank, long seed) {
        return SeededProblems.factors(rows, rank, seed);
    }

    /** See {@link SeededProblems#lowRank}. */
    public static Ratings lowRank(FactorMatrix a, FactorMatrix b) {
        return SeededProblems.lowRank(a, b);
    }

    /** See {@link SeededProblems#toDense}. */
    public static double[][] toDense(SparseView v) {
        return SeededProblems.toDense(v);
    }
}
