package io.als.spi;

/**
 * Whole-matrix products that a backend may run on its own library: scoring a block of query
 * rows (users, or folded-in users) against every item row, which is what recommending for
 * many users and item-item similarity are made of. The default methods are plain Java; a
 * backend with a fast matrix multiply (BLAS-3) overrides them, as {@code nd4j} does with
 * ND4J's {@code gemm}. Implementations are thread-safe and allocate nothing per call beyond
 * their own workspaces.
 */
public interface MatrixProducts {

    /** The plain-Java products. */
    MatrixProducts JAVA = new MatrixProducts() {
    };

    /**
     * The scores of rows {@code [from, to)} of {@code queries} against every row of
     * {@code items}: {@code out[(r - from) * items.rows() + j] = queries_r . items_j}.
     *
     * @param queries the query rows, of the rank of {@code items}. Not modified.
     * @param items   the rows to score against. Not modified.
     * @param out     at least {@code (to - from) * items.rows()} long. Modified.
     */
    default void scores(FactorMatrix queries, int from, int to, FactorMatrix items, double[] out) {
        checkScores(queries, from, to, items, out);
        int n = items.rows();
        for (int r = from; r < to; r++) {
            int base = (r - from) * n;
            for (int j = 0; j < n; j++) {
                out[base + j] = queries.dot(r, items, j);
            }
        }
    }

    /** Checks the arguments of {@link #scores}, for implementations. */
    static void checkScores(FactorMatrix queries, int from, int to, FactorMatrix items, double[] out) {
        if (queries.rank() != items.rank()) {
            throw new IllegalArgumentException("queries must have the rank of items, " + items.rank() + ", but had "
                    + queries.rank());
        }
        if (from < 0 || to > queries.rows() || from > to) {
            throw new IllegalArgumentException("rows must be a range within [0, " + queries.rows() + "] but were ["
                    + from + ", " + to + ")");
        }
        if (out.length < (long) (to - from) * items.rows()) {
            throw new IllegalArgumentException("out must hold " + (long) (to - from) * items.rows()
                    + " scores but had " + out.length);
        }
    }
}
