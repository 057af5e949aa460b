package io.als.java;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;

/**
 * The hand-written pure-Java backend: each row's normal equation is accumulated by
 * {@link RowwiseLeastSquaresStep} (upper triangle, rank-4 updates that HotSpot vectorises)
 * and solved in place by {@link UpperCholeskyKernel}. No library beyond the JDK. It needs no
 * JVM option, no native library and compiles quickly, so it is the portable default: where
 * the {@code native} backend cannot load, and on the Spark engine's executors
 * ({@code AlsConfig.Defaults.PORTABLE_SOLVER}; measurements in docs/benchmarks.md). One
 * kernel and its workspaces per worker thread, so nothing is allocated per row.
 */
public final class JavaSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "java";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        return new RowwiseLeastSquaresStep(rank, threads, UpperCholeskyKernel::new);
    }
}
