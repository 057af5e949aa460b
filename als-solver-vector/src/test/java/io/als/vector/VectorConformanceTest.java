package io.als.vector;

import io.als.spi.Solver;
import io.als.conformance.SolverContract;

/** The vector solver under the whole conformance kit. */
class VectorConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new VectorSolver();
    }
}
