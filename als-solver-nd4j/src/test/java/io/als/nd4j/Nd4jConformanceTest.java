package io.als.nd4j;

import io.als.spi.Solver;
import io.als.conformance.SolverContract;

/** The ND4J solver under the whole conformance kit. */
class Nd4jConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new Nd4jSolver();
    }
}
