package io.als.java;

import io.als.spi.SolverModule;

/** Registers {@link JavaSolver} under {@value JavaSolver#NAME}; found through ServiceLoader. */
public final class JavaModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(JavaSolver.NAME, JavaSolver.class);
    }
}
