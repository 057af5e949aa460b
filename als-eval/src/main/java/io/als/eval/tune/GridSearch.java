package io.als.eval.tune;

import io.als.api.AlsConfig;
import io.als.api.Ratings;
import io.als.eval.cv.CrossValidation;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.eval.cv.TestRatings;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grid search over rank and lambda by k-fold cross-validation, with a measurement of how
 * optimistic the winning score is.
 *
 * <p><b>Why the best CV score is optimistic.</b> The winner is the setting whose CV RMSE
 * came out lowest, and part of any CV RMSE is noise from the particular folds; picking the
 * minimum picks favourable noise too, so the winner's CV RMSE is biased low. To measure it,
 * a seeded fraction of the ratings is set aside before tuning and never used to choose. Every
 * fold model of every setting also predicts that held-out set; for the winner, the mean
 * held-out RMSE of its fold models minus its CV RMSE is the optimism. Both figures come from
 * the same models trained on the same amount of data, so the difference is the selection
 * effect (plus the sampling noise of the held-out set), not a change of training size.
 */
public final class GridSearch {
    private static final Logger LOG = LoggerFactory.getLogger(GridSearch.class);
    /** Keeps the held-out cut independent of the fold shuffle that uses the same seed. */
    private static final long HOLDOUT_SEED_MIX = 0x5DEECE66DL;

    /** One setting of the grid and its cross-validation. */
    public record Point(int rank, double lambda, CvResult cv) {
    }

    /**
     * The whole search.
     *
     * @param points    every setting, in grid order (ranks outer, lambdas inner)
     * @param best      the setting with the lowest mean CV RMSE
     * @param heldOut   the fraction set aside (0 when none)
     * @param heldOutSize number of held-out ratings
     */
    public record Result(List<Point> points, Point best, double heldOut, int heldOutSize) {

        /** Mean held-out RMSE of the winner's fold models, or NaN without a held-out set. */
        public double bestHeldOutRmse() {
            return best.cv().extraRmseMean();
        }

        /** How far the winner's CV RMSE understates its held-out RMSE (positive: optimistic). */
        public double optimism() {
            return bestHeldOutRmse() - best.cv().rmseMean();
        }

        /** The setting that did best on the held-out set (known only in hindsight), or null. */
        public Point bestInHindsight() {
            if (heldOut == 0) {
                return null;
            }
            Point p = points.get(0);
            for (Point q : points) {
                if (q.cv().extraRmseMean() < p.cv().extraRmseMean()) {
                    p = q;
                }
            }
            return p;
        }
    }

    /** Hears about progress: each finished iteration of each fold of each setting. */
    @FunctionalInterface
    public interface Progress {
        void iterationDone(int point, int points, int fold, int folds, int iteration, int iterations);
    }

    private GridSearch() {
    }

    /**
     * Runs the grid.
     *
     * @param data     all ratings
     * @param ranks    ranks to try
     * @param lambdas  lambdas to try
     * @param settings the base settings; rank and lambda are replaced at each point
     * @param folds    number of CV folds
     * @param seed     seeds the held-out cut and the folds
     * @param heldOut  fraction of the ratings to set aside for the optimism check; 0 for none
     */
    public static Result run(Ratings data, List<Integer> ranks, List<Double> lambdas,
                             CrossValidation.Settings settings, int folds, long seed, double heldOut,
                             Progress progress) {
        if (ranks.isEmpty() || lambdas.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one rank and one lambda");
        }
        Ratings tuning = data;
        TestRatings held = null;
        if (heldOut > 0) {
            Split outer = Splits.holdout(data, heldOut, seed ^ HOLDOUT_SEED_MIX);
            tuning = outer.train();
            held = outer.test();
        }
        List<Split> splits = Splits.kFold(tuning, folds, seed);
        int total = ranks.size() * lambdas.size();
        List<Point> points = new ArrayList<>(total);
        Point best = null;
        for (int rank : ranks) {
            for (double lambda : lambdas) {
                int index = points.size();
                AlsConfig config = settings.config().toBuilder().rank(rank).lambda(lambda).build();
                CrossValidation.Settings here = new CrossValidation.Settings(config, settings.solver(),
                        settings.coldStart(), settings.clip());
                CvResult cv = CrossValidation.run(splits, here, held,
                        (fold, count, it, its) -> progress.iterationDone(index, total, fold, count, it, its));
                Point p = new Point(rank, lambda, cv);
                LOG.info("rank {}, lambda {}: cv rmse {} ± {}{}", rank, lambda, cv.rmseMean(), cv.rmseStd(),
                        held == null ? "" : ", held-out rmse " + cv.extraRmseMean());
                points.add(p);
                if (best == null || cv.rmseMean() < best.cv().rmseMean()) {
                    best = p;
                }
            }
        }
        return new Result(points, best, heldOut, held == null ? 0 : held.size());
    }
}
