package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings the spark-submit main class builds from its flags (no Spark needed). */
class SparkTrainConfigTest {

    @Test
    void explicitDefaultsHaveNoSamplesAndNoSearch() {
        AlsConfig c = SparkTrain.config(Map.of("rank", "5"));
        assertEquals(0, c.samples());
        assertFalse(c.lambdaAuto());
        assertEquals(AlsConfig.Defaults.lambdaFor(AlsConfig.Defaults.REGULARIZER), c.lambda());
    }

    @Test
    void implicitTakesTheImplicitDefaultsHoweverTheFlagIsSpelled() {
        for (String yes : new String[] {"true", "TRUE", "yes", "on"}) {
            AlsConfig c = SparkTrain.config(Map.of("implicit", yes));
            assertTrue(c.isImplicit(), yes);
            assertEquals(AlsConfig.Defaults.Implicit.LAMBDA, c.lambda(), "--implicit " + yes);
            assertEquals(AlsConfig.Defaults.Implicit.RANK, c.rank(), "--implicit " + yes);
        }
    }
}
