package io.als.conformance;

import io.als.eval.reference.TextbookSolver;
import io.als.spi.Solver;

/** The kit run against a solver written from the API alone, as a solver author would. */
class PlainJavaConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new TextbookSolver();
    }
}
