package io.als.nd4j;

import io.als.api.Solver;
import io.als.eval.conformance.SolverContract;

/** The ND4J solver under the whole conformance kit. */
class Nd4jConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new Nd4jSolver();
    }
}
