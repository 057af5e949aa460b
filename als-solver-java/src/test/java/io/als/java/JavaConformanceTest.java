package io.als.java;

import io.als.conformance.SolverContract;
import io.als.spi.Solver;

/** The pure-Java solver under the whole conformance kit. */
class JavaConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new JavaSolver();
    }
}
