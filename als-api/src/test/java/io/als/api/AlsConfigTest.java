package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AlsConfigTest {

    @Test
    void badValuesNameTheSettingTheConstraintAndTheValue() {
        assertEquals("rank must be positive but was 0",
                assertThrows(IllegalArgumentException.class, () -> AlsConfig.builder().rank(0).build()).getMessage());
        assertEquals("lambda must be finite and non-negative but was -1.0",
                assertThrows(IllegalArgumentException.class, () -> AlsConfig.builder().lambda(-1).build()).getMessage());
        assertEquals("regularizer must be one of l2, none, weighted but was ridge",
                assertThrows(IllegalArgumentException.class,
                        () -> AlsConfig.builder().regularizer("ridge").build()).getMessage());
        assertEquals("threads must be positive but was -2",
                assertThrows(IllegalArgumentException.class, () -> AlsConfig.builder().threads(-2).build()).getMessage());
        assertEquals("iterations must be a number but was ten",
                assertThrows(IllegalArgumentException.class,
                        () -> AlsConfig.builder().set("iterations", "ten")).getMessage());
    }

    @Test
    void defaultsComeFromOnePlace() {
        AlsConfig c = AlsConfig.defaults();
        assertEquals(AlsConfig.Defaults.RANK, c.rank());
        assertEquals(AlsConfig.Defaults.LAMBDA, c.lambda());
        assertEquals(AlsConfig.Defaults.SOLVER, c.solver());
    }

    @Test
    void propertiesOverrideDefaults() {
        Properties p = new Properties();
        p.setProperty("als.rank", "25");
        p.setProperty("als.regularizer", "l2");
        p.setProperty("other.key", "ignored");
        AlsConfig c = AlsConfig.fromProperties(p, AlsConfig.builder()).build();
        assertEquals(25, c.rank());
        assertEquals("l2", c.regularizer());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void regularizersPenaliseAsDocumented() {
        assertEquals(0, Regularizer.none().penalty(10));
        assertEquals(0.5, Regularizer.l2(0.5).penalty(10));
        assertEquals(5.0, Regularizer.weighted(0.5).penalty(10));
    }
}
