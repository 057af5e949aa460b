package io.als.nd4j;

import io.als.spi.Solver;
import io.als.conformance.SolverContract;

/**
 * The whole kit again with the BLAS-3 Gram method at every rank: the kit's ranks (up to 12)
 * are mostly below or near the production switch, so without this class the dsyrk path
 * would be checked only at the ranks the production choice happens to give it.
 */
class Nd4jSyrkConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new Nd4jSolver(GramMethod.BLAS_SYRK);
    }
}
