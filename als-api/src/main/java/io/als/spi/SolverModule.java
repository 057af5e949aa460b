package io.als.spi;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.als.spi.Solver;

/**
 * Base class of a backend's Guice module. A backend subclasses it, calls
 * {@link #registerSolver} from {@code configure()} under a constant name, and lists the
 * subclass in {@code META-INF/services/io.als.spi.SolverModule}; putting its jar on
 * the classpath then makes the solver selectable by name, with no code change. Keep
 * {@code configure()} free of side effects and conditions (Guice's advice): no native
 * library is loaded until the solver is actually chosen and asked for a step.
 */
public abstract class SolverModule extends AbstractModule {

    /** Adds {@code impl} to the map of installed solvers under {@code name}. */
    protected final void registerSolver(String name, Class<? extends Solver> impl) {
        MapBinder.newMapBinder(binder(), String.class, Solver.class).addBinding(name).to(impl);
    }
}
