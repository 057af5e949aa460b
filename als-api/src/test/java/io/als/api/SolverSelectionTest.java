package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SolverSelectionTest {

    private static Properties props(String solver) {
        Properties p = new Properties();
        if (solver != null) {
            p.setProperty(SolverSelection.PROPERTY, solver);
        }
        return p;
    }

    @Test
    void flagBeatsSystemPropertyBeatsEnvironmentBeatsConfigFile() {
        Map<String, String> env = Map.of(SolverSelection.ENVIRONMENT, "fromEnv");
        assertEquals("fromFlag", SolverSelection.resolve("fromFlag", props("fromSys"), env, props("fromFile"), "d").name());
        assertEquals("fromSys", SolverSelection.resolve(null, props("fromSys"), env, props("fromFile"), "d").name());
        assertEquals("fromEnv", SolverSelection.resolve(null, props(null), env, props("fromFile"), "d").name());
        assertEquals("fromFile", SolverSelection.resolve(null, props(null), Map.of(), props("fromFile"), "d").name());
        SolverSelection fallback = SolverSelection.resolve(" ", props(null), Map.of(), null, "d");
        assertEquals("d", fallback.name());
        assertEquals("default", fallback.source());
    }

    @Test
    void anEmptyRegistryStillAnswersWithTheKnownNames() {
        SolverRegistry empty = new SolverRegistry(Map.of());
        assertEquals(0, empty.names().size());
        assertEquals("solver must be one of [] but was 'x'; a solver is installed by putting its jar"
                        + " (e.g. als-solver-nd4j) on the classpath",
                org.junit.jupiter.api.Assertions.assertThrows(UnknownSolverException.class, () -> empty.get("x"))
                        .getMessage());
    }
    @Test
    void aNearMissSuggestsTheInstalledNameInsteadOfAJar() {
        java.util.SortedSet<String> installed = new java.util.TreeSet<>(java.util.List.of("ejml", "java", "nd4j", "vector"));
        UnknownSolverException near = new UnknownSolverException("vectr", "--solver", installed);
        assertEquals("solver must be one of [ejml, java, nd4j, vector] but was 'vectr' (from --solver); did you mean"
                + " 'vector'?", near.getMessage());
        assertEquals("vector", near.suggestion());
        // Letter case does not count as a difference; two edits still suggest.
        assertEquals("nd4j", new UnknownSolverException("ND4", null, installed).suggestion());
        assertEquals("ejml", new UnknownSolverException("EJMLXX", null, installed).suggestion());
        // Nothing close: the installation advice, no guess.
        UnknownSolverException far = new UnknownSolverException("nosuch", "--solver", installed);
        assertEquals(null, far.suggestion());
        assertEquals(true, far.getMessage().endsWith("a solver is installed by putting its jar (e.g. als-solver-nd4j)"
                + " on the classpath"), far.getMessage());
        // A name too short to tell: no guess.
        assertEquals(null, new UnknownSolverException("x", null, installed).suggestion());
        assertEquals(2, UnknownSolverException.distance("vectr", "vetor"));
        assertEquals(3, UnknownSolverException.distance("", "abc"));
    }

    /** A named solver whose availability the test sets. */
    private static io.als.spi.Solver named(String name, String unavailable) {
        return new io.als.spi.Solver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public io.als.spi.LeastSquaresStep newStep(int rank, int threads) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Optional<String> unavailableBecause() {
                return java.util.Optional.ofNullable(unavailable);
            }
        };
    }

    private static SolverRegistry registry(io.als.spi.Solver... solvers) {
        Map<String, com.google.inject.Provider<io.als.spi.Solver>> m = new java.util.HashMap<>();
        for (io.als.spi.Solver s : solvers) {
            m.put(s.name(), () -> s);
        }
        return new SolverRegistry(m);
    }

    @Test
    void theDefaultFallsBackToThePortableBackendWhereItCannotRun() {
        SolverSelection byDefault = new SolverSelection(AlsConfig.Defaults.SOLVER, SolverSelection.DEFAULT);
        io.als.spi.Solver portable = named(AlsConfig.Defaults.PORTABLE_SOLVER, null);
        // Installed and able to run: the default itself.
        io.als.spi.Solver fine = named(AlsConfig.Defaults.SOLVER, null);
        assertEquals(fine, registry(fine, portable).get(byDefault));
        // Installed but unable to run here (another platform, a build without gcc), or not installed: java.
        assertEquals(portable, registry(named(AlsConfig.Defaults.SOLVER, "is built for Linux on x86-64 only"),
                portable).get(byDefault));
        assertEquals(portable, registry(portable).get(byDefault));
        // Named by the user, it is never swapped: it is refused when chosen, saying why and where
        // the choice came from; a lookup by name alone (a listing) still gets it.
        io.als.spi.Solver broken = named(AlsConfig.Defaults.SOLVER, "could not load its library");
        assertEquals("solver 'native' (from --solver) could not load its library; choose another solver"
                + " (./als solvers lists them)", org.junit.jupiter.api.Assertions.assertThrows(
                        ConfigurationException.class, () -> registry(broken, portable)
                                .get(new SolverSelection(AlsConfig.Defaults.SOLVER, "--solver"))).getMessage());
        assertEquals(broken, registry(broken, portable).get(AlsConfig.Defaults.SOLVER));
        // With neither installed, the usual error naming what is.
        org.junit.jupiter.api.Assertions.assertThrows(UnknownSolverException.class,
                () -> registry(named("ejml", null)).get(byDefault));
    }
}
