package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
        assertEquals("regularizer must be one of ials, l2, none, weighted but was ridge",
                assertThrows(ConfigurationException.class,
                        () -> AlsConfig.builder().regularizer("ridge").build()).getMessage());
        assertEquals("threads must be positive but was -2",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().threads(-2).build()).getMessage());
        assertEquals("iterations must be an integer but was 'ten'",
                assertThrows(ConfigurationException.class,
                        () -> AlsConfig.builder().set("iterations", "ten")).getMessage());
        // An integer beyond int is named as too large, not as not an integer.
        assertEquals("rank must be an integer of at most 2147483647 but was '99999999999'",
                assertThrows(ConfigurationException.class,
                        () -> AlsConfig.builder().set("rank", "99999999999")).getMessage());
        assertEquals("lambda must be a number or auto but was 'x'",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("lambda", "x")).getMessage());
        // A non-zero number too small for a double is not read as 0; zero written any way is 0.
        assertEquals("lambda must be 0 or at least 4.9E-324 in size (the smallest a double holds) but was 1e-400,"
                + " which would read as 0",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("lambda", "1e-400")).getMessage());
        assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("tolerance", " -0.000001e-320 "));
        assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("alpha", "0x1p-1100"));
        assertEquals(0, AlsConfig.builder().set("tolerance", "0e-400").build().tolerance());
        assertEquals(0, AlsConfig.builder().set("tolerance", "-0.000").build().tolerance(), 0.0);
        assertEquals(Double.MIN_VALUE, AlsConfig.builder().set("tolerance", "4.9e-324").build().tolerance());
        // A number too large for a double is named as typed, not as Infinity.
        assertEquals("lambda must be finite but was 4e400, beyond the largest a double holds (1.7976931348623157E308)",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("lambda", "4e400"))
                        .getMessage());
        // White space around an integer is ignored, as around every other value.
        assertEquals(10, AlsConfig.builder().set("rank", " 10 ").build().rank());
        assertEquals("rank must not be null", assertThrows(NullPointerException.class,
                () -> AlsConfig.builder().set("rank", null)).getMessage());
        // Every bad value by name is a ConfigurationException, an enumerated one too.
        assertEquals("init must be one of ones, random but was foo",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("init", "foo")).getMessage());
    }

    @Test
    void defaultsComeFromOnePlace() {
        AlsConfig c = AlsConfig.defaults();
        assertEquals(AlsConfig.Defaults.RANK, c.rank());
        assertEquals(AlsConfig.Defaults.ITERATIONS, c.iterations());
        assertEquals(AlsConfig.Defaults.LAMBDA, c.lambda());
        assertEquals(Regularizer.l2(AlsConfig.Defaults.LAMBDA), c.regularizer());
        assertEquals(AlsConfig.Defaults.BIASED, c.biased());
        assertEquals(AlsConfig.Defaults.SAMPLES, c.samples());
        assertEquals(AlsConfig.Defaults.NOISE, c.noise());
        assertEquals(AlsConfig.Defaults.VALIDATION, c.validation());
        assertEquals(AlsConfig.Defaults.COMPRESS, c.compress());
        // By default the noise and lambda are measured on the data.
        assertTrue(c.noiseAuto());
        assertTrue(c.lambdaAuto());
    }

    @Test
    void aGivenLambdaIsUsedAsGivenUnlessAValidationFractionIsGivenToo() {
        assertEquals(0, AlsConfig.builder().lambda(2).build().validation());
        assertEquals(0, AlsConfig.builder().set("lambda", "2").build().validation());
        assertEquals(0, AlsConfig.builder().regularizer(Regularizer.l2(2)).build().validation());
        // With a fraction too, the given lambda is where the search starts.
        AlsConfig search = AlsConfig.builder().lambda(2).validation(0.2).build();
        assertEquals(0.2, search.validation());
        assertEquals(2, search.lambda());
        // auto turns the search back on, with the default fraction.
        assertEquals(AlsConfig.Defaults.VALIDATION, AlsConfig.builder().lambda(2).set("lambda", "AUTO").build()
                .validation());
        // A fraction of 0 keeps the default lambda, as given.
        AlsConfig off = AlsConfig.builder().validation(0).build();
        assertEquals(0, off.validation());
        assertEquals(AlsConfig.Defaults.LAMBDA, off.lambda());
        // A copy keeps the mode, and a lambda set on the copy turns the search off (as a grid search does).
        AlsConfig auto = AlsConfig.defaults();
        assertEquals(auto, auto.toBuilder().build());
        assertEquals(0, auto.toBuilder().lambda(1).build().validation());
        AlsConfig fixed = AlsConfig.builder().lambda(3).build();
        assertEquals(fixed, fixed.toBuilder().build());
        assertEquals(AlsConfig.Defaults.VALIDATION, fixed.toBuilder().lambdaAuto().build().validation());
        AlsConfig custom = AlsConfig.builder().lambda(3).validation(0.3).build();
        assertEquals(custom, custom.toBuilder().build());
    }

    @Test
    void eachPenaltyHasItsOwnDefaultLambda() {
        assertEquals(Regularizer.weighted(AlsConfig.Defaults.WEIGHTED_LAMBDA),
                AlsConfig.builder().regularizer("weighted").build().regularizer());
        assertEquals(Regularizer.l2(AlsConfig.Defaults.LAMBDA), AlsConfig.builder().regularizer("l2").build()
                .regularizer());
        assertEquals(Regularizer.none(), AlsConfig.builder().regularizer("none").build().regularizer());
        // The plain preset: Spark MLlib's ALS, nothing chosen from the data.
        AlsConfig plain = AlsConfig.plain().build();
        assertEquals(Regularizer.weighted(0.1), plain.regularizer());
        assertFalse(plain.biased());
        assertEquals(0, plain.samples());
        assertEquals(0, plain.validation());
    }

    @Test
    void noiseAndValidationAreChecked() {
        assertEquals(AlsConfig.AUTO, AlsConfig.builder().noise(1).set("noise", "auto").build().noise());
        assertEquals(0.7, AlsConfig.builder().set("noise", "0.7").build().noise());
        assertEquals("noise must be positive and finite, or auto, but was 0.0",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("noise", "0")).getMessage());
        assertEquals("noise must be a number or auto but was 'loud'",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("noise", "loud")).getMessage());
        assertEquals("validation must be between 0 and 0.5 but was 0.6",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().validation(0.6).build())
                        .getMessage());
        assertEquals("compress must be true or false but was maybe",
                assertThrows(ConfigurationException.class, () -> AlsConfig.builder().set("compress", "maybe"))
                        .getMessage());
        assertFalse(AlsConfig.builder().set("compress", "off").build().compress());
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
        p.setProperty("als.lambda", "auto");
        p.setProperty("als.noise", "0.8");
        p.setProperty("als.validation", "0.2");
        p.setProperty("als.compress", "false");
        AlsConfig d = AlsConfig.fromProperties(p, AlsConfig.builder()).build();
        assertEquals(0.2, d.validation());
        assertEquals(0.8, d.noise());
        assertFalse(d.compress());
        p.remove("als.lambda");
        p.remove("als.noise");
        p.remove("als.validation");
        p.remove("als.compress");
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
        new AlternatingLeastSquares(c.toBuilder().rank(1).iterations(1).threads(1).biased(false).samples(0).build(), spy)
                .fit(Ratings.fromDense(new double[][] {{1, 2}, {3, 4}}));
        assertEquals(java.util.List.of(new Affine(0.5), new Affine(0.5)), seen);
    }
}
