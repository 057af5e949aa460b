package io.als.eval;

import io.als.eval.reference.TextbookSolver;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.eval.cv.Baseline;
import io.als.eval.cv.ColdStart;
import io.als.eval.cv.CrossValidation;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.FoldResult;
import io.als.eval.cv.Metrics;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.eval.data.ObservedScale;
import io.als.eval.data.SyntheticRatings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cross-validation runs with the kit's plain-Java solver. */
class CrossValidationTest {
    private static final Ratings DATA = SyntheticRatings.generate(
            new SyntheticRatings.Spec(150, 120, 5000, 3, 0.8, 21)).ratings();
    private static final ObservedScale SCALE = ObservedScale.of(DATA);

    private static AlsConfig.Builder config() {
        return AlsConfig.plain().rank(3).iterations(6).regularizer("weighted").lambda(0.1).seed(5).threads(2);
    }

    private static CrossValidation.Settings settings(AlsConfig c) {
        return new CrossValidation.Settings(c, new TextbookSolver(), ColdStart.BASELINE, SCALE);
    }

    /** Scores a model by hand, as the evaluation should: model prediction, or its baseline when cold, clipped. */
    private static double rmseByHand(Split s, Model m, Baseline b) {
        double sse = 0;
        for (int e = 0; e < s.test().size(); e++) {
            int u = s.test().user(e);
            int i = s.test().item(e);
            double p = SCALE.clip(u >= 0 && i >= 0 ? m.predictIndex(u, i) : b.predict(u, i));
            sse += (s.test().rating(e) - p) * (s.test().rating(e) - p);
        }
        return Math.sqrt(sse / s.test().size());
    }

    @Test
    void eachFoldIsScoredAsItsModelPredictsAndTheCurveEndsThere() {
        for (boolean biased : new boolean[] {false, true}) {
            AlsConfig c = config().biased(biased).build();
            List<Split> splits = Splits.kFold(DATA, 3, 8);
            CvResult cv = CrossValidation.run(splits, settings(c), CrossValidation.Progress.NONE);
            assertEquals(3, cv.folds().size());
            double sum = 0;
            for (int f = 0; f < 3; f++) {
                Split s = splits.get(f);
                Model m = new AlternatingLeastSquares(c, new TextbookSolver()).fit(s.train());
                double want = rmseByHand(s, m, biased ? Baseline.of(m) : Baseline.damped(s.train()));
                FoldResult r = cv.folds().get(f);
                assertEquals(want, r.metrics().rmse(), 1e-12, "fold " + f + ", biased " + biased);
                assertEquals(6, r.iterations());
                assertEquals(6, r.testRmse().length);
                // The listener's factors at the last iteration predict what the model predicts.
                assertEquals(want, r.testRmse()[5], 1e-9);
                double trainSse = 0;
                io.als.spi.SparseView v = s.train().byUser();
                for (int u = 0; u < v.rows(); u++) {
                    for (int e = v.start(u); e < v.end(u); e++) {
                        double d = v.value(e) - m.predictIndex(u, v.index(e));
                        trainSse += d * d;
                    }
                }
                assertEquals(Math.sqrt(trainSse / v.nnz()), r.trainRmse()[5], 1e-9);
                assertEquals(s.train().size(), r.trainRatings());
                sum += want;
            }
            assertEquals(sum / 3, cv.rmseMean(), 1e-12);
        }
    }

    @Test
    void summaryStatisticsAreTheSampleMeanAndStandardDeviation() {
        CvResult cv = CrossValidation.run(Splits.kFold(DATA, 4, 1), settings(config().build()),
                CrossValidation.Progress.NONE);
        double[] r = cv.folds().stream().mapToDouble(f -> f.metrics().rmse()).toArray();
        double mean = (r[0] + r[1] + r[2] + r[3]) / 4;
        double var = 0;
        for (double x : r) {
            var += (x - mean) * (x - mean);
        }
        assertEquals(mean, cv.rmseMean(), 1e-15);
        assertEquals(Math.sqrt(var / 3), cv.rmseStd(), 1e-15);
        assertEquals(cv.folds().stream().mapToInt(f -> f.metrics().cold()).sum(), cv.coldStartCount());
    }

    @Test
    void progressHearsEveryIterationOfEveryFold() {
        int[] calls = new int[1];
        CrossValidation.run(Splits.kFold(DATA, 2, 1), settings(config().samples(3).build()),
                (split, splits, it, its) -> {
                    assertEquals(2, splits);
                    assertEquals(9, its, "6 iterations and 3 samples");
                    calls[0]++;
                });
        assertEquals(18, calls[0]);
    }

    @Test
    void theSamplingCurveEndsAtTheAveragedModel() {
        // Every sample kept: the curve's last point is then exactly the model's figure.
        AlsConfig c = config().biased(true).regularizer("l2").lambda(2).samples(5).noise(0.8).compress(false).build();
        Split s = Splits.holdout(DATA, 0.2, 4);
        FoldResult r = CrossValidation.runSplit(s, settings(c), null, 0, 1, CrossValidation.Progress.NONE);
        Model m = new AlternatingLeastSquares(c, new TextbookSolver()).fit(s.train());
        assertEquals(3, m.rank());
        assertEquals(5, m.samples());
        assertEquals(rmseByHand(s, m, Baseline.of(m)), r.metrics().rmse(), 1e-12);
        assertEquals(r.metrics().rmse(), r.testRmse()[r.testRmse().length - 1], 1e-9);
        assertEquals(11, r.testRmse().length);
    }

    @Test
    void anExtraTestSetIsScoredByEveryFoldModel() {
        Split outer = Splits.holdout(DATA, 0.1, 3);
        List<Split> folds = Splits.kFold(outer.train(), 3, 3);
        AlsConfig c = config().build();
        CvResult cv = CrossValidation.run(folds, settings(c), outer.test(), CrossValidation.Progress.NONE);
        double sum = 0;
        for (int f = 0; f < 3; f++) {
            Split fold = folds.get(f);
            Model m = new AlternatingLeastSquares(c, new TextbookSolver()).fit(fold.train());
            Split held = new Split("held", fold.train(), outer.test().remap(fold.userMap(), fold.itemMap()), null, null);
            double want = rmseByHand(held, m, Baseline.damped(fold.train()));
            assertEquals(want, cv.folds().get(f).extra().rmse(), 1e-12);
            sum += want;
        }
        assertEquals(sum / 3, cv.extraRmseMean(), 1e-12);
    }

    @Test
    void coldStartStrategiesChangeOnlyTheColdRatings() {
        // Many rarely rated items, so some test items are unknown to the training set.
        Ratings sparse = SyntheticRatings.generate(new SyntheticRatings.Spec(300, 600, 3000, 3, 0.8, 6)).ratings();
        Split s = Splits.kFold(sparse, 5, 6).get(0);
        assertTrue(s.test().coldCount() > 0, "this data gives some cold ratings");
        AlsConfig c = config().biased(true).build();
        Metrics base = CrossValidation.runSplit(s, settings(c), null, 0, 1, CrossValidation.Progress.NONE).metrics();
        Metrics drop = CrossValidation.runSplit(s, new CrossValidation.Settings(c, new TextbookSolver(),
                ColdStart.DROP, SCALE), null, 0, 1, CrossValidation.Progress.NONE).metrics();
        assertEquals(base.cold(), drop.cold());
        assertEquals(base.total() - base.cold(), drop.scored());
        // Reassemble the baseline RMSE from the warm part (drop) and the cold part.
        double sse = drop.rmse() * drop.rmse() * drop.scored() + base.coldRmse() * base.coldRmse() * base.cold();
        assertEquals(base.rmse(), Math.sqrt(sse / base.total()), 1e-12);
        assertArrayEquals(new int[] {base.coldUsers(), base.coldItems()}, new int[] {drop.coldUsers(), drop.coldItems()});
    }
}
