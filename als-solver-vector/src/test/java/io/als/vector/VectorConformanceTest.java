package io.als.vector;

import io.als.api.Solver;
import io.als.eval.conformance.SolverContract;

/** The vector solver under the whole conformance kit. */
class VectorConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new VectorSolver();
    }
}
