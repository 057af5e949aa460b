package com.example.als;

import io.als.conformance.SolverContract;
import io.als.spi.Solver;

/** The one small class that gives the example backend the whole conformance kit. */
class BanachiewiczConformanceTest implements SolverContract {
    @Override
    public Solver solver() {
        return new BanachiewiczSolver();
    }
}
