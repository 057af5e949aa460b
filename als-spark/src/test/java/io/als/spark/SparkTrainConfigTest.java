package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.ConfigurationException;
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

    /**
     * The default implicit alpha is chosen as on one machine: 0.5 over the mean positive value,
     * which the ratings' one pass sums exactly (zeros, no preference, left out).
     */
    @Test
    void theDefaultAlphaIsChosenFromTheMeanPositiveValue() {
        Chunk c = new Chunk(8);
        for (double v : new double[] {4, 5, 0, 4, 5, 5}) {
            c.add(0, 0, v);
        }
        SparkRatings.Measure m = SparkRatings.Measure.of(c).plus(SparkRatings.Measure.EMPTY);
        assertEquals(5, m.positive());
        assertEquals(23, m.positiveSum().doubleValue());
        AlsConfig auto = SparkTrain.config(Map.of("implicit", "true"));
        assertTrue(auto.alphaAuto());
        AlsConfig chosen = SparkAls.withAlphaChosen(auto, 23.0 / 5);
        assertFalse(chosen.alphaAuto());
        assertEquals(0.5 / (23.0 / 5), chosen.implicit().alpha());
        AlsConfig given = SparkTrain.config(Map.of("implicit", "true", "alpha", "2"));
        assertEquals(given, SparkAls.withAlphaChosen(given, 23.0 / 5));
    }

    /** BM25 confidences need every row's and item's count in every block: refused with the way out. */
    @Test
    void bm25ConfidencesAreRefusedBeforeAnyJob() {
        AlsConfig c = SparkTrain.config(Map.of("implicit", "true", "confidence", "bm25"));
        String msg = assertThrows(ConfigurationException.class, () -> SparkAls.requireSupported(c)).getMessage();
        assertTrue(msg.contains("no BM25 confidence") && msg.contains("--engine local"), msg);
        SparkAls.requireSupported(SparkTrain.config(Map.of("implicit", "true", "confidence", "log")));
    }
}
