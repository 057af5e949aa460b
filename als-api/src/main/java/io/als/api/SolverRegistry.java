package io.als.api;

import com.google.inject.Provider;
import io.als.spi.Solver;
import io.als.spi.SolverModule;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The installed solvers, by name: every {@link SolverModule} in an injector built by
 * {@link AlsModule}. Solvers are held as providers, so a backend nobody selects is never
 * constructed. Listings ({@code als solvers}) and the selection by name both go through here.
 */
public final class SolverRegistry {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SolverRegistry.class);
    /** The fallback of the default is logged once per JVM, however often the default is resolved. */
    private static final java.util.concurrent.atomic.AtomicBoolean FALLBACK_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final Map<String, Provider<Solver>> solvers;

    SolverRegistry(Map<String, Provider<Solver>> solvers) {
        this.solvers = Collections.unmodifiableMap(new TreeMap<>(solvers));
    }

    /** The registry of every solver module on the class path of this class's loader. */
    public static SolverRegistry discover() {
        return AlsModule.unchecked(AlsModule.fromProperties(new Properties())).getInstance(SolverRegistry.class);
    }

    /** Installed names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(solvers.keySet());
    }

    /** The solver with this name (any letter case). */
    public Solver get(String name) {
        java.util.Objects.requireNonNull(name, "solver name must not be null");
        return get(new SolverSelection(name, null));
    }

    /** The selected solver, or an {@link UnknownSolverException} naming every installed one. */
    public Solver get(SolverSelection selection) {
        return select(solvers, selection);
    }

    /**
     * The provider's solver for the selected name: an exact match, else the one installed name
     * equal to it ignoring letter case; otherwise an {@link UnknownSolverException} that lists
     * the installed names.
     */
    static Solver select(Map<String, Provider<Solver>> installed, SolverSelection selection) {
        if (SolverSelection.DEFAULT.equals(selection.source())) {
            return selectDefault(installed, selection);
        }
        Provider<Solver> p = installed.get(selection.name());
        if (p == null) {
            String wanted = selection.name().toLowerCase(Locale.ROOT);
            TreeSet<String> matches = new TreeSet<>();
            for (Map.Entry<String, Provider<Solver>> e : installed.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
                    matches.add(e.getKey());
                    p = e.getValue();
                }
            }
            if (matches.size() > 1) {
                throw new ConfigurationException("solver '" + selection.name() + "'" + from(selection)
                        + " matches " + matches + " when letter case is ignored; give the exact name");
            }
        }
        if (p == null) {
            throw new UnknownSolverException(selection.name(), selection.source(), new TreeSet<>(installed.keySet()));
        }
        Solver solver = p.get();
        // A solver chosen by the user that cannot run in this JVM is refused here, before any data
        // is read, naming the choice (a lookup by name alone, for a listing, still gets it).
        if (selection.source() != null) {
            java.util.Optional<String> missing = solver.unavailableBecause();
            if (missing.isPresent()) {
                throw new ConfigurationException("solver '" + solver.name() + "'" + from(selection) + " "
                        + missing.get() + "; choose another solver (./als solvers lists them)");
            }
        }
        return solver;
    }

    /**
     * The default backend: the selection's solver when it is installed and can run in this JVM,
     * else {@link AlsConfig.Defaults#PORTABLE_SOLVER}, with an INFO line saying why.
     */
    private static Solver selectDefault(Map<String, Provider<Solver>> installed, SolverSelection selection) {
        Provider<Solver> p = installed.get(selection.name());
        String why;
        if (p == null) {
            why = "is not installed";
        } else {
            Solver s = p.get();
            java.util.Optional<String> missing = s.unavailableBecause();
            if (missing.isEmpty()) {
                return s;
            }
            why = missing.get();
        }
        Provider<Solver> portable = installed.get(AlsConfig.Defaults.PORTABLE_SOLVER);
        if (portable == null || selection.name().equals(AlsConfig.Defaults.PORTABLE_SOLVER)) {
            throw new UnknownSolverException(selection.name(), selection.source(), new TreeSet<>(installed.keySet()));
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            LOG.info("default solver '{}' {}; using '{}'", selection.name(), why, AlsConfig.Defaults.PORTABLE_SOLVER);
        }
        return portable.get();
    }

    private static String from(SolverSelection selection) {
        return selection.source() == null ? "" : " (from " + selection.source() + ")";
    }
}
