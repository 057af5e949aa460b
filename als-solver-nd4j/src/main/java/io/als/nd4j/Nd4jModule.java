package io.als.nd4j;

import io.als.spi.SolverModule;

/**
 * Registers {@link Nd4jSolver} under {@value Nd4jSolver#NAME}; found through ServiceLoader.
 * Only binds a class: no native library is touched until the solver is chosen and asked
 * for a step.
 */
public final class Nd4jModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(Nd4jSolver.NAME, Nd4jSolver.class);
    }
}
