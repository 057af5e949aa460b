package io.als.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.SparseView;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The probe's two copies differ only where they say they do; no timing here. */
class FootprintProbeTest {

    @Test
    void cappedKeepsTheFirstEntriesOfLongRowsAndShortRowsWhole() {
        SparseView m = Datasets.synthetic(20_000, 5).byItem();
        int max = 40;
        SparseView c = FootprintProbe.capped(m, max);
        assertEquals(m.rows(), c.rows());
        assertEquals(m.cols(), c.cols());
        for (int r = 0; r < m.rows(); r++) {
            assertEquals(Math.min(m.count(r), max), c.count(r));
            for (int j = 0; j < c.count(r); j++) {
                assertEquals(m.index(m.start(r) + j), c.index(c.start(r) + j));
                assertEquals(m.value(m.start(r) + j), c.value(c.start(r) + j));
            }
        }
    }

    @Test
    void foldedKeepsRowsLengthsAndValuesWithDistinctSortedColumnsOfTheSmallMatrix() {
        int cols = 60;
        SparseView real = FootprintProbe.capped(Datasets.synthetic(20_000, 6).byUser(), cols);
        SparseView folded = FootprintProbe.folded(real, cols, new SplittableRandom(1));
        assertEquals(real.rows(), folded.rows());
        assertEquals(cols, folded.cols());
        int[] seen = new int[cols];
        for (int r = 0; r < real.rows(); r++) {
            assertEquals(real.count(r), folded.count(r));
            for (int e = folded.start(r); e < folded.end(r); e++) {
                assertEquals(real.value(e), folded.value(e));
                assertTrue(folded.index(e) >= 0 && folded.index(e) < cols);
                if (e > folded.start(r)) {
                    assertTrue(folded.index(e) > folded.index(e - 1), "columns of row " + r + " not strictly increasing");
                }
                seen[folded.index(e)]++;
            }
        }
        // Floyd's sampling draws every column alike: no column of the small matrix is
        // left out or picked far more often than the others.
        double mean = (double) folded.nnz() / cols;
        for (int c = 0; c < cols; c++) {
            assertTrue(seen[c] > 0.8 * mean && seen[c] < 1.2 * mean, "column " + c + " drawn " + seen[c] + " times, mean " + mean);
        }
    }
}
