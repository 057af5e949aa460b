package io.als.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Initialization;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.eval.reference.TextbookSolver;
import io.als.spi.FactorMatrix;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/**
 * The laws of the driver's own devices, biased ALS and posterior sampling. Both are built in
 * {@link AlternatingLeastSquares} from ordinary half-steps, so they hold whatever the solver,
 * and are checked once here, with the plain {@link TextbookSolver}, rather than once per
 * backend in the conformance kit (which checks what sampling asks of a solver). Problems
 * come from {@link SeededProblems}; to replay a failure, put the seed jqwik prints into
 * {@code @Property(seed = "...")}.
 */
class DriverLawsTest {

    /** Double precision throughout: the slack the kit allows an exact solver. */
    private static final double RELATIVE = 1e-9;

    private static final Solver SOLVER = new TextbookSolver();

    // ---------------------------------------------------------------- biased fits

    /** With biases, the regularised objective still never increases from one half-step to the next. */
    @Property(tries = 30)
    void biasedObjectiveNeverIncreases(
            @ForAll @IntRange(min = 1, max = 30) int users,
            @ForAll @IntRange(min = 1, max = 30) int items,
            @ForAll @IntRange(min = 1, max = 8) int rank,
            @ForAll @IntRange(min = 10, max = 100) int densityPercent,
            @ForAll @Scale(6) @DoubleRange(min = 0.001, max = 5) double lambda,
            @ForAll boolean weighted,
            @ForAll long seed) {
        Ratings ratings = SeededProblems.ratings(users, items, densityPercent / 100.0, seed);
        AlsConfig config = config(rank, 6, weighted ? "weighted" : "l2", lambda, seed, 2).toBuilder()
                .biased(true).build();
        List<Double> objective = new ArrayList<>();
        new AlternatingLeastSquares(config, SOLVER).fit(ratings, e -> objective.add(e.objective()));
        assertEquals(12, objective.size());
        for (int s = 1; s < objective.size(); s++) {
            double before = objective.get(s - 1);
            double after = objective.get(s);
            assertTrue(after <= before * (1 + 1e3 * RELATIVE) + 1e-12,
                    "objective rose at half-step " + (s + 1) + ": " + before + " -> " + after);
        }
    }

    /**
     * The objective a biased fit reports is the one its model has, recomputed here from the
     * model's parts alone: sum (r - prediction)^2 + sum_u lambda_u (||U_u||^2 + b_u^2) + the
     * same for items; and what the listener predicts is what the model predicts.
     */
    @Property(tries = 30)
    void biasedObjectiveAndListenerPredictionsMatchTheModel(
            @ForAll @IntRange(min = 1, max = 25) int users,
            @ForAll @IntRange(min = 1, max = 25) int items,
            @ForAll @IntRange(min = 1, max = 6) int rank,
            @ForAll @Scale(6) @DoubleRange(min = 0.01, max = 2) double lambda,
            @ForAll boolean weighted,
            @ForAll long seed) {
        Ratings ratings = SeededProblems.ratings(users, items, 0.5, seed);
        Regularizer reg = weighted ? Regularizer.weighted(lambda) : Regularizer.l2(lambda);
        AlsConfig config = config(rank, 3, reg.name(), lambda, seed, 2).toBuilder().biased(true).build();
        double[] lastLoss = new double[2];
        double[][] listenerPredictions = new double[users][items];
        Model m = new AlternatingLeastSquares(config, SOLVER).fit(ratings, e -> {
            lastLoss[0] = e.sse();
            lastLoss[1] = e.objective();
            for (int u = 0; u < users; u++) {
                for (int i = 0; i < items; i++) {
                    listenerPredictions[u][i] = e.predict(u, i);
                }
            }
        });
        assertTrue(m.biased());
        assertEquals(rank, m.rank());
        assertEquals(1, m.samples());
        assertEquals(ratings.mean(), m.globalMean(), 0.0, "the global mean is the training mean");
        SparseView byUser = ratings.byUser();
        double sse = 0;
        for (int u = 0; u < users; u++) {
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                double d = byUser.value(e) - m.predictIndex(u, byUser.index(e));
                sse += d * d;
            }
        }
        double penalty = 0;
        FactorMatrix uf = m.userFactors();
        FactorMatrix pf = m.itemFactors();
        double[] bu = m.userBiases();
        double[] bi = m.itemBiases();
        for (int u = 0; u < users; u++) {
            penalty += reg.penalty(byUser.count(u)) * (uf.squaredNorm(u) + bu[u] * bu[u]);
        }
        SparseView byItem = ratings.byItem();
        for (int i = 0; i < items; i++) {
            penalty += reg.penalty(byItem.count(i)) * (pf.squaredNorm(i) + bi[i] * bi[i]);
        }
        double scale = 1e3 * RELATIVE;
        assertEquals(sse, lastLoss[0], scale * (1 + sse), "sse");
        assertEquals(sse + penalty, lastLoss[1], scale * (1 + sse + penalty), "objective");
        assertEveryCell(users, items, m::predictIndex, (u, i) -> listenerPredictions[u][i], scale, 1);
    }

    /**
     * A fully observed matrix {@code mu + b_u + b_i + A_u . C_i} with planted biases and a
     * planted rank-k part is predicted exactly by an unpenalised rank-k biased fit. Only
     * predictions are checked: the split between the mean and the biases is not unique. The
     * start is a generic random matrix: the configured random start of rank 1 is a constant
     * column, which with the bias column would make the first systems singular. (Measured with
     * the EJML solver over 400 random cases: largest relative error 2.5e-11 after 20 iterations;
     * with a tiny ridge instead of none, the factors drift to norms near 1e3 and stall near 1e-4.)
     */
    @Property(tries = 30)
    void biasedFitRecoversPlantedBiasesAndFactors(
            @ForAll @IntRange(min = 1, max = 4) int rank,
            @ForAll @IntRange(min = 0, max = 20) int extraUsers,
            @ForAll @IntRange(min = 0, max = 20) int extraItems,
            @ForAll long seed) {
        int users = rank + 2 + extraUsers;
        int items = rank + 2 + extraItems;
        SplittableRandom rnd = new SplittableRandom(seed);
        double mu = 1 + 4 * rnd.nextDouble();
        double[] bu = new double[users];
        double[] bi = new double[items];
        Arrays.setAll(bu, u -> 2 * rnd.nextDouble() - 1);
        Arrays.setAll(bi, i -> 2 * rnd.nextDouble() - 1);
        FactorMatrix a = SeededProblems.factors(users, rank, seed + 1);
        FactorMatrix c = SeededProblems.factors(items, rank, seed + 2);
        double[][] dense = new double[users][items];
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                dense[u][i] = mu + bu[u] + bi[i] + a.dot(u, c, i);
            }
        }
        AlsConfig config = config(rank, 30, "none", 0, seed, 2).toBuilder().biased(true).build();
        Model m = new AlternatingLeastSquares(config, SOLVER).fit(Ratings.fromDense(dense),
                SeededProblems.factors(users, rank, seed + 3), FitListener.NONE);
        assertEveryCell(users, items, (u, i) -> dense[u][i], m::predictIndex, 1e4 * RELATIVE, 1);
    }

    /**
     * Adding a constant to every rating moves the global mean by it and leaves the biases and
     * factors alone, so a biased model's every prediction moves by exactly that constant.
     */
    @Property(tries = 30)
    void shiftingEveryRatingShiftsBiasedPredictions(
            @ForAll @IntRange(min = 1, max = 25) int users,
            @ForAll @IntRange(min = 1, max = 25) int items,
            @ForAll @IntRange(min = 1, max = 6) int rank,
            @ForAll @Scale(6) @DoubleRange(min = 0.01, max = 2) double lambda,
            @ForAll @Scale(3) @DoubleRange(min = -10, max = 10) double shift,
            @ForAll long seed) {
        Ratings ratings = SeededProblems.ratings(users, items, 0.5, seed);
        double[][] shifted = SeededProblems.toDense(ratings.byUser());
        for (double[] row : shifted) {
            for (int i = 0; i < row.length; i++) {
                row[i] += shift;
            }
        }
        AlsConfig config = config(rank, 4, "weighted", lambda, seed, 2).toBuilder().biased(true).build();
        Model m = new AlternatingLeastSquares(config, SOLVER).fit(ratings);
        Model ms = new AlternatingLeastSquares(config, SOLVER).fit(Ratings.fromDense(shifted));
        assertEveryCell(users, items, (u, i) -> m.predictIndex(u, i) + shift, ms::predictIndex, 1e4 * RELATIVE, 1);
    }

    // ---------------------------------------------------------------- posterior sampling

    /**
     * A sampling fit (biased or not) gives bit-identical models for 1 and 2 threads, and its
     * model, of {@code samples} samples of the configured rank, predicts the average of what
     * the listener predicted after each sweep.
     */
    @Property(tries = 15)
    void sampledFitsAverageTheirSamplesForAnyThreadCount(
            @ForAll @IntRange(min = 1, max = 25) int users,
            @ForAll @IntRange(min = 1, max = 25) int items,
            @ForAll @IntRange(min = 1, max = 5) int rank,
            @ForAll @IntRange(min = 1, max = 6) int samples,
            @ForAll @Scale(6) @DoubleRange(min = 0.05, max = 5) double lambda,
            @ForAll boolean biased,
            @ForAll boolean weighted,
            @ForAll long seed) {
        Ratings ratings = SeededProblems.ratings(users, items, 0.5, seed);
        double[][] sum = new double[users][items];
        Model reference = null;
        for (int threads : new int[] {1, 2}) {
            AlsConfig config = config(rank, 2, weighted ? "weighted" : "l2", lambda, seed, threads).toBuilder()
                    .biased(biased).samples(samples).noise(0.7).build();
            boolean first = reference == null;
            Model m = new AlternatingLeastSquares(config, SOLVER).fit(ratings, e -> {
                if (first && e.side() == FitListener.Side.USERS && e.sampling()) {
                    for (int u = 0; u < users; u++) {
                        for (int i = 0; i < items; i++) {
                            sum[u][i] += e.predict(u, i);
                        }
                    }
                }
            });
            assertEquals(rank, m.rank(), "the rank of each sample");
            assertEquals(samples, m.samples());
            assertEquals(biased, m.biased());
            if (first) {
                reference = m;
            } else {
                // Every part: ids, mean, each sample's factors and biases, the pattern, the training info.
                assertEquals(reference, m, "2 threads");
            }
        }
        assertEveryCell(users, items, (u, i) -> sum[u][i] / samples, reference::predictIndex, 1e2 * RELATIVE, 1);
    }

    // ---------------------------------------------------------------- helpers

    private static AlsConfig config(int rank, int iterations, String reg, double lambda, long seed, int threads) {
        return AlsConfig.builder().rank(rank).iterations(iterations).regularizer(reg).lambda(lambda).seed(seed)
                .init(Initialization.RANDOM).tolerance(0).threads(threads)
                // Every setting explicit: plain ALS with the given lambda, nothing chosen from the data,
                // every sample kept (the sampling laws compare each sample).
                .biased(false).samples(0).noise(1.0).validation(0).compress(false).build();
    }

    /**
     * Asserts {@code actual} against {@code expected} in every (user, item) cell, to within
     * {@code relative * (floor + |expected|)}, naming the cell that fails.
     */
    private static void assertEveryCell(int users, int items, ToDoubleBiFunction<Integer, Integer> expected,
                                        ToDoubleBiFunction<Integer, Integer> actual, double relative, double floor) {
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                double want = expected.applyAsDouble(u, i);
                assertEquals(want, actual.applyAsDouble(u, i), relative * (floor + Math.abs(want)),
                        "user " + u + ", item " + i);
            }
        }
    }
}
