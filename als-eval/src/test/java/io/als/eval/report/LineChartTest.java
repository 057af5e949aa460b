package io.als.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What an outside trial found wrong in the charts: fractional iteration ticks and legends running off the page. */
class LineChartTest {

    @Test
    void wholeNumberAxesGetWholeTicks() {
        // Three iterations: the 1-2-5 rule alone gives steps of 0.2.
        assertArrayEquals(new double[] {1, 2, 3}, LineChart.wholeTicks(new double[] {1, 1.2, 1.4, 1.6, 1.8, 2, 2.2,
            2.4, 2.6, 2.8, 3}), 0.0);
        assertArrayEquals(new double[] {0, 5, 10}, LineChart.wholeTicks(new double[] {0, 5, 10}), 0.0);
        String svg = new LineChart("t", "iteration", "rmse", false).add("fold 1", new double[] {1, 2, 3},
                new double[] {0.95, 0.93, 0.92}).toSvg();
        assertFalse(svg.contains(">1.2<") || svg.contains(">2.5<"), svg);
        assertTrue(svg.contains(">2</text>"), svg);
    }

    @Test
    void longLegendsAreCutToFitBesideThePlot() {
        assertEquals("rank 10, alpha 0.1141", LineChart.legend("rank 10, alpha 0.1141"));
        String cut = LineChart.legend("rank 10, alpha 0.11408070012072467");
        assertEquals(LineChart.LEGEND_CHARS, cut.length());
        assertTrue(cut.endsWith("..."), cut);
        assertEquals("0.1141", RankingReports.shortNumber(0.11408070012072467));
        assertEquals("2.5", RankingReports.shortNumber(2.5));
    }
}
