package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AlsConfigTest {

    @Test
    void badValuesNameTheSettingTheConstraintAndTheValue() {
        assertEquals("rank must be positive but was 0",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().rank(0).build()).getMessage());
        assertEquals("lambda must be finite and non-negative but was -1.0",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().lambda(-1).build()).getMessage());
        assertEquals("regularizer must be one of l2, none, weighted but was ridge",
                assertThrows(ConfigurationException.class,
                        () -> AlsConfig.builder().regularizer("ridge").build()).getMessage());
        assertEquals("threads must be positive but was -2",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().threads(-2).build()).getMessage());
        assertEquals("iterations must be an integer but was 'ten'",
                assertThrows(ConfigurationException.class,
                        () -> AlsConfig.builder().set("iterations", "ten")).getMessage());
        assertEquals("lambda must be a number but was 'x'",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("lambda", "x")).getMessage());
        // Every bad value by name is a ConfigurationException, an enumerated one too.
        assertEquals("init must be one of ones, random but was foo",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("init", "foo")).getMessage());
    }

    @Test
    void defaultsComeFromOnePlace() {
        AlsConfig c = AlsConfig.defaults();
        assertEquals(AlsConfig.Defaults.RANK, c.rank());
        assertEquals(AlsConfig.Defaults.LAMBDA, c.lambda());
        assertEquals(Regularizer.weighted(AlsConfig.Defaults.LAMBDA), c.regularizer());
    }

    @Test
    void propertiesOverrideDefaults() {
        Properties p = new Properties();
        p.setProperty("als.rank", "25");
        p.setProperty("als.regularizer", "l2");
        p.setProperty("other.key", "ignored");
        AlsConfig c = AlsConfig.fromProperties(p, AlsConfig.builder()).build();
        assertEquals(25, c.rank());
        assertEquals(Regularizer.l2(AlsConfig.Defaults.LAMBDA), c.regularizer());
        assertEquals(c, c.toBuilder().build());
        // The solver is chosen by the composition (SolverSelection), not by the fit's settings.
        p.setProperty("als.solver", "vector");
        assertEquals(c, AlsConfig.fromProperties(p, AlsConfig.builder()).build());
    }

    @Test
    void regularizersPenaliseAsDocumented() {
        assertEquals(0, Regularizer.none().penalty(10));
        assertEquals(0.5, Regularizer.l2(0.5).penalty(10));
        assertEquals(5.0, Regularizer.weighted(0.5).penalty(10));
    }

    @Test
    void lambdaAndTheRegularizerNameCombineInEitherOrder() {
        assertEquals(Regularizer.l2(0.5), AlsConfig.builder().lambda(0.5).regularizer("l2").build().regularizer());
        assertEquals(Regularizer.l2(0.5), AlsConfig.builder().regularizer("l2").lambda(0.5).build().regularizer());
    }

    /** A penalty the library does not know: 0.25 per observation plus 1, with its own name. */
    record Affine(double lambda) implements Regularizer {
        @Override
        public double penalty(int observations) {
            return 1 + lambda * observations;
        }

        @Override
        public String name() {
            return "affine";
        }

        @Override
        public Regularizer withLambda(double l) {
            return new Affine(l);
        }
    }

    @Test
    void aUserSuppliedRegularizerReachesTheFit() {
        AlsConfig c = AlsConfig.builder().regularizer(new Affine(0.25)).lambda(0.5).build();
        assertEquals(new Affine(0.5), c.regularizer());
        // The solver sees exactly the configured object.
        java.util.List<Regularizer> seen = new java.util.ArrayList<>();
        io.als.spi.Solver spy = new io.als.spi.Solver() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public io.als.spi.LeastSquaresStep newStep(int rank, int threads) {
                return (observed, fixed, reg, shared, target) -> {
                    seen.add(reg);
                    java.util.Arrays.fill(target.data(), 0.5);
                };
            }
        };
        new AlternatingLeastSquares(c.toBuilder().rank(1).iterations(1).threads(1).build(), spy)
                .fit(Ratings.fromDense(new double[][] {{1, 2}, {3, 4}}));
        assertEquals(java.util.List.of(new Affine(0.5), new Affine(0.5)), seen);
    }
}
