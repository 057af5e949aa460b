package io.als.api;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Stage;
import com.google.inject.multibindings.MapBinder;
import io.als.spi.Solver;
import io.als.spi.SolverModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The composition root for users who wire the library with Guice. It binds the fit's
 * settings ({@link AlsConfig}) and which backend to use ({@link SolverSelection}), and
 * provides a ready {@link Factorizer} built from them with the selected {@link Solver}.
 * Backends contribute themselves: each {@link SolverModule} adds its solver to a
 * {@code MapBinder<String, Solver>} under its name, whether it is installed here by hand or
 * found on the class path by {@link ServiceLoader}. A backend nobody selects is never
 * constructed (the map holds providers).
 *
 * <pre>{@code
 * Properties settings = new Properties();
 * settings.setProperty("als.solver", "java");   // or ejml, nd4j, vector, or your own
 * settings.setProperty("als.rank", "20");
 * Injector injector = AlsModule.injector(AlsModule.fromProperties(settings));  // checks the name
 * Model model = injector.getInstance(Factorizer.class).fit(ratings);
 * }</pre>
 *
 * <p>Users who do not want Guice construct {@link AlternatingLeastSquares} directly with a
 * solver object; nothing else in the library needs Guice on the class path.
 */
public final class AlsModule extends AbstractModule {
    private final AlsConfig config;
    private final SolverSelection selection;

    /**
     * @param config    the fit's settings
     * @param selection which installed solver to use, and where the name came from
     */
    public AlsModule(AlsConfig config, SolverSelection selection) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.selection = java.util.Objects.requireNonNull(selection, "selection");
    }

    /**
     * Settings and solver from properties: {@code als.solver} names the solver (default
     * {@value AlsConfig.Defaults#SOLVER}); every other {@code als.*} key is a setting of
     * {@link AlsConfig#fromProperties}.
     */
    public static AlsModule fromProperties(Properties settings) {
        AlsConfig config = AlsConfig.fromProperties(settings, AlsConfig.builder()).build();
        String name = settings.getProperty(SolverSelection.PROPERTY);
        SolverSelection selection = name == null || name.isBlank()
                ? new SolverSelection(AlsConfig.Defaults.SOLVER, SolverSelection.DEFAULT)
                : new SolverSelection(name.trim(), "property " + SolverSelection.PROPERTY);
        return new AlsModule(config, selection);
    }

    /**
     * An injector of this root, every {@link SolverModule} that {@link ServiceLoader} finds on
     * the class path, and {@code more} (a solver module of your own, for instance).
     */
    public static Injector injector(AlsModule root, Module... more) {
        Injector injector = unchecked(root, more);
        // Resolve the selected solver now, so that an unknown name fails here as the library's
        // own exception (UnknownSolverException, a ConfigurationException) and not later,
        // wrapped in Guice's ProvisionException, when the Factorizer is first asked for.
        try {
            injector.getInstance(Solver.class);
        } catch (com.google.inject.ProvisionException e) {
            if (e.getCause() instanceof AlsException cause) {
                throw cause;
            }
            throw e;
        }
        return injector;
    }

    /** The same injector without resolving the selected solver (for listings of what is installed). */
    static Injector unchecked(AlsModule root, Module... more) {
        List<Module> modules = new ArrayList<>(discoverSolverModules());
        modules.add(root);
        modules.addAll(Arrays.asList(more));
        return Guice.createInjector(Stage.PRODUCTION, modules);
    }

    /** The solver modules that {@link ServiceLoader} finds with this class's loader. */
    public static List<SolverModule> discoverSolverModules() {
        List<SolverModule> modules = new ArrayList<>();
        ServiceLoader.load(SolverModule.class, AlsModule.class.getClassLoader()).forEach(modules::add);
        return modules;
    }

    @Override
    protected void configure() {
        bind(AlsConfig.class).toInstance(config);
        bind(SolverSelection.class).toInstance(selection);
        // Declares the map even when no backend is installed, so that the error is ours.
        MapBinder.newMapBinder(binder(), String.class, Solver.class);
    }

    /** The selected solver; an {@link UnknownSolverException} listing the installed ones otherwise. */
    @Provides
    Solver solver(Map<String, Provider<Solver>> installed, SolverSelection chosen) {
        return SolverRegistry.select(installed, chosen);
    }

    /** A factorizer with the bound settings and the selected solver. */
    @Provides
    Factorizer factorizer(AlsConfig settings, Solver solver) {
        return new AlternatingLeastSquares(settings, solver);
    }

    /** The installed solvers by name, for listings. */
    @Provides
    SolverRegistry registry(Map<String, Provider<Solver>> installed) {
        return new SolverRegistry(installed);
    }
}
