package io.als.natives;

import io.als.conformance.SolverContract;
import io.als.spi.Solver;

/** The native solver under the whole conformance kit. */
class NativeConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new NativeSolver();
    }
}
