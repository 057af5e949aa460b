package io.als.eval;

import io.als.api.Solver;
import io.als.eval.conformance.SolverContract;

/** The kit run against a solver written from the API alone, as a solver author would. */
class PlainJavaConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new PlainJavaSolver();
    }
}
