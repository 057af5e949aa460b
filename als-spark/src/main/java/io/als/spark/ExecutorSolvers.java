package io.als.spark;

import io.als.api.SolverRegistry;
import io.als.spi.Solver;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends of this JVM by name, each resolved once through the library's own
 * configuration mechanism ({@link SolverRegistry}: every {@code SolverModule} that
 * {@link java.util.ServiceLoader} finds on the class path, wired by Guice). Executors run
 * this too, so a backend travels to the cluster as a name and is found there like on one
 * machine; an unknown name fails with the list of installed ones.
 */
final class ExecutorSolvers {
    private static final ConcurrentHashMap<String, Solver> SOLVERS = new ConcurrentHashMap<>();
    private static volatile SolverRegistry registry;

    private ExecutorSolvers() {
    }

    static Solver get(String name) {
        return SOLVERS.computeIfAbsent(name, n -> registry().get(n));
    }

    private static SolverRegistry registry() {
        SolverRegistry r = registry;
        if (r == null) {
            synchronized (ExecutorSolvers.class) {
                r = registry;
                if (r == null) {
                    r = SolverRegistry.discover();
                    registry = r;
                }
            }
        }
        return r;
    }
}
