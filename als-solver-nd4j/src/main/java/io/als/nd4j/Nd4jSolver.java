package io.als.nd4j;

import io.als.internal.Checks;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;

/**
 * The ND4J backend: ALS half-steps on the OpenBLAS and LAPACK that ND4J ships, in double
 * precision, batched so that no ND4J op runs per row (see {@link BlasLeastSquaresStep}).
 *
 * <p>Constructing this class is free; the native libraries (about a second to load, see
 * docs/nd4j.md) are loaded by the first {@link #newStep}. Parallelism comes only from the
 * {@code threads} argument ({@code AlsConfig.threads}, {@code --threads}); OpenBLAS is pinned
 * to one thread per call so the two never compete for the cores.
 */
public final class Nd4jSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "nd4j";

    /**
     * Rows per block handed to a worker. Measured on ML-1M with two threads (docs/nd4j.md):
     * the time is flat from 4 to 1024 rows, since blocks are handed out through one atomic
     * counter; 64 keeps the last blocks small enough to balance skewed row lengths.
     */
    static final int BLOCK_ROWS = 64;

    /**
     * Below this rank the Gram matrix is accumulated in Java; from it on, by BLAS-3 dsyrk.
     * Measured on ML-1M (docs/nd4j.md): a dsyrk call has a fixed cost of about 1.5 us, which
     * the Java loop beats up to rank 3, ties at 4 to 6, and loses to from rank 7 on.
     */
    static final int SYRK_FROM_RANK = 7;

    /** Null: choose by rank ({@link #gramMethodFor}). */
    private final GramMethod forcedMethod;
    private final int blockRows;

    /** The solver as configured for production: Gram method by rank, {@value #BLOCK_ROWS}-row blocks. */
    public Nd4jSolver() {
        this(null, BLOCK_ROWS);
    }

    /**
     * A solver with a fixed Gram method and block size, for tests and measurements.
     *
     * @param forcedMethod the Gram method for every rank, or null to choose by rank
     * @param blockRows    rows per block handed to a worker
     */
    Nd4jSolver(GramMethod forcedMethod, int blockRows) {
        this.forcedMethod = forcedMethod;
        this.blockRows = Checks.positive("blockRows", blockRows);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        Checks.positive("rank", rank);
        Checks.positive("threads", threads);
        NativeRuntime.prepare();
        return new BlasLeastSquaresStep(rank, threads, blockRows,
                forcedMethod != null ? forcedMethod : gramMethodFor(rank));
    }

    /** The faster way to build a row's normal equation at this rank. */
    static GramMethod gramMethodFor(int rank) {
        return rank < SYRK_FROM_RANK ? GramMethod.JAVA_LOOP : GramMethod.BLAS_SYRK;
    }
}
