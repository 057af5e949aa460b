package io.als.spi;

/**
 * A named linear-algebra backend: it makes {@link LeastSquaresStep}s. Implementations are
 * registered with Guice under {@link #name()} (see {@code io.als.spi.SolverModule})
 * and chosen by that name from configuration. Implementations must be thread-safe and cheap
 * to construct; heavy set-up (native libraries, thread pools) belongs in {@link #newStep}.
 */
public interface Solver {

    /** The name users select this backend by, e.g. {@code ejml}. */
    String name();

    /**
     * A step for factors of the given rank that may use up to {@code threads} threads.
     * The caller closes it.
     */
    LeastSquaresStep newStep(int rank, int threads);

    /**
     * The whole-matrix products of this backend (scoring blocks of users against all items,
     * similarity). The default is plain Java; a backend with a fast matrix multiply overrides
     * it. Cheap to call; the result is thread-safe.
     */
    default MatrixProducts products() {
        return MatrixProducts.JAVA;
    }

    /**
     * Whether this backend's steps can run implicit conjugate gradient in single precision
     * ({@link LeastSquaresStep#solveConjugateGradient(SparseView, FactorMatrix, io.als.api.Regularizer, Gram,
     * FactorMatrix, int, boolean)}), so that a fit asking for it can be refused before any work.
     * The default: no.
     */
    default boolean singlePrecisionCg() {
        return false;
    }

    /**
     * Why this solver cannot make steps in this JVM (for example a JVM option it needs), or
     * empty when it can. Listings show it; {@link #newStep} still fails with the same reason.
     */
    default java.util.Optional<String> unavailableBecause() {
        return java.util.Optional.empty();
    }
}
