package io.als.nd4j;

/**
 * How a row's matrix {@code F_r^T W_r F_r} and right-hand side {@code F_r^T v_r} are built
 * before LAPACK solves the system. Both produce the same system (in opposite triangles, see
 * {@link BlasRowSolver}); they differ only in speed, which depends on the rank (figures in
 * docs/nd4j.md).
 */
enum GramMethod {
    /**
     * Gather the row's fixed-side factor rows, each followed by its rating, into off-heap
     * memory as a {@code (k+1) x n} column-major matrix {@code G = [F_r | a_r]^T}, and let
     * one BLAS-3 {@code dsyrk} form {@code G G^T}: its leading {@code k x k} block is the
     * Gram matrix and its last column is the right-hand side, so no separate {@code dgemv}
     * is needed. A row with weights other than 1 gathers {@code sqrt(w_e) f_e} instead, for
     * a dsyrk of order k, and sums its right-hand side in Java.
     */
    BLAS_SYRK,

    /**
     * Accumulate the triangle and right-hand side (weights included) in Java with the API's
     * {@link io.als.spi.rowwise.NormalEquation} (rank-4 updates that HotSpot vectorises), straight
     * from the fixed factors with no gather, then copy the finished triangle off-heap. Wins
     * when the rank is so small that a BLAS call's fixed cost outweighs its arithmetic.
     */
    JAVA_LOOP
}
