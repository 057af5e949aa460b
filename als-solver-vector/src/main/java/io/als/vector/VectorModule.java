package io.als.vector;

import io.als.spi.SolverModule;

/** Registers {@link VectorSolver} under {@value VectorSolver#NAME}; found through ServiceLoader. */
public final class VectorModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(VectorSolver.NAME, VectorSolver.class);
    }
}
