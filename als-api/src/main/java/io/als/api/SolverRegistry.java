package io.als.api;

import io.als.spi.SolverModule;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Stage;
import com.google.inject.multibindings.MapBinder;
import io.als.spi.Solver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The installed solvers, by name. Built by Guice from every {@link SolverModule} that
 * {@link ServiceLoader} finds on the classpath. Solvers are held as providers, so a backend
 * nobody selects is never constructed.
 */
public final class SolverRegistry {
    private final Map<String, Provider<Solver>> solvers;

    @Inject
    SolverRegistry(Map<String, Provider<Solver>> solvers) {
        this.solvers = Collections.unmodifiableMap(new TreeMap<>(solvers));
    }

    /** The registry of every solver module on the classpath of this class's loader. */
    public static SolverRegistry discover() {
        return injector(discoverModules()).getInstance(SolverRegistry.class);
    }

    /** The solver modules that {@link ServiceLoader} finds. */
    public static List<SolverModule> discoverModules() {
        List<SolverModule> modules = new ArrayList<>();
        ServiceLoader.load(SolverModule.class, SolverRegistry.class.getClassLoader()).forEach(modules::add);
        return modules;
    }

    /** An injector holding the given solver modules (and an empty map when there are none). */
    public static Injector injector(List<? extends Module> solverModules) {
        List<Module> all = new ArrayList<>(solverModules);
        all.add(new AbstractModule() {
            @Override
            protected void configure() {
                MapBinder.newMapBinder(binder(), String.class, Solver.class);
            }
        });
        return Guice.createInjector(Stage.PRODUCTION, all);
    }

    /** Installed names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(solvers.keySet());
    }

    /** The solver with this name. */
    public Solver get(String name) {
        return get(new SolverSelection(name, null));
    }

    /** The selected solver, or an {@link UnknownSolverException} naming every installed one. */
    public Solver get(SolverSelection selection) {
        Provider<Solver> p = solvers.get(selection.name());
        if (p == null) {
            throw new UnknownSolverException(selection.name(), selection.source(), names());
        }
        return p.get();
    }
}
