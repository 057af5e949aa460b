package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The settings a fit measures on its own training ratings by default: the rating noise
 * ({@link NoiseEstimate}) and lambda ({@link LambdaSearch}), and how the driver uses them.
 */
class DataChosenSettingsTest {

    /** Users x items ratings from a planted rank-2 score plus biases and noise {@code sd}, on the scale {@code lo..hi} times {@code scale}. */
    static Ratings planted(int users, int items, double density, double sd, double scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] u = new double[users][2];
        double[][] p = new double[items][2];
        double[] bu = new double[users];
        double[] bi = new double[items];
        for (double[] row : u) {
            row[0] = rnd.nextGaussian() * 0.7;
            row[1] = rnd.nextGaussian() * 0.7;
        }
        for (double[] row : p) {
            row[0] = rnd.nextGaussian() * 0.7;
            row[1] = rnd.nextGaussian() * 0.7;
        }
        for (int i = 0; i < users; i++) {
            bu[i] = rnd.nextGaussian() * 0.3;
        }
        for (int i = 0; i < items; i++) {
            bi[i] = rnd.nextGaussian() * 0.4;
        }
        Ratings.Builder b = Ratings.builder();
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density || i == a % items) {
                    double r = 3 + bu[a] + bi[i] + u[a][0] * p[i][0] + u[a][1] * p[i][1] + sd * rnd.nextGaussian();
                    b.add(a, i, r * scale);
                }
            }
        }
        return b.build();
    }

    @Test
    void theNoiseEstimateIsTheSpreadAroundTheDampedBaselineAndFollowsTheScale() {
        // Two users, two items, worked by hand: mu = 2.5; item biases (sum of r - mu) / (n + 10):
        // item 0: (1 - 2.5 + 3 - 2.5) / 12 = -1/12; item 1: (2 - 2.5 + 4 - 2.5) / 12 = 1/12.
        // User 0: (1 - 2.5 + 1/12 + 2 - 2.5 - 1/12) / 17 = -2/17; user 1: +2/17.
        Ratings r = Ratings.fromDense(new double[][] {{1, 2}, {3, 4}});
        double bi0 = -1.0 / 12;
        double bi1 = 1.0 / 12;
        double bu0 = -2.0 / 17;
        double bu1 = 2.0 / 17;
        double[] residuals = {1 - 2.5 - bi0 - bu0, 2 - 2.5 - bi1 - bu0, 3 - 2.5 - bi0 - bu1, 4 - 2.5 - bi1 - bu1};
        double sse = 0;
        for (double d : residuals) {
            sse += d * d;
        }
        assertEquals(Math.sqrt(sse / 4), NoiseEstimate.of(r), 1e-12);
        // Ratings ten times as spread: ten times the estimate.
        Ratings ten = Ratings.fromDense(new double[][] {{10, 20}, {30, 40}});
        assertEquals(10 * NoiseEstimate.of(r), NoiseEstimate.of(ten), 1e-9);
        // Nothing left unexplained: a small positive floor, never 0.
        double floor = NoiseEstimate.of(Ratings.fromDense(new double[][] {{3, 3}, {3, 3}}));
        assertTrue(floor > 0 && floor < 1e-5, "floor " + floor);
    }

    @Test
    void theCutKeepsEveryUserAndItemAndHoldsOutAboutTheFraction() {
        Ratings r = planted(60, 40, 0.3, 0.5, 1, 5);
        LambdaSearch.Cut cut = LambdaSearch.cut(r, 0.1, new SplittableRandom(7));
        assertEquals(r.userIds(), cut.train().userIds());
        assertEquals(r.itemIds(), cut.train().itemIds());
        assertEquals(r.size(), cut.train().size() + cut.size());
        for (int u = 0; u < r.numUsers(); u++) {
            assertTrue(cut.train().byUser().count(u) > 0, "user " + u + " kept a training rating");
        }
        for (int i = 0; i < r.numItems(); i++) {
            assertTrue(cut.train().byItem().count(i) > 0, "item " + i + " kept a training rating");
        }
        double fraction = (double) cut.size() / r.size();
        assertTrue(fraction > 0.07 && fraction < 0.13, "held out " + fraction);
        // Each held-out rating is one of the ratings, at its indices.
        for (int t = 0; t < cut.size(); t++) {
            boolean found = false;
            int u = cut.users()[t];
            for (int e = r.byUser().start(u); e < r.byUser().end(u); e++) {
                found |= r.byUser().index(e) == cut.items()[t] && r.byUser().value(e) == cut.values()[t];
            }
            assertTrue(found, "held-out rating " + t);
        }
        // Seeded: the same stream gives the same cut.
        LambdaSearch.Cut again = LambdaSearch.cut(r, 0.1, new SplittableRandom(7));
        assertEquals(cut.train(), again.train());
        // A user or item with a single rating never loses it.
        Ratings tiny = Ratings.fromDense(new double[][] {{1, Double.NaN}, {Double.NaN, 2}});
        assertEquals(0, LambdaSearch.cut(tiny, 0.5, new SplittableRandom(1)).size());
    }

    @Test
    void theSearchStepsByTwoAndFollowsTheBestToTheEnds() {
        Ratings r = planted(80, 50, 0.3, 0.5, 1, 11);
        AlsConfig base = AlsConfig.builder().rank(2).iterations(5).threads(1).samples(0).biased(true)
                .regularizer("l2").lambda(1).validation(0.2).build();
        LambdaSearch.Result found = LambdaSearch.run(r, base, new EliminationSolver(), start(r, 2));
        List<LambdaSearch.Trial> trials = found.trials();
        assertTrue(trials.size() >= 3 && trials.size() <= 3 + LambdaSearch.MAX_EXTRA_STEPS, "trials " + trials);
        for (int t = 1; t < trials.size(); t++) {
            assertEquals(LambdaSearch.STEP * trials.get(t - 1).lambda(), trials.get(t).lambda(), 1e-12);
        }
        LambdaSearch.Trial best = LambdaSearch.best(trials);
        assertEquals(best.lambda(), found.lambda());
        // The search stopped because the best is inside the grid, or because it ran out of steps.
        int at = trials.indexOf(best);
        assertTrue((at > 0 && at < trials.size() - 1) || trials.size() == 3 + LambdaSearch.MAX_EXTRA_STEPS);

        // A start far too small: the search climbs towards larger lambdas.
        AlsConfig tiny = base.toBuilder().lambda(1e-4).validation(0.2).build();
        LambdaSearch.Result up = LambdaSearch.run(r, tiny, new EliminationSolver(), start(r, 2));
        assertTrue(up.lambda() > 1e-4 && up.trials().size() > 3, "climbed: " + up.trials());
        // Ratings on a scale ten times wider want a larger lambda (about ten times).
        Ratings wide = planted(80, 50, 0.3, 0.5, 10, 11);
        LambdaSearch.Result scaled = LambdaSearch.run(wide, base, new EliminationSolver(), start(wide, 2));
        assertTrue(scaled.lambda() > found.lambda(), scaled.lambda() + " against " + found.lambda());
    }

    @Test
    void aLambdaOfZeroOrNothingToHoldOutIsUsedAsItIs() {
        Ratings tiny = Ratings.fromDense(new double[][] {{1, Double.NaN}, {Double.NaN, 2}});
        AlsConfig c = AlsConfig.builder().rank(1).threads(1).samples(0).lambda(0.5).validation(0.5).build();
        LambdaSearch.Result r = LambdaSearch.run(tiny, c, new EliminationSolver(), start(tiny, 1));
        assertEquals(0.5, r.lambda());
        assertEquals(List.of(), r.trials());
        Ratings some = planted(20, 10, 0.5, 0.5, 1, 3);
        AlsConfig zero = AlsConfig.builder().rank(1).threads(1).samples(0).regularizer("none").validation(0.1).build();
        assertEquals(0, LambdaSearch.run(some, zero, new EliminationSolver(), start(some, 1)).lambda());
    }

    @Test
    void theDefaultFitRecordsTheNoiseAndLambdaItChoseAndIsDeterministic() {
        Ratings r = planted(80, 50, 0.3, 0.5, 1, 13);
        AlsConfig c = AlsConfig.builder().rank(2).samples(8).threads(1).build();
        assertTrue(c.lambdaAuto() && c.noiseAuto());
        Model m = new AlternatingLeastSquares(c, new EliminationSolver()).fit(r);
        TrainingInfo info = m.trainingInfo().orElseThrow();
        assertEquals(NoiseEstimate.of(r), info.noise(), 0.0);
        AlsConfig resolved = new AlternatingLeastSquares(c, new EliminationSolver()).chooseFromData(r, start(r, 2));
        assertEquals(resolved.lambda(), info.lambda(), 0.0);
        assertEquals(0, resolved.validation());
        assertEquals(info.noise(), resolved.noise(), 0.0);
        // The chosen lambda is one of the search's grid: the default times a power of 2.
        double steps = Math.log(info.lambda() / AlsConfig.Defaults.LAMBDA) / Math.log(LambdaSearch.STEP);
        assertEquals(Math.rint(steps), steps, 1e-9);
        // The fit with the chosen settings given explicitly is the same model.
        AlsConfig explicit = c.toBuilder().lambda(info.lambda()).noise(info.noise()).build();
        assertEquals(m, new AlternatingLeastSquares(explicit, new EliminationSolver()).fit(r));
        // And any thread count gives the same model.
        assertEquals(m, new AlternatingLeastSquares(c.toBuilder().threads(3).build(), new EliminationSolver()).fit(r));
    }

    @Test
    void aPlainFitNeedsNoNoiseAndAGivenNoiseIsKept() {
        Ratings r = planted(30, 20, 0.4, 0.5, 1, 17);
        AlsConfig plain = AlsConfig.builder().rank(2).samples(0).lambda(1).threads(1).build();
        assertEquals(AlsConfig.AUTO, new AlternatingLeastSquares(plain, new EliminationSolver()).fit(r)
                .trainingInfo().orElseThrow().noise());
        AlsConfig given = AlsConfig.builder().rank(2).samples(3).noise(0.4).lambda(1).threads(1).build();
        assertEquals(0.4, new AlternatingLeastSquares(given, new EliminationSolver()).fit(r)
                .trainingInfo().orElseThrow().noise());
    }

    private static FactorMatrix start(Ratings r, int rank) {
        FactorMatrix users = new FactorMatrix(r.numUsers(), rank);
        Initialization.RANDOM.fill(users, AlsConfig.Defaults.SEED);
        return users;
    }
}
