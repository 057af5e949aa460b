package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SolverModule;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The injector as the composition root: solvers defined only in this test are selected by
 * configuration, one added to the injector by hand and one found on the class path through
 * {@code META-INF/services/io.als.spi.SolverModule} (in this module's test resources), and the
 * injected {@link Factorizer} fits with them. No project code names them.
 */
class CompositionRootTest {

    /** Counts its half-steps; solves every row to the constant 0.5. */
    static class CountingSolver implements Solver {
        static final AtomicInteger STEPS = new AtomicInteger();
        private final String name;

        CountingSolver(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public LeastSquaresStep newStep(int rank, int threads) {
            return (observed, fixed, reg, shared, target) -> {
                STEPS.incrementAndGet();
                java.util.Arrays.fill(target.data(), 0.5);
            };
        }
    }

    /** Registered by hand: {@code AlsModule.injector(root, new HandModule())}. */
    static final class HandModule extends SolverModule {
        @Override
        protected void configure() {
            registerSolver("by-hand", HandSolver.class);
        }
    }

    static final class HandSolver extends CountingSolver {
        HandSolver() {
            super("by-hand");
        }
    }

    /** Found by ServiceLoader: listed in this module's test resources. */
    public static final class ClassPathModule extends SolverModule {
        @Override
        protected void configure() {
            registerSolver("on-classpath", ClassPathSolver.class);
        }
    }

    static final class ClassPathSolver extends CountingSolver {
        ClassPathSolver() {
            super("on-classpath");
        }
    }

    private static final Ratings RATINGS = Ratings.fromDense(new double[][] {{1, 2}, {3, 4}});

    private static Properties settings(String solver) {
        Properties p = new Properties();
        p.setProperty("als.solver", solver);
        p.setProperty("als.rank", "2");
        p.setProperty("als.iterations", "3");
        p.setProperty("als.threads", "1");
        // Plain ALS with a given lambda: exactly 3 iterations of two half-steps, nothing chosen from the data.
        p.setProperty("als.biased", "false");
        p.setProperty("als.samples", "0");
        p.setProperty("als.lambda", "0.1");
        return p;
    }

    @Test
    void aSolverModuleAddedToTheInjectorIsSelectedByConfiguration() {
        Injector injector = AlsModule.injector(AlsModule.fromProperties(settings("by-hand")), new HandModule());
        assertInstanceOf(HandSolver.class, injector.getInstance(Solver.class));
        int before = CountingSolver.STEPS.get();
        Model model = injector.getInstance(Factorizer.class).fit(RATINGS);
        assertEquals(6, CountingSolver.STEPS.get() - before, "3 iterations of two half-steps");
        assertEquals(2, model.rank());
        // Every factor is 0.5, so every prediction is 2 * 0.5 * 0.5.
        assertEquals(0.5, model.predict("1", "1"), 0.0);
    }

    @Test
    void aSolverModuleOnTheClassPathIsSelectedByConfiguration() {
        Injector injector = AlsModule.injector(AlsModule.fromProperties(settings("on-classpath")));
        assertInstanceOf(ClassPathSolver.class, injector.getInstance(Solver.class));
        assertTrue(injector.getInstance(SolverRegistry.class).names().contains("on-classpath"));
        AlsConfig bound = injector.getInstance(AlsConfig.class);
        assertEquals(2, bound.rank());
        assertEquals(3, bound.iterations());
    }

    @Test
    void solverNamesMatchInAnyLetterCase() {
        Injector injector = AlsModule.injector(AlsModule.fromProperties(settings("ON-ClassPath")));
        assertInstanceOf(ClassPathSolver.class, injector.getInstance(Solver.class));
    }

    @Test
    void anUnknownNameFailsWhenTheInjectorIsBuiltListingTheInstalledSolvers() {
        UnknownSolverException e = assertThrows(UnknownSolverException.class,
                () -> AlsModule.injector(AlsModule.fromProperties(settings("nosuch")), new HandModule()));
        // The list is of every solver installed, and a class path that carries more backends (the
        // mutation-testing module's) lists them too: check the two of this test and the order.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("solver must be one of \\[(.*)\\] but was 'nosuch'"
                + " \\(from property als.solver\\); a solver is installed by putting its jar \\(e.g. als-solver-nd4j\\)"
                + " on the classpath").matcher(e.getMessage());
        assertTrue(m.matches(), e.getMessage());
        java.util.List<String> listed = java.util.List.of(m.group(1).split(", "));
        assertTrue(listed.contains("by-hand") && listed.contains("on-classpath"), e.getMessage());
        assertEquals(listed.stream().sorted().toList(), listed, "sorted");
    }

    @Test
    void namesThatDifferOnlyInCaseAreAmbiguousWhenCaseIsIgnored() {
        java.util.Map<String, com.google.inject.Provider<Solver>> two = java.util.Map.of(
                "fast", () -> new CountingSolver("fast"), "FAST", () -> new CountingSolver("FAST"));
        assertEquals("fast", SolverRegistry.select(two, new SolverSelection("fast", null)).name());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> SolverRegistry.select(two, new SolverSelection("Fast", "--solver")));
        assertEquals("solver 'Fast' (from --solver) matches [FAST, fast] when letter case is ignored; give the exact"
                + " name", e.getMessage());
    }
}
