package io.als.ejml;

import io.als.spi.Solver;
import io.als.conformance.SolverContract;

/** The EJML solver under the whole conformance kit. */
class EjmlConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new EjmlSolver();
    }
}
