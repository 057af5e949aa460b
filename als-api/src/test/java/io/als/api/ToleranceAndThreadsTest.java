package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The driver's stopping rule ({@link AlsConfig#tolerance()}) and the threads it uses
 * ({@link AlternatingLeastSquares#threadsFor}).
 */
class ToleranceAndThreadsTest {

    /** The module's test solver (Gaussian elimination), recording the threads it was given. */
    private static final class Elimination implements Solver {
        final AtomicInteger threadsGiven = new AtomicInteger();

        @Override
        public String name() {
            return "elimination";
        }

        @Override
        public LeastSquaresStep newStep(int rank, int threads) {
            threadsGiven.set(threads);
            return new EliminationSolver().newStep(rank, threads);
        }
    }

    /** 60 users and 40 items of a noisy rank-3 matrix, about half observed. */
    private static Ratings ratings() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[][] u = new double[60][3];
        double[][] p = new double[40][3];
        for (double[][] m : new double[][][] {u, p}) {
            for (double[] row : m) {
                for (int c = 0; c < 3; c++) {
                    row[c] = rnd.nextDouble();
                }
            }
        }
        Ratings.Builder b = Ratings.builder();
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (rnd.nextDouble() < 0.5) {
                    double r = 1 + u[i][0] * p[j][0] + u[i][1] * p[j][1] + u[i][2] * p[j][2] + 0.3 * rnd.nextGaussian();
                    b.add(i, j, r);
                }
            }
        }
        return b.build();
    }

    private static AlsConfig.Builder config() {
        return AlsConfig.plain().rank(3).iterations(40).regularizer("l2").lambda(0.5).threads(1).seed(3);
    }

    /** The objective after each iteration of a fit that runs them all. */
    private static List<Double> objectives(Ratings r) {
        List<Double> out = new ArrayList<>();
        new AlternatingLeastSquares(config().build(), new Elimination()).fit(r, e -> {
            if (e.side() == FitListener.Side.USERS) {
                out.add(e.objective());
            }
        });
        return out;
    }

    @Test
    void aTinyToleranceRunsMoreThanOneIteration() {
        Model m = new AlternatingLeastSquares(config().tolerance(1e-12).build(), new Elimination()).fit(ratings());
        // Before the fix the first iteration compared with a previous objective of infinity and stopped.
        assertTrue(m.trainingInfo().orElseThrow().iterationsRun() > 1, "ran " + m.trainingInfo().orElseThrow().iterationsRun());
    }

    @Test
    void aToleranceStopsOnceTheRelativeImprovementFallsUnderIt() {
        Ratings r = ratings();
        List<Double> objectives = objectives(r);
        for (double tolerance : new double[] {0.5, 0.05, 1e-3, 1e-5}) {
            // The first iteration i >= 2 whose improvement on i - 1 is at most tolerance times the objective of i - 1.
            int expected = objectives.size();
            for (int i = 1; i < objectives.size(); i++) {
                if (objectives.get(i - 1) - objectives.get(i) <= tolerance * objectives.get(i - 1)) {
                    expected = i + 1;
                    break;
                }
            }
            Model m = new AlternatingLeastSquares(config().tolerance(tolerance).build(), new Elimination()).fit(r);
            assertEquals(expected, m.trainingInfo().orElseThrow().iterationsRun(), "tolerance " + tolerance + ", objectives "
                    + objectives);
            assertEquals(40, m.trainingInfo().orElseThrow().iterationsAsked());
            assertTrue(expected >= 2, "the first iteration never stops a fit");
        }
        // The figures span the cases: a large tolerance stops early, a small one later.
        Model loose = new AlternatingLeastSquares(config().tolerance(0.5).build(), new Elimination()).fit(r);
        Model tight = new AlternatingLeastSquares(config().tolerance(1e-5).build(), new Elimination()).fit(r);
        assertTrue(loose.trainingInfo().orElseThrow().iterationsRun() < tight.trainingInfo().orElseThrow().iterationsRun(),
                loose.trainingInfo().orElseThrow().iterationsRun() + " vs " + tight.trainingInfo().orElseThrow().iterationsRun());
    }

    @Test
    void zeroToleranceRunsEveryIteration() {
        Model m = new AlternatingLeastSquares(config().iterations(7).build(), new Elimination()).fit(ratings());
        assertEquals(7, m.trainingInfo().orElseThrow().iterationsRun());
    }

    @Test
    void threadsAreLimitedByTheRowBlocksAndThePerProcessorCap() {
        int block = RowwiseLeastSquaresStep.BLOCK_ROWS;
        // 6 ratings: one block, so one thread however many are asked for.
        assertEquals(1, AlternatingLeastSquares.usableThreads(1_000_000, 3, 2, 8));
        // The larger side decides: 10 blocks of items.
        assertEquals(10, AlternatingLeastSquares.usableThreads(64, 5, 10 * block, 8));
        assertEquals(3, AlternatingLeastSquares.usableThreads(3, 5, 10 * block, 8));
        // At most THREADS_PER_PROCESSOR per processor.
        assertEquals(AlternatingLeastSquares.THREADS_PER_PROCESSOR * 2,
                AlternatingLeastSquares.usableThreads(Integer.MAX_VALUE, 1_000_000, 1_000_000, 2));
        assertEquals(1, AlternatingLeastSquares.usableThreads(1, 0, 0, 0));
    }

    @Test
    void aMillionThreadsOnATinyFileRunOneAndGiveTheSameModel() {
        Ratings six = Ratings.builder().add(1, 1, 5).add(1, 2, 3).add(2, 1, 4).add(2, 3, 1).add(3, 2, 2).add(3, 3, 4)
                .build();
        Elimination solver = new Elimination();
        long start = System.nanoTime();
        Model many = new AlternatingLeastSquares(config().rank(2).threads(1_000_000).build(), solver).fit(six);
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "took seconds");
        assertEquals(1, solver.threadsGiven.get());
        Model one = new AlternatingLeastSquares(config().rank(2).threads(1).build(), new Elimination()).fit(six);
        assertEquals(one.predict("1", "3"), many.predict("1", "3"), 0.0);
    }

    @Test
    void theMemoryEstimateCountsEachThreadsWorkspace() {
        // Rank 10: a NormalEquation holds 2 x 100 + 131 x 10 = 1,510 doubles (12,080 bytes) in 142 arrays (2,272 bytes).
        assertEquals(12_080 + 2_272, MemoryEstimate.perThreadWorkspace(10));
        long one = MemoryEstimate.forFit(1000, 500, 20_000, 10, 1, 11);
        long eight = MemoryEstimate.forFit(1000, 500, 20_000, 10, 8, 11);
        assertEquals(7 * MemoryEstimate.perThreadWorkspace(11), eight - one);
        // A million workspaces of rank 10 are about 14 GB: the estimate alone would refuse them.
        assertTrue(MemoryEstimate.forFit(3, 3, 6, 10, 1_000_000) > 14_000_000_000L);
    }
}
