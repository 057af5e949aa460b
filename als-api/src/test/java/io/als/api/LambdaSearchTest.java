package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.spi.FactorMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lambda search's parts, each against figures worked by hand in the comments: the trial
 * fits' samples, the held-out cut, the error of an average of samples and its extrapolation,
 * and a trial's clipped RMSE. ({@link DataChosenSettingsTest} checks the search as a whole.)
 */
class LambdaSearchTest {

    @Test
    void aTrialFitTakesAQuarterOfTheSamplesRoundedUp() {
        int[][] cases = {{0, 0}, {1, 1}, {3, 1}, {4, 1}, {5, 2}, {8, 2}, {9, 3}, {200, 50}, {201, 51}};
        for (int[] c : cases) {
            assertEquals(c[1], LambdaSearch.trialSamples(c[0]), "samples " + c[0]);
        }
    }

    @Test
    void theCutHoldsOutWhatTheStreamDrawsAndGivesBackWhatAUserOrItemNeeds() {
        // A fraction of 1 holds every rating out at first; the second pass, in by-user order,
        // gives a rating back when its user or its item has none left. For the 3x3 matrix
        // 1..9: (0,0) back (user 0 empty), (0,1) and (0,2) back (items 1 and 2 empty), (1,0)
        // back (user 1 empty), (1,1) and (1,2) stay out, (2,0) back (user 2), (2,1), (2,2) out.
        Ratings r = Ratings.fromDense(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        LambdaSearch.Cut all = LambdaSearch.cut(r, 1.0, new SplittableRandom(1));
        assertArrayEquals(new int[] {1, 1, 2, 2}, all.users());
        assertArrayEquals(new int[] {1, 2, 1, 2}, all.items());
        assertArrayEquals(new double[] {5, 6, 8, 9}, all.values(), 0);
        assertEquals(Ratings.fromDense(new double[][] {{1, 2, 3}, {4, Double.NaN, Double.NaN},
            {7, Double.NaN, Double.NaN}}).byUser(), all.train().byUser());
        // A fraction of 0 holds nothing out.
        LambdaSearch.Cut none = LambdaSearch.cut(r, 0.0, new SplittableRandom(1));
        assertEquals(0, none.size());
        assertEquals(r.byUser(), none.train().byUser());
    }

    @Test
    void theErrorOfAnAverageIsExtrapolatedAlongOneOverTheSamples() {
        // MSE(S) = a + b / S through (2, 0.6) and (4, 0.5): b = 0.1 / (1/2 - 1/4) = 0.4, so
        // MSE(16) = 0.5 - 0.4 (1/4 - 1/16) = 0.425.
        assertEquals(0.425, LambdaSearch.extrapolatedMse(0.5, 0.6, 2, 4, 16), 1e-15);
        // Halves no worse than the whole: b is taken as 0 and the MSE stands.
        assertEquals(0.5, LambdaSearch.extrapolatedMse(0.5, 0.45, 2, 4, 16), 0);
        // b = 1 / (1 - 1/2) = 2 would take MSE(100) to 0.1 - 2 (1/2 - 1/100) < 0: held at 0.
        assertEquals(0, LambdaSearch.extrapolatedMse(0.1, 1.1, 1, 2, 100), 0);
        // Samples 3 (two halves of 1): b = 0.3 / (1 - 1/3) = 0.45; MSE(12) = 0.2 - 0.45 (1/3 - 1/12) = 0.0875.
        assertEquals(0.0875, LambdaSearch.extrapolatedMse(0.2, 0.5, 1, 3, 12), 1e-15);
    }

    @Test
    void theErrorOfAnAverageOfSamplesIsClippedToTheRange() {
        // Two users, two items, rank 1, mean 3, two samples:
        //   sample 0: users 1, 2; items 1, 0.5; user biases 0.1, -0.2; item biases 0, 0.3
        //   sample 1: users 0, 1; items 2, 1;   user biases 0, 0;     item biases 0.5, -0.5
        // Held out: (user 0, item 0) = 4, (1, 1) = 5, (1, 0) = 1; range 1..5.
        Model m = Model.builder(IdIndex.dense(2), IdIndex.dense(2), 1, 2).biased(3)
                .addSample(column(1, 2), column(1, 0.5), new double[] {0.1, -0.2}, new double[] {0, 0.3})
                .addSample(column(0, 1), column(2, 1), new double[] {0, 0}, new double[] {0.5, -0.5})
                .rated(new int[] {0, 1, 2}, new int[] {1, 0}).build();
        LambdaSearch.Cut cut = new LambdaSearch.Cut(null, new int[] {0, 1, 1}, new int[] {0, 1, 0},
                new double[] {4, 5, 1});
        double[] range = {1, 5};
        // Sample 0 predicts 4.1, 4.1, 4.8: errors -0.1, 0.9, -3.8.
        assertEquals((0.01 + 0.81 + 14.44) / 3, LambdaSearch.halfMse(m, cut, 0, 1, range), 1e-12);
        // Sample 1 predicts 3.5, 3.5, 5.5 (clipped to 5): errors 0.5, 1.5, -4.
        assertEquals((0.25 + 2.25 + 16) / 3, LambdaSearch.halfMse(m, cut, 1, 2, range), 1e-12);
        // Their average predicts 3.8, 3.8, 5.15 (clipped to 5): errors 0.2, 1.2, -4.
        assertEquals((0.04 + 1.44 + 16) / 3, LambdaSearch.halfMse(m, cut, 0, 2, range), 1e-12);
    }

    @Test
    void aTrialScoresItsFitByTheClippedRmseOnTheHeldOutRatings() {
        Ratings r = DataChosenSettingsTest.planted(40, 30, 0.3, 0.5, 1, 5);
        LambdaSearch.Cut cut = LambdaSearch.cut(r, 0.2, new SplittableRandom(3));
        double[] range = r.range();
        FactorMatrix start = new FactorMatrix(r.numUsers(), 2);
        Initialization.RANDOM.fill(start, 1);
        AlsConfig config = AlsConfig.builder().rank(2).iterations(4).threads(1).samples(0).biased(true)
                .regularizer("l2").lambda(1).validation(0.2).build();
        LambdaSearch.Trial t = LambdaSearch.trial(cut, config, new EliminationSolver(), start, 0.7, range);
        assertEquals(0.7, t.lambda());
        // The same fit, and the error summed here from its predictions.
        Model m = new AlternatingLeastSquares(config.toBuilder().lambda(0.7).validation(0).build(),
                new EliminationSolver(), true).fit(cut.train(), start, FitListener.NONE);
        double sse = 0;
        for (int k = 0; k < cut.size(); k++) {
            double p = Math.min(range[1], Math.max(range[0], m.predictIndex(cut.users()[k], cut.items()[k])));
            sse += (cut.values()[k] - p) * (cut.values()[k] - p);
        }
        assertEquals(Math.sqrt(sse / cut.size()), t.rmse(), 1e-12);
    }

    private static FactorMatrix column(double a, double b) {
        FactorMatrix f = new FactorMatrix(2, 1);
        f.data()[0] = a;
        f.data()[1] = b;
        return f;
    }
}
