package io.als.eval.reference;

import io.als.api.Regularizer;
import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.spi.FactorMatrix;
import io.als.api.FitListener;
import io.als.api.Initialization;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.Solver;
import java.util.ArrayList;
import java.util.List;

/**
 * The worked example every solver must reproduce: Sophie Watson, "A gentle introduction to
 * Alternating Least Squares" (2018-04-05), a 2x3 ratings matrix with one unknown, factored
 * at rank 1 with no regularisation, starting from U = [1, 1], solving P first, for 20
 * iterations. The expected figures below are the post's hand-worked first step, and the
 * converged values recomputed exactly from the method it describes (see
 * docs/reference-example.md); the post's own final figures are wrong (see {@link Erratum}).
 */
public final class ReferenceExample {

    /** The ratings: user 1 = [0.5, ?, 4], user 2 = [1, 3, 5]; NaN is the unknown. */
    public static final double[][] RATINGS = {
        {0.5, Double.NaN, 4},
        {1, 3, 5},
    };
    public static final int RANK = 1;
    public static final int ITERATIONS = 20;

    /** Step 1, P given U = [1, 1]: least squares per product (the post's equations 1-7). */
    public static final double[] FIRST_P = {0.75, 3, 4.5};
    /** Step 1, U given that P: 18.375 / 20.8125 = 98/111 and 32.25 / 29.8125 = 172/159 (equations 8-12). */
    public static final double[] FIRST_U = {98.0 / 111.0, 172.0 / 159.0};
    /** Converged prediction for user 1, product 2, to 1e-6 (recomputed; the post says 1.897, wrongly). */
    public static final double PREDICTION = 2.3702456;
    public static final double PREDICTION_TOLERANCE = 1e-6;
    /** Sum of squared errors over the five observed ratings after 20 iterations, to 1e-9. */
    public static final double SSE = 0.0533217327;
    public static final double SSE_TOLERANCE = 1e-9;
    /** Converged factors (to 1e-8), reached from U = 1 with P solved first. */
    public static final double[] CONVERGED_U = {0.86375671, 1.09324964};
    public static final double[] CONVERGED_P = {0.78563397, 2.74411250, 4.59558591};
    /** SSE after each of the first four half-steps (P, U, P, U), to 1e-7. */
    public static final double[] FIRST_LOSSES = {0.625, 0.1402346, 0.0639072, 0.0544435};

    /** What a run of the example produced. */
    public record Result(String solver, double[] firstP, double[] firstU, double[] users, double[] items,
                         double prediction, double sse, int iterations, List<Step> history) {
    }

    /**
     * One half-step of a run, kept: the fit's events are valid only during their callback.
     *
     * @param users the user factors after the half-step (rank 1: one value per user)
     * @param items the item factors after the half-step
     */
    public record Step(int iteration, FitListener.Side side, double sse, double objective, double[] users,
                       double[] items) {
    }

    private ReferenceExample() {
    }

    public static Ratings ratings() {
        return Ratings.fromDense(RATINGS);
    }

    /** The configuration the post uses: rank 1, no penalty, U = 1, 20 iterations. */
    public static AlsConfig config(int threads) {
        return AlsConfig.builder().rank(RANK).iterations(ITERATIONS).regularizer(Regularizer.none())
                .init(Initialization.ONES).tolerance(0).threads(threads)
                // Plain U . P as in the post: no mean or biases, no sampling (not the library's defaults).
                .biased(false).samples(0).validation(0).build();
    }

    /** Runs the example on {@code solver}, also reporting every half-step to {@code listener}. */
    public static Result run(Solver solver, int threads, FitListener listener) {
        Ratings ratings = ratings();
        List<Step> history = new ArrayList<>();
        double[][] first = new double[2][];
        FitListener recorder = e -> {
            Model now = e.snapshot();
            Step step = new Step(e.iteration(), e.side(), e.sse(), e.objective(), now.userFactors(0).toArray(),
                    now.itemFactors(0).toArray());
            history.add(step);
            if (e.iteration() == 1) {
                first[e.side() == FitListener.Side.ITEMS ? 0 : 1] = e.side() == FitListener.Side.ITEMS
                        ? step.items().clone() : step.users().clone();
            }
            listener.onHalfStep(e);
        };
        Model model = new AlternatingLeastSquares(config(threads), solver).fit(ratings, recorder);
        Step last = history.get(history.size() - 1);
        return new Result(solver.name(), first[0], first[1], model.userFactors().data(), model.itemFactors().data(),
                model.predictIndex(0, 1), last.sse(), last.iteration(), List.copyOf(history));
    }

    /** Sum of squared errors of {@code users x items} (rank 1) on the observed ratings. */
    public static double sse(double[] users, double[] items) {
        double s = 0;
        for (int u = 0; u < RATINGS.length; u++) {
            for (int i = 0; i < RATINGS[u].length; i++) {
                if (!Double.isNaN(RATINGS[u][i])) {
                    double d = RATINGS[u][i] - users[u] * items[i];
                    s += d * d;
                }
            }
        }
        return s;
    }

    /**
     * The post's published final factors, which its own method does not produce. Holding
     * their U fixed, the best p2 is 3 / 1.7966 = 1.6698, not 2.5431, so they are not a fixed
     * point; and their SSE on the observed ratings is 15.90 against 0.0533 at the true one.
     */
    public static final class Erratum {
        public static final double[] PUBLISHED_U = {0.7461, 1.7966};
        public static final double[] PUBLISHED_P = {0.758, 2.5431, 4.7999};
        public static final double PUBLISHED_PREDICTION = 1.897;
        /** 3 / 1.7966: the only rating of product 2 is user 2's 3. */
        public static final double OPTIMAL_P2_GIVEN_PUBLISHED_U = 3 / 1.7966;
        /** SSE of the published factors on the five observed ratings (recomputed: 15.90). */
        public static final double PUBLISHED_SSE = 15.90;

        private Erratum() {
        }

        /** P solved by {@code solver} with U held at the published values (one half-step). */
        public static double[] pGivenPublishedU(Solver solver) {
            Ratings r = ratings();
            FactorMatrix u = FactorMatrix.of(2, 1, PUBLISHED_U);
            FactorMatrix p = new FactorMatrix(3, 1);
            try (var step = solver.newStep(1, 1)) {
                step.solve(r.byItem(), u, Regularizer.none(), p);
            }
            return p.data();
        }
    }
}
