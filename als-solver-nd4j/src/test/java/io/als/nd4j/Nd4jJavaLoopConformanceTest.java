package io.als.nd4j;

import io.als.spi.Solver;
import io.als.conformance.SolverContract;

/** The whole kit with the Java-accumulated Gram method at every rank (LAPACK still solves). */
class Nd4jJavaLoopConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new Nd4jSolver(GramMethod.JAVA_LOOP);
    }
}
