package io.als.eval.cv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Ratings;
import io.als.eval.data.ObservedScale;
import org.junit.jupiter.api.Test;

class MetricsTest {
    // Four test ratings: two known pairs, one unknown user, one unknown item.
    private static final TestRatings TEST = TestRatings.of(new int[] {0, 1, -1, 0}, new int[] {0, 1, 1, -1},
            new double[] {4, 2, 5, 1});
    /** Known pairs predict 3.5 and 2.5; the "baseline" for cold pairs is 3. */
    private static final Scorer SCORER = (u, i) -> u < 0 || i < 0 ? 3 : (u == 0 ? 3.5 : 2.5);

    @Test
    void baselineScoresEveryRatingAndReportsTheColdOnes() {
        Metrics m = Metrics.of(TEST, SCORER, ColdStart.BASELINE, null);
        // Errors by hand: 0.5, -0.5, 2, -2.
        assertEquals(Math.sqrt((0.25 + 0.25 + 4 + 4) / 4), m.rmse(), 1e-15);
        assertEquals((0.5 + 0.5 + 2 + 2) / 4, m.mae(), 1e-15);
        assertEquals(4, m.scored());
        assertEquals(2, m.cold());
        assertEquals(1, m.coldUsers());
        assertEquals(1, m.coldItems());
        assertEquals(2, m.coldRmse(), 1e-15);
        assertEquals(3, m.coldMean(), 1e-15);
    }

    @Test
    void dropLeavesColdRatingsOutButCountsThem() {
        Metrics m = Metrics.of(TEST, SCORER, ColdStart.DROP, null);
        assertEquals(0.5, m.rmse(), 1e-15);
        assertEquals(2, m.scored());
        assertEquals(4, m.total());
        assertEquals(2, m.cold());
        assertTrue(Double.isNaN(m.coldRmse()));
    }

    @Test
    void nanMakesTheAverageNanAsSparkDoes() {
        Metrics m = Metrics.of(TEST, SCORER, ColdStart.NAN, null);
        assertTrue(Double.isNaN(m.rmse()));
        assertTrue(Double.isNaN(m.mae()));
        // Without cold ratings NaN changes nothing.
        TestRatings warm = TestRatings.of(new int[] {0, 1}, new int[] {0, 1}, new double[] {4, 2});
        assertEquals(0.5, Metrics.of(warm, SCORER, ColdStart.NAN, null).rmse(), 1e-15);
    }

    @Test
    void clippingMovesPredictionsIntoTheScale() {
        TestRatings t = TestRatings.of(new int[] {0, 0}, new int[] {0, 1}, new double[] {5, 1});
        Scorer wild = (u, i) -> i == 0 ? 6.5 : -0.5;
        ObservedScale scale = new ObservedScale(1, 5, 1);
        assertEquals(0, Metrics.of(t, wild, ColdStart.BASELINE, scale).rmse(), 0.0);
        assertEquals(1.5, Metrics.of(t, wild, ColdStart.BASELINE, null).rmse(), 1e-15);
    }

    @Test
    void dampedBaselineShrinksMeansTowardsTheGlobalMean() {
        // User 0 rates items 0 and 1 with 5 and 3; user 1 rates item 0 with 4. Mean 4.
        Ratings r = Ratings.fromDense(new double[][] {{5, 3}, {4, Double.NaN}});
        Baseline b = Baseline.damped(r);
        assertEquals(4, b.mean(), 1e-15);
        // Item 0: residuals 1 and 0 over 10 + 2; item 1: -1 over 10 + 1.
        assertEquals(1.0 / 12, b.itemBias()[0], 1e-15);
        assertEquals(-1.0 / 11, b.itemBias()[1], 1e-15);
        // User 0: (1 - 1/12) + (-1 + 1/11) over 15 + 2.
        assertEquals(((1 - 1.0 / 12) + (-1 + 1.0 / 11)) / 17, b.userBias()[0], 1e-15);
        assertEquals(4 + b.itemBias()[1], b.predict(-1, 1), 1e-15);
        assertEquals(4, b.predict(-1, -1), 0.0);
    }
}
