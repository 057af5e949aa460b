package io.als.natives;

import io.als.spi.SolverModule;

/** Registers {@link NativeSolver} under {@value NativeSolver#NAME}; found through ServiceLoader. */
public final class NativeModule extends SolverModule {
    @Override
    protected void configure() {
        registerSolver(NativeSolver.NAME, NativeSolver.class);
    }
}
