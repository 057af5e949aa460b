package io.als.api;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sampling stage ({@link PosteriorSampler}): a sampling half-step draws from the right
 * distribution, a sampled fit keeps its sweeps as samples and averages them, the stage runs
 * after the ALS iterations without touching them, and its random streams are its own. The
 * reference figures are computed here independently, with the 2x2 algebra written out.
 */
class PosteriorSamplingTest {

    /** A step that solves each row's normal equation by Cramer's rule (rank 2 only). */
    private static LeastSquaresStep cramer() {
        return new RowwiseLeastSquaresStep(2, 1, k -> (a, b, x) -> {
            double det = a[0] * a[3] - a[1] * a[2];
            x[0] = (b[0] * a[3] - a[1] * b[1]) / det;
            x[1] = (a[0] * b[1] - a[2] * b[0]) / det;
            return det > 0;
        });
    }

    @Test
    void aSampledRowHasTheConditionalPosteriorMeanAndCovariance() {
        // One user with 4 ratings of items whose (fixed) factors are the rows of F.
        double[][] f = {{1, 0.5}, {-0.3, 1.2}, {0.8, -0.4}, {0.1, 0.9}};
        double[] a = {4, 2, 5, 3};
        double lambda = 1.5;
        double sigma = 0.7;
        Ratings ratings = Ratings.fromDense(new double[][] {a});
        AlsConfig config = AlsConfig.plain().rank(2).regularizer("l2").lambda(lambda).threads(1).build();
        FitState state = FitState.of(config, ratings, new FactorMatrix(1, 2));
        for (int i = 0; i < f.length; i++) {
            state.items().set(i, 0, f[i][0]);
            state.items().set(i, 1, f[i][1]);
        }
        // Independently: A = F^T F + lambda I, mean = A^-1 F^T a, covariance = sigma^2 A^-1.
        double a00 = lambda;
        double a01 = 0;
        double a11 = lambda;
        double b0 = 0;
        double b1 = 0;
        for (int i = 0; i < f.length; i++) {
            a00 += f[i][0] * f[i][0];
            a01 += f[i][0] * f[i][1];
            a11 += f[i][1] * f[i][1];
            b0 += f[i][0] * a[i];
            b1 += f[i][1] * a[i];
        }
        double det = a00 * a11 - a01 * a01;
        double[] mean = {(a11 * b0 - a01 * b1) / det, (a00 * b1 - a01 * b0) / det};
        double[] cov = {sigma * sigma * a11 / det, -sigma * sigma * a01 / det, sigma * sigma * a00 / det};

        int n = 40_000;
        double[] sum = new double[2];
        double[] sq = new double[3];
        try (LeastSquaresStep step = cramer()) {
            for (int t = 0; t < n; t++) {
                FitState.Problem p = PosteriorSampler.perturb(state.pose(FitListener.Side.USERS, config.regularizer()),
                        config.regularizer(), sigma, new SplittableRandom(1000 + t));
                step.solve(p.observed(), p.fixed(), p.reg(), p.target());
                double x0 = p.target().get(0, 0);
                double x1 = p.target().get(0, 1);
                sum[0] += x0;
                sum[1] += x1;
                sq[0] += x0 * x0;
                sq[1] += x0 * x1;
                sq[2] += x1 * x1;
            }
        }
        double m0 = sum[0] / n;
        double m1 = sum[1] / n;
        // Standard errors of the mean are sqrt(cov / n), about 0.0015 here; allow five of them.
        assertEquals(mean[0], m0, 5 * Math.sqrt(cov[0] / n));
        assertEquals(mean[1], m1, 5 * Math.sqrt(cov[2] / n));
        // Sample covariances are within a few percent at this n (relative standard error about sqrt(2 / n) = 0.7%).
        assertEquals(cov[0], sq[0] / n - m0 * m0, 0.04 * cov[0]);
        assertEquals(cov[1], sq[1] / n - m0 * m1, 0.04 * Math.sqrt(cov[0] * cov[2]));
        assertEquals(cov[2], sq[2] / n - m1 * m1, 0.04 * cov[2]);
    }

    @Test
    void weightedPenaltiesGetOnePseudoBlockPerDistinctRowCount() {
        // Users with 1, 2 and 2 ratings: penalties lambda, 2 lambda, 2 lambda, so two blocks of pseudo-rows.
        Ratings ratings = Ratings.fromDense(new double[][] {{1, Double.NaN}, {2, 3}, {4, 5}});
        AlsConfig config = AlsConfig.plain().rank(2).regularizer("weighted").lambda(0.5).threads(1).build();
        FitState state = FitState.of(config, ratings, new FactorMatrix(3, 2));
        FitState.Problem p = PosteriorSampler.perturb(state.pose(FitListener.Side.USERS, config.regularizer()),
                config.regularizer(), 1, new SplittableRandom(1));
        assertEquals(2 + 2 * 2, p.fixed().rows(), "two items and two blocks of two pseudo-rows");
        assertEquals(0, p.reg().penalty(7), "the penalty lives in the pseudo-rows");
        assertArrayEquals(new double[] {Math.sqrt(0.5), 0}, p.fixed().row(2), 0.0);
        assertArrayEquals(new double[] {0, Math.sqrt(0.5)}, p.fixed().row(3), 0.0);
        assertArrayEquals(new double[] {Math.sqrt(1.0), 0}, p.fixed().row(4), 0.0);
        assertEquals(1 + 2, p.observed().count(0));
        assertEquals(2 + 2, p.observed().count(1));
        assertEquals(4, p.observed().index(p.observed().start(1) + 2), "user 1 uses the second block");
    }

    /** A solver for this class's small fits: Cramer's rule at rank 2, elimination at rank 3 (biased rank 2). */
    private static Solver small() {
        return new Solver() {
            @Override
            public String name() {
                return "cramer";
            }

            @Override
            public LeastSquaresStep newStep(int rank, int threads) {
                return rank == 3 ? new EliminationSolver().newStep(3, 1) : cramer();
            }
        };
    }

    private static final Ratings FOUR_BY_THREE = Ratings.fromDense(new double[][] {{5, 3, Double.NaN},
        {4, Double.NaN, 1}, {1, 1, 5}, {Double.NaN, 2, 4}});

    private static AlsConfig.Builder sampled(boolean biased) {
        // Every sample kept (no compression), so that each can be compared with its sweep.
        return AlsConfig.builder().rank(2).iterations(3).regularizer("l2").lambda(0.5).threads(1).biased(biased)
                .samples(4).noise(0.5).seed(3).compress(false);
    }

    @Test
    void aSampledModelKeepsEachSweepAsASampleAndPredictsTheirAverage() {
        for (boolean biased : new boolean[] {false, true}) {
            double[][] sum = new double[4][3];
            List<Model> sweeps = new ArrayList<>();
            Model m = new AlternatingLeastSquares(sampled(biased).build(), small()).fit(FOUR_BY_THREE, e -> {
                if (e.side() == FitListener.Side.USERS && e.sampling()) {
                    sweeps.add(e.snapshot());
                    for (int u = 0; u < 4; u++) {
                        for (int i = 0; i < 3; i++) {
                            sum[u][i] += e.predict(u, i);
                        }
                    }
                }
            });
            assertEquals(2, m.rank(), "the rank of each sample");
            assertEquals(4, m.samples());
            assertEquals(biased, m.biased());
            assertEquals(4, sweeps.size());
            for (int s = 0; s < 4; s++) {
                Model sweep = sweeps.get(s);
                assertEquals(sweep.userFactors(0), m.userFactors(s), "users of sample " + s);
                assertEquals(sweep.itemFactors(0), m.itemFactors(s), "items of sample " + s);
                assertEquals(sweep.userBiases(0), m.userBiases(s), "user biases of sample " + s);
                assertEquals(sweep.itemBiases(0), m.itemBiases(s), "item biases of sample " + s);
                assertEquals(m.globalMean(), sweep.globalMean(), 0.0);
            }
            for (int u = 0; u < 4; u++) {
                for (int i = 0; i < 3; i++) {
                    // The listener's running sum: the average of the four draws' predictions.
                    assertEquals(sum[u][i] / 4, m.predictIndex(u, i), 1e-12, "user " + u + ", item " + i);
                }
            }
            assertThrows(IllegalStateException.class, m::userFactors, "a sampled model has no single matrix");
        }
    }

    @Test
    void samplingIsAStageAfterTheAlsIterationsWhichItLeavesAlone() {
        for (boolean biased : new boolean[] {false, true}) {
            List<String> plain = new ArrayList<>();
            List<String> withSamples = new ArrayList<>();
            List<Integer> sweeps = new ArrayList<>();
            new AlternatingLeastSquares(sampled(biased).samples(0).build(), small()).fit(FOUR_BY_THREE,
                    e -> plain.add(e.iteration() + " " + e.side() + " " + e.snapshot().predictIndex(1, 2)));
            Model m = new AlternatingLeastSquares(sampled(biased).build(), small()).fit(FOUR_BY_THREE, e -> {
                if (e.sampling()) {
                    sweeps.add(e.iteration());
                } else {
                    withSamples.add(e.iteration() + " " + e.side() + " " + e.snapshot().predictIndex(1, 2));
                }
            });
            assertEquals(plain, withSamples, "the ALS half-steps do not depend on the sampling that follows");
            assertEquals(List.of(4, 4, 5, 5, 6, 6, 7, 7), sweeps, "sweeps continue the iteration count");
            TrainingInfo info = m.trainingInfo().orElseThrow();
            assertEquals(3, info.iterationsRun());
            assertEquals(4, info.samples());
            assertEquals(0.5, info.noise(), 0.0);
        }
    }

    @Test
    void theSeedFixesTheSamplesAndAnotherSeedDrawsOthers() {
        AlsConfig config = sampled(true).build();
        Model a = new AlternatingLeastSquares(config, small()).fit(FOUR_BY_THREE);
        Model b = new AlternatingLeastSquares(config, small()).fit(FOUR_BY_THREE);
        Model c = new AlternatingLeastSquares(config.toBuilder().seed(4).build(), small()).fit(FOUR_BY_THREE);
        assertEquals(a, b);
        assertNotEquals(a.userFactors(0), c.userFactors(0));
    }

    @Test
    void everyStreamOfAFitIsItsOwn() {
        // The first value of every initialisation row stream and of every sampling half-step
        // stream, for 1000 rows and 500 sweeps. The scheme this replaced seeded row r with
        // seed * phi + r and sweep t, side s with seed * phi + 2t + s, so row 2t + s repeated
        // that sweep's numbers exactly: with it, this set would have far fewer than 2000 values.
        for (long seed : new long[] {0, 42, -7}) {
            Set<Long> first = new HashSet<>();
            SplittableRandom rows = FitStreams.initialization(seed);
            for (int r = 0; r < 1000; r++) {
                first.add(rows.split().nextLong());
            }
            SplittableRandom halfSteps = FitStreams.sampling(seed);
            for (int h = 0; h < 1000; h++) {
                first.add(halfSteps.split().nextLong());
            }
            assertEquals(2000, first.size(), "seed " + seed);
        }
    }
}
