package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The driver's own checks, which hold whatever solver it is given. */
class DriverChecksTest {

    private static final Ratings RATINGS = Ratings.builder()
            .add(10, 100, 1).add(10, 200, 2).add(20, 100, 3).add(20, 300, 4).add(30, 200, 5).build();

    /** A broken backend: solves nothing, but writes NaN into one row. */
    private static Solver writesNaNInto(int badRow) {
        return new Solver() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public LeastSquaresStep newStep(int rank, int threads) {
                return (observed, fixed, reg, shared, target) -> {
                    java.util.Arrays.fill(target.data(), 0.5);
                    target.set(Math.min(badRow, target.rows() - 1), 0, Double.NaN);
                };
            }
        };
    }

    @Test
    void aNonFiniteFactorStopsTheFitNamingTheRow() {
        AlsConfig config = AlsConfig.plain().rank(2).iterations(2).threads(1).build();
        NumericalException e = assertThrows(NumericalException.class,
                () -> new AlternatingLeastSquares(config, writesNaNInto(1)).fit(RATINGS));
        // The item side is solved first; item index 1 is external id 200.
        assertEquals("solver broken produced a non-finite factor for item 200 in iteration 1; the fit was stopped",
                e.getMessage());
        // Row 0 is a row like any other (item index 0 is external id 100).
        NumericalException first = assertThrows(NumericalException.class,
                () -> new AlternatingLeastSquares(config, writesNaNInto(0)).fit(RATINGS));
        assertEquals("solver broken produced a non-finite factor for item 100 in iteration 1; the fit was stopped",
                first.getMessage());
    }

    @Test
    void singularRowsAreNamedBySideAndExternalId() {
        Solver singular = new Solver() {
            @Override
            public String name() {
                return "singular";
            }

            @Override
            public LeastSquaresStep newStep(int rank, int threads) {
                return (observed, fixed, reg, shared, target) -> {
                    throw new SingularSystemException(2, rank, observed.count(2), 0);
                };
            }
        };
        AlsConfig config = AlsConfig.plain().rank(3).regularizer("none").lambda(0).threads(1).build();
        SingularSystemException e = assertThrows(SingularSystemException.class,
                () -> new AlternatingLeastSquares(config, singular).fit(RATINGS));
        assertEquals("normal equation of item 300 is singular: 3 unknowns, 1 rating(s), penalty 0.0;"
                + " give it a penalty (a --lambda above 0, e.g. 0.1, and a --regularizer other than none) or lower the rank", e.getMessage());
    }

    @Test
    void theLossIsComputedOnFirstReadOnceAndNotAfterTheCallback() {
        int[] passes = new int[1];
        FitListener.HalfStep e = new FitListener.HalfStep(3, FitListener.Side.USERS, false, 10, () -> {
            passes[0]++;
            return new double[] {2.5, 4.0};
        }, null, () -> null);
        assertEquals(0, passes[0], "nothing is computed up front");
        assertEquals(4.0, e.objective(), 0.0);
        assertEquals(2.5, e.sse(), 0.0);
        assertEquals(4.0, e.objective(), 0.0);
        assertEquals(1, passes[0], "one pass for both values, however often they are read");
        e.close();
        assertEquals(2.5, e.sse(), 0.0, "a value computed during the callback stays readable");

        FitListener.HalfStep unread = new FitListener.HalfStep(3, FitListener.Side.ITEMS, false, 10, () -> {
            passes[0]++;
            return new double[] {1, 1};
        }, null, () -> null);
        unread.close();
        IllegalStateException late = assertThrows(IllegalStateException.class, unread::sse);
        assertTrue(late.getMessage().contains("only during the listener's call"), late.getMessage());
        assertThrows(IllegalStateException.class, unread::snapshot);
        assertThrows(IllegalStateException.class, () -> unread.predict(0, 0));
        assertEquals(1, passes[0], "nothing was computed after the callback");
    }

    @Test
    void theLossAListenerReadsIsTheObjectiveOfTheCurrentState() {
        AlsConfig config = AlsConfig.plain().rank(2).iterations(3).regularizer("weighted").lambda(0.3).threads(1)
                .init(Initialization.ONES).build();
        Regularizer reg = config.regularizer();
        List<FitListener.HalfStep> kept = new ArrayList<>();
        int[] checked = new int[1];
        new AlternatingLeastSquares(config, TINY).fit(RATINGS, e -> {
            kept.add(e);
            if (e.side() != FitListener.Side.USERS) {
                return;
            }
            // Recomputed from the snapshot alone: squared errors plus each row's penalty times its squared norm.
            Model m = e.snapshot();
            SparseView byUser = RATINGS.byUser();
            double sse = 0;
            double penalty = 0;
            for (int u = 0; u < byUser.rows(); u++) {
                for (int k = byUser.start(u); k < byUser.end(u); k++) {
                    double d = byUser.value(k) - m.predictIndex(u, byUser.index(k));
                    sse += d * d;
                    assertEquals(m.predictIndex(u, byUser.index(k)), e.predict(u, byUser.index(k)), 0.0);
                }
                penalty += reg.penalty(byUser.count(u)) * m.userFactors(0).dot(u, m.userFactors(0), u);
            }
            SparseView byItem = RATINGS.byItem();
            for (int i = 0; i < byItem.rows(); i++) {
                penalty += reg.penalty(byItem.count(i)) * m.itemFactors(0).dot(i, m.itemFactors(0), i);
            }
            assertEquals(sse, e.sse(), 1e-12 * (1 + sse));
            assertEquals(sse + penalty, e.objective(), 1e-12 * (1 + sse + penalty));
            checked[0]++;
        });
        assertEquals(3, checked[0]);
        assertEquals(6, kept.size());
        // Item half-steps were never asked for their loss, and now it is too late to.
        assertThrows(IllegalStateException.class, () -> kept.get(0).sse());
        assertTrue(Double.isFinite(kept.get(1).sse()), "a loss read during the callback stays readable");
    }

    /** A solver for rank 2: Cramer's rule. */
    private static final Solver TINY = new Solver() {
        @Override
        public String name() {
            return "cramer";
        }

        @Override
        public LeastSquaresStep newStep(int rank, int threads) {
            return new RowwiseLeastSquaresStep(rank, threads, k -> (a, b, x) -> {
                double det = a[0] * a[3] - a[1] * a[2];
                x[0] = (b[0] * a[3] - a[1] * b[1]) / det;
                x[1] = (a[0] * b[1] - a[2] * b[0]) / det;
                return det > 0;
            });
        }
    };

    /** Found by a library trial: each was a singular system, a late NPE, or not an AlsException. */
    @Test
    void theDriversArgumentsAreNamed() {
        AlsConfig plain = AlsConfig.plain().rank(1).iterations(1).threads(1).build();
        assertEquals("solver must not be null", assertThrows(NullPointerException.class,
                () -> new AlternatingLeastSquares(plain, null)).getMessage());
        FactorMatrix nan = FactorMatrix.filled(RATINGS.numUsers(), 1, Double.NaN);
        assertEquals("initial users must be finite, but row 0 is not", assertThrows(IllegalArgumentException.class,
                () -> new AlternatingLeastSquares(plain, new EliminationSolver()).fit(RATINGS, nan, FitListener.NONE))
                .getMessage());
        // Data with no positive value is the data's fault: a RatingsInputException, an AlsException.
        Ratings zeros = Ratings.builder().add(1, 1, 0).add(2, 2, 0).build();
        AlsConfig implicit = AlsConfig.builder().implicit(true).rank(1).iterations(1).threads(1).build();
        assertThrows(RatingsInputException.class,
                () -> new AlternatingLeastSquares(implicit, new EliminationSolver()).fit(zeros));
    }

    /** Indices and names out of a method's contract are named, not raw array errors. */
    @Test
    void indicesAndNamesOutOfContractAreNamed() {
        assertEquals("the number of ids must be at least 0 but was -1",
                assertThrows(IllegalArgumentException.class, () -> IdIndex.dense(-1)).getMessage());
        assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> IdIndex.dense(3).idAt(99)).getMessage()
                .contains("99"));
        assertEquals("solver name must not be null", assertThrows(NullPointerException.class,
                () -> SolverRegistry.discover().get((String) null)).getMessage());
        AlsConfig plain = AlsConfig.plain().rank(1).iterations(1).threads(1).build();
        Model m = new AlternatingLeastSquares(plain, new EliminationSolver()).fit(RATINGS, e -> {
            assertEquals("user index must be in [0, 3) and item index in [0, 3) but were 0 and 3",
                    assertThrows(IndexOutOfBoundsException.class, () -> e.predict(0, 3)).getMessage());
        });
        assertThrows(IndexOutOfBoundsException.class, () -> m.userBias(-1));
    }
}
