package io.als.ejml;

import io.als.api.Solver;
import io.als.eval.conformance.SolverContract;

/** The EJML solver under the whole conformance kit. */
class EjmlConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new EjmlSolver();
    }
}
