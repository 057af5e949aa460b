package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver itself: the order of its half-steps, its start, what it records, what it reports. */
class AlternatingLeastSquaresTest {

    /** Users 0, 1 and items 0, 1 with ratings [[1, 2], [3, 4]]. */
    private static Ratings twoByTwo() {
        return Ratings.builder().add(0, 0, 1).add(0, 1, 2).add(1, 0, 3).add(1, 1, 4).build();
    }

    private static AlsConfig.Builder plain() {
        return AlsConfig.plain().rank(1).iterations(1).regularizer(Regularizer.none()).init(Initialization.ONES)
                .threads(1).seed(9);
    }

    @Test
    void oneIterationSolvesItemsFromTheStartThenUsers() {
        // Worked by hand. Rank 1, no penalty, users start at 1. Items first: P_i = sum_u r_ui / 2,
        // so P = (2, 3). Then users: U_u = sum_i r_ui P_i / (2^2 + 3^2): U_0 = (2 + 6) / 13 = 8/13,
        // U_1 = (6 + 12) / 13 = 18/13. Predictions U_u P_i: 16/13, 24/13, 36/13, 54/13.
        // (Solving users first would give U = (1.5, 3.5) / 1 and different items.)
        Model m = new AlternatingLeastSquares(plain().build(), new EliminationSolver()).fit(twoByTwo());
        assertEquals(16.0 / 13, m.predict(0, 0), 1e-12);
        assertEquals(24.0 / 13, m.predict(0, 1), 1e-12);
        assertEquals(36.0 / 13, m.predict(1, 0), 1e-12);
        assertEquals(54.0 / 13, m.predict(1, 1), 1e-12);
    }

    @Test
    void theListenerSeesItemsThenUsersEachIterationThenTheSamplingSweeps() {
        List<String> seen = new ArrayList<>();
        List<Integer> snapshotRuns = new ArrayList<>();
        AlsConfig config = plain().rank(2).iterations(3).samples(2).regularizer("l2").lambda(0.5)
                .init(Initialization.RANDOM).build();
        Model m = new AlternatingLeastSquares(config, new EliminationSolver()).fit(twoByTwo(), e -> {
            seen.add(e.iteration() + " " + e.side() + (e.sampling() ? " sampling" : ""));
            snapshotRuns.add(e.snapshot().trainingInfo().orElseThrow().iterationsRun());
            assertTrue(e.elapsedNanos() >= 0);
        });
        assertEquals(List.of("1 ITEMS", "1 USERS", "2 ITEMS", "2 USERS", "3 ITEMS", "3 USERS",
                "4 ITEMS sampling", "4 USERS sampling", "5 ITEMS sampling", "5 USERS sampling"), seen);
        // A snapshot taken during an ALS iteration counts that iteration; during sampling, all three.
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 3, 3, 3, 3), snapshotRuns);
        assertEquals(3, m.trainingInfo().orElseThrow().iterationsRun());
    }

    @Test
    void theModelRecordsTheSettingsAndTheData() {
        AlsConfig config = AlsConfig.plain().rank(2).iterations(4).regularizer("weighted").lambda(0.25).seed(77)
                .init(Initialization.RANDOM).threads(1).biased(true).samples(0).noise(0.7).build();
        Ratings r = Ratings.builder().add(1, 10, 4.5).add(1, 11, 2).add(2, 10, 1.5).add(3, 11, 3).add(3, 12, 5)
                .build().withSource("five.csv");
        TrainingInfo info = new AlternatingLeastSquares(config, new EliminationSolver()).fit(r).trainingInfo()
                .orElseThrow();
        assertEquals(new TrainingInfo("elimination", 2, "weighted", 0.25, 4, 4, 77, Initialization.RANDOM, true, 0,
                0.7, "five.csv", 3, 3, 5, new RatingScale(1.5, 5)), info);
    }

    @Test
    void aGivenStartIsUsedAsIsAndNotChanged() {
        Ratings r = twoByTwo();
        AlsConfig config = plain().rank(2).iterations(2).regularizer("l2").lambda(0.1).init(Initialization.RANDOM)
                .build();
        FactorMatrix start = new FactorMatrix(2, 2);
        Initialization.RANDOM.fill(start, 9);
        FactorMatrix before = start.copy();
        Model fromStart = new AlternatingLeastSquares(config, new EliminationSolver()).fit(r, start, FitListener.NONE);
        assertEquals(before, start, "the start is not modified");
        // The configured initialisation with the same seed is that very start.
        Model configured = new AlternatingLeastSquares(config, new EliminationSolver()).fit(r);
        assertEquals(configured.predict(0, 1), fromStart.predict(0, 1), 0.0);
        // Another start gives another model.
        FactorMatrix other = FactorMatrix.of(2, 2, 1, 0, 0, 1);
        Model elsewhere = new AlternatingLeastSquares(config, new EliminationSolver()).fit(r, other, FitListener.NONE);
        assertTrue(elsewhere.predict(0, 1) != fromStart.predict(0, 1));
    }

    @Test
    void aStartOfTheWrongShapeIsRefusedNamingBothShapes() {
        AlternatingLeastSquares als = new AlternatingLeastSquares(plain().rank(2).build(), new EliminationSolver());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> als.fit(twoByTwo(), new FactorMatrix(3, 2), FitListener.NONE));
        assertEquals("initial users must be 2x2 but were 3x2", rows.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> als.fit(twoByTwo(), new FactorMatrix(2, 1), FitListener.NONE));
        assertEquals("initial users must be 2x2 but were 2x1", rank.getMessage());
    }

    @Test
    void theConfigIsTheOneGiven() {
        AlsConfig config = plain().build();
        assertEquals(config, new AlternatingLeastSquares(config, new EliminationSolver()).config());
    }

    @Test
    void theLossAfterEachHalfStepIsTheObjectiveOfThatState() {
        // After iteration 1 of oneIterationSolvesItemsFromTheStartThenUsers: items half-step with U = (1, 1),
        // P = (2, 3): residuals -1, -1, 1, 1, sse 4. Users half-step: residuals 1 - 16/13, 2 - 24/13,
        // 3 - 36/13, 4 - 54/13 = (-3, 2, 3, -2) / 13, sse 26 / 169 = 2/13.
        List<double[]> losses = new ArrayList<>();
        new AlternatingLeastSquares(plain().tolerance(1e-9).build(), new EliminationSolver()).fit(twoByTwo(),
                e -> losses.add(new double[] {e.sse(), e.objective()}));
        assertEquals(2, losses.size());
        assertArrayEquals(new double[] {4, 4}, losses.get(0), 1e-12);
        assertArrayEquals(new double[] {2.0 / 13, 2.0 / 13}, losses.get(1), 1e-12);
    }

    @Test
    void zeroToleranceRunsEveryIterationEvenOnceNothingChanges() {
        // [[1, 2], [2, 4]] is exactly rank 1: from U = (1, 1) the first iteration gives P = (1.5, 3) and
        // U = (2/3, 4/3), which fit every rating, so later iterations leave the objective where it is.
        // A zero tolerance means "never stop early", not "stop when the objective stops falling".
        Ratings rankOne = Ratings.builder().add(0, 0, 1).add(0, 1, 2).add(1, 0, 2).add(1, 1, 4).build();
        Model m = new AlternatingLeastSquares(plain().iterations(6).tolerance(0).build(), new EliminationSolver())
                .fit(rankOne);
        assertEquals(6, m.trainingInfo().orElseThrow().iterationsRun());
        assertEquals(4, m.predict(1, 1), 1e-12);
    }

    @Test
    void theHalfStepTimeIsWithinTheFitsWallTime() {
        long start = System.nanoTime();
        List<Long> elapsed = new ArrayList<>();
        List<Long> bounds = new ArrayList<>();
        new AlternatingLeastSquares(plain().iterations(2).build(), new EliminationSolver()).fit(twoByTwo(), e -> {
            elapsed.add(e.elapsedNanos());
            bounds.add(System.nanoTime() - start);
        });
        for (int i = 0; i < elapsed.size(); i++) {
            assertTrue(elapsed.get(i) >= 0 && elapsed.get(i) <= bounds.get(i), elapsed + " within " + bounds);
        }
    }

    @Test
    void threadsForUsesAsManyAsTheDataAndTheProcessorsAllow() {
        int processors = Runtime.getRuntime().availableProcessors();
        int cap = AlternatingLeastSquares.THREADS_PER_PROCESSOR * processors;
        // Enough users for more blocks of 64 rows than the cap.
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 64 * (cap + 2); u++) {
            b.add(u, u % 3, 1 + u % 5);
        }
        Ratings many = b.build();
        AlsConfig.Builder config = plain();
        assertEquals(cap, new AlternatingLeastSquares(config.threads(cap).build(), new EliminationSolver())
                .threadsFor(many));
        assertEquals(cap, new AlternatingLeastSquares(config.threads(cap + 5).build(), new EliminationSolver())
                .threadsFor(many));
        assertEquals(2, new AlternatingLeastSquares(config.threads(2).build(), new EliminationSolver())
                .threadsFor(many));
        assertEquals(1, new AlternatingLeastSquares(config.threads(50).build(), new EliminationSolver())
                .threadsFor(twoByTwo()));
    }

    @Test
    void aFitTooLargeForTheHeapIsRefusedBeforeAnythingIsAllocated() {
        // Rank 100,000: one row's normal equation alone is 10^10 doubles (80 GB).
        AlsConfig huge = plain().rank(100_000).build();
        AlternatingLeastSquares als = new AlternatingLeastSquares(huge, new EliminationSolver());
        assertThrows(InsufficientMemoryException.class, () -> als.fit(twoByTwo()));
        FactorMatrix start = new FactorMatrix(2, 100_000);
        assertThrows(InsufficientMemoryException.class, () -> als.fit(twoByTwo(), start, FitListener.NONE));
        // Samples multiply the columns kept; the message gives the rank asked for and the columns apart.
        AlsConfig sampled = plain().rank(10).samples(200_000_000).build();
        String m = assertThrows(InsufficientMemoryException.class,
                () -> new AlternatingLeastSquares(sampled, new EliminationSolver()).fit(twoByTwo())).getMessage();
        assertTrue(m.startsWith("a rank-10 fit keeping 200000000 samples (2000000000 columns) of 2 users and 2 items"),
                m);
    }

    @Test
    void initialisationNamesParseInAnyCase() {
        assertEquals(Initialization.ONES, Initialization.parse(" ones "));
        assertEquals(Initialization.RANDOM, Initialization.parse("Random"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Initialization.parse("zeros"));
        assertEquals("init must be one of ones, random but was zeros", e.getMessage());
    }

    @Test
    void zeroToleranceRunsEveryIterationWhenTheObjectiveStandsStill() {
        // A backend that sets every factor to 0.5 whatever it is given: every half-step leaves the same state,
        // so the objective is exactly the same after each iteration. Tolerance 0 must still run all five.
        io.als.spi.Solver constant = new io.als.spi.Solver() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public io.als.spi.LeastSquaresStep newStep(int rank, int threads) {
                return (observed, fixed, reg, shared, target) -> java.util.Arrays.fill(target.data(), 0.5);
            }
        };
        List<Double> objectives = new ArrayList<>();
        Model m = new AlternatingLeastSquares(plain().iterations(5).tolerance(0).build(), constant).fit(twoByTwo(),
                e -> objectives.add(e.objective()));
        assertEquals(5, m.trainingInfo().orElseThrow().iterationsRun());
        assertEquals(objectives.get(1), objectives.get(9), 0.0, "the objective does stand still");
        // With a positive tolerance the same fit stops after the second iteration, the first that can be compared.
        Model stopped = new AlternatingLeastSquares(plain().iterations(5).tolerance(1e-9).build(), constant)
                .fit(twoByTwo());
        assertEquals(2, stopped.trainingInfo().orElseThrow().iterationsRun());
    }
}
