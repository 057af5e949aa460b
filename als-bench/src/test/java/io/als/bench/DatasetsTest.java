package io.als.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Ratings;
import io.als.spi.SparseView;
import org.junit.jupiter.api.Test;

/** The benchmark data are what the documentation says they are; no benchmark runs here. */
class DatasetsTest {

    @Test
    void syntheticHasTheRequestedSizeAndIsSeeded() {
        Ratings a = Datasets.synthetic(200_000, 3);
        assertEquals(200_000, a.size());
        assertEquals(Math.round(200_000 * Datasets.ML1M_USERS / Datasets.ML1M_RATINGS), a.numUsers());
        assertEquals(a.byUser(), Datasets.synthetic(200_000, 3).byUser());
        double[] range = a.range();
        assertTrue(range[0] >= 1 && range[1] <= 5);
    }

    @Test
    void kFoldSplitsEveryRatingIntoExactlyOneTestFold() {
        Ratings all = Datasets.synthetic(50_000, 4);
        int folds = 5;
        long tested = 0;
        for (int f = 0; f < folds; f++) {
            Datasets.Split s = Datasets.kFold(all, folds, f, 9);
            assertEquals(all.size(), s.train().size() + s.testSize());
            assertTrue(Math.abs(s.testSize() - all.size() / folds) <= 1);
            tested += s.testSize();
            SparseView train = s.train().byUser();
            for (int t = 0; t < s.testSize(); t++) {
                int u = s.testUsers()[t];
                for (int e = train.start(u); e < train.end(u); e++) {
                    assertTrue(train.index(e) != s.testItems()[t], "a held-out rating is also in training");
                }
            }
        }
        assertEquals(all.size(), tested);
    }

    @Test
    void flopCountFollowsTheFormula() {
        Ratings r = Datasets.synthetic(20_000, 5);
        int k = 10;
        double expected = 0;
        for (int u = 0; u < r.numUsers(); u++) {
            int n = r.byUser().count(u);
            expected += n == 0 ? 0 : n * k * (k + 1) + k * k * k / 3.0 + 2 * k * k;
        }
        assertEquals(expected, Flops.halfStep(r.byUser(), k), 1e-6 * expected);
    }
}
