package io.als.ejml;

import io.als.spi.SolverModule;

/** Registers {@link EjmlSolver} under {@value EjmlSolver#NAME}; found through ServiceLoader. */
public final class EjmlModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(EjmlSolver.NAME, EjmlSolver.class);
    }
}
