package io.als.eval;

import io.als.eval.reference.TextbookSolver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.Ratings;
import io.als.eval.cv.ColdStart;
import io.als.eval.cv.CrossValidation;
import io.als.eval.data.ObservedScale;
import io.als.eval.data.SyntheticRatings;
import io.als.eval.tune.GridSearch;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridSearchTest {
    private static final Ratings DATA = SyntheticRatings.generate(
            new SyntheticRatings.Spec(150, 120, 5000, 2, 0.8, 33)).ratings();

    private static CrossValidation.Settings settings() {
        AlsConfig c = AlsConfig.plain().iterations(4).regularizer("weighted").seed(5).threads(2)
                .build();
        return new CrossValidation.Settings(c, new TextbookSolver(), ColdStart.BASELINE, ObservedScale.of(DATA));
    }

    @Test
    void theBestSettingHasTheLowestMeanCvRmseAndItsOptimismIsMeasured() {
        GridSearch.Result r = GridSearch.run(DATA, List.of(1, 4), List.of(0.03, 0.3), settings(), 3, 7, 0.2,
                (p, ps, f, fs, it, its) -> { });
        assertEquals(4, r.points().size());
        assertEquals(List.of(1, 1, 4, 4), r.points().stream().map(GridSearch.Point::rank).toList());
        assertEquals(List.of(0.03, 0.3, 0.03, 0.3), r.points().stream().map(GridSearch.Point::lambda).toList());
        for (GridSearch.Point p : r.points()) {
            assertTrue(r.best().cv().rmseMean() <= p.cv().rmseMean());
            assertEquals(3, p.cv().folds().size());
        }
        assertEquals(1000, r.heldOutSize(), "a fifth of 5000");
        assertEquals(r.best().cv().extraRmseMean() - r.best().cv().rmseMean(), r.optimism(), 0.0);
        // The folds cut only the tuning ratings: each fold trains on about two thirds of 4000.
        int train = r.best().cv().folds().get(0).trainRatings();
        assertTrue(train < 4000 * 2 / 3 + 2 && train > 4000 * 2 / 3 - 2, "train " + train);
        GridSearch.Point h = r.bestInHindsight();
        for (GridSearch.Point p : r.points()) {
            assertTrue(h.cv().extraRmseMean() <= p.cv().extraRmseMean());
        }
    }

    @Test
    void withoutAHeldOutSetThereIsNoOptimismFigure() {
        GridSearch.Result r = GridSearch.run(DATA, List.of(2), List.of(0.1), settings(), 2, 7, 0,
                (p, ps, f, fs, it, its) -> { });
        assertEquals(0, r.heldOutSize());
        assertTrue(Double.isNaN(r.optimism()));
        assertEquals(null, r.bestInHindsight());
        assertEquals(DATA.size(), r.best().cv().folds().stream()
                .mapToInt(f -> f.metrics().total()).sum(), "the folds cut all the data");
    }
}
