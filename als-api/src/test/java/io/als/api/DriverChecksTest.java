package io.als.api;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        AlsConfig config = AlsConfig.builder().rank(2).iterations(2).threads(1).build();
        NumericalException e = assertThrows(NumericalException.class,
                () -> new AlternatingLeastSquares(config, writesNaNInto(1)).fit(RATINGS));
        // The item side is solved first; item index 1 is external id 200.
        assertEquals("solver broken produced a non-finite factor for item 200 in iteration 1; the fit was stopped",
                e.getMessage());
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
        AlsConfig config = AlsConfig.builder().rank(3).regularizer("none").lambda(0).threads(1).build();
        SingularSystemException e = assertThrows(SingularSystemException.class,
                () -> new AlternatingLeastSquares(config, singular).fit(RATINGS));
        assertEquals("normal equation of item 300 is singular: rank 3, 1 rating(s), penalty 0.0;"
                + " set lambda > 0 (e.g. --lambda 0.1) or lower the rank", e.getMessage());
    }

    @Test
    void theLossIsEvaluatedOnlyForTheSidesAListenerReads() {
        AlsConfig config = AlsConfig.builder().rank(2).iterations(2).threads(1).build();
        java.util.List<FitListener.HalfStep> seen = new java.util.ArrayList<>();
        Solver halves = new Solver() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public LeastSquaresStep newStep(int rank, int threads) {
                return (observed, fixed, reg, shared, target) -> java.util.Arrays.fill(target.data(), 0.5);
            }
        };
        new AlternatingLeastSquares(config, halves).fit(RATINGS, new FitListener() {
            @Override
            public void onHalfStep(HalfStep e) {
                seen.add(e);
            }

            @Override
            public boolean needsLoss(Side side) {
                return side == Side.USERS;
            }
        });
        assertEquals(4, seen.size());
        for (FitListener.HalfStep e : seen) {
            assertEquals(e.side() == FitListener.Side.USERS, Double.isFinite(e.sse()), e.toString());
        }
    }
}
