package io.als.nd4j;

import io.als.internal.Checks;
import io.als.spi.LeastSquaresStep;
import io.als.spi.MatrixProducts;
import io.als.spi.Solver;

/**
 * The ND4J backend: ALS half-steps on ND4J and the OpenBLAS and LAPACK it ships, in double
 * precision, with no ND4J op per row (see {@link BlasLeastSquaresStep}).
 *
 * <p>Constructing this class is free; the native libraries and ND4J's backend (about a
 * second to load, see docs/nd4j.md) are loaded by the first {@link #newStep}. Parallelism
 * comes only from the {@code threads} argument ({@code AlsConfig.threads}, {@code --threads}).
 *
 * <p><b>Process-wide state.</b> While a step is open, OpenBLAS is set to one thread per call
 * so that BLAS threads do not compete with the workers for the cores; the previous count is
 * restored when the last open step is closed. ND4J's default data type is left alone: every
 * ND4J array the solver makes is explicitly double. Details in {@link NativeRuntime}.
 */
public final class Nd4jSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "nd4j";

    /**
     * Below this rank the Gram matrix is accumulated in Java; from it on, by BLAS-3 dsyrk.
     * Measured on ML-1M (docs/nd4j.md): a dsyrk call has a fixed cost of about 1.5 us, which
     * the Java loop beats up to rank 3, ties at 4 to 6, and loses to from rank 7 on.
     */
    static final int SYRK_FROM_RANK = 7;

    /** Null: choose by rank ({@link #gramMethodFor}). */
    private final GramMethod forcedMethod;

    /** The solver as configured for production: Gram method by rank. */
    public Nd4jSolver() {
        this(null);
    }

    /**
     * A solver with a fixed Gram method, for tests and measurements.
     *
     * @param forcedMethod the Gram method for every rank, or null to choose by rank
     */
    Nd4jSolver(GramMethod forcedMethod) {
        this.forcedMethod = forcedMethod;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        Checks.positive("rank", rank);
        Checks.positive("threads", threads);
        return new BlasLeastSquaresStep(rank, threads, forcedMethod != null ? forcedMethod : gramMethodFor(rank));
    }

    /** Block scores through ND4J's {@code gemm} ({@link Nd4jProducts}). */
    @Override
    public MatrixProducts products() {
        return PRODUCTS;
    }

    private static final MatrixProducts PRODUCTS = new Nd4jProducts();

    /** The faster way to build a row's normal equation at this rank. */
    static GramMethod gramMethodFor(int rank) {
        return rank < SYRK_FROM_RANK ? GramMethod.JAVA_LOOP : GramMethod.BLAS_SYRK;
    }
}
