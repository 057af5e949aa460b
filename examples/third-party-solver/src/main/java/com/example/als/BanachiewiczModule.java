package com.example.als;

import io.als.spi.SolverModule;

/** Makes the example backend selectable by name once its jar is on the class path. */
public final class BanachiewiczModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(BanachiewiczSolver.NAME, BanachiewiczSolver.class);
    }
}
