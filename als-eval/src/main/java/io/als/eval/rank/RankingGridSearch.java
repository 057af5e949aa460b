package io.als.eval.rank;

import io.als.api.AlsConfig;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grid search for top-N accuracy: every combination of rank, lambda and (for an implicit fit)
 * alpha is evaluated on the same splits, and the best is the one with the highest mean NDCG
 * at the main cutoff. The popularity baseline is the same at every point (it does not depend
 * on the settings) and is reported once.
 */
public final class RankingGridSearch {
    private static final Logger LOG = LoggerFactory.getLogger(RankingGridSearch.class);

    /**
     * One setting of the grid and its evaluation.
     *
     * @param alpha the confidence scale, or NaN for an explicit fit
     */
    public record Point(int rank, double lambda, double alpha, RankingResult result) {
    }

    /** The whole search: every point in grid order (ranks outer, then lambdas, then alphas) and the best. */
    public record Result(List<Point> points, Point best) {
        /** The popularity baseline's figures, from the first point (every point has the same). */
        public RankingResult baseline() {
            return points.get(0).result();
        }
    }

    /** Hears about progress: each finished iteration of each split of each setting. */
    @FunctionalInterface
    public interface Progress {
        void iterationDone(int point, int points, int split, int splits, int iteration, int iterations);
    }

    private RankingGridSearch() {
    }

    /**
     * @param alphas confidence scales to try for an implicit fit; ignored (one point per rank
     *               and lambda) for an explicit one
     */
    public static Result run(List<RankingSplit> splits, List<Integer> ranks, List<Double> lambdas,
                             List<Double> alphas, RankingEvaluation.Settings settings, Progress progress) {
        AlsConfig base = settings.config();
        List<Double> as = base.isImplicit() ? alphas : List.of(Double.NaN);
        if (ranks.isEmpty() || lambdas.isEmpty() || as.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one rank, lambda and alpha");
        }
        int total = ranks.size() * lambdas.size() * as.size();
        List<Point> points = new ArrayList<>(total);
        Point best = null;
        for (int rank : ranks) {
            for (double lambda : lambdas) {
                for (double alpha : as) {
                    int index = points.size();
                    AlsConfig.Builder b = base.toBuilder().rank(rank).lambda(lambda);
                    if (base.isImplicit()) {
                        b.alpha(alpha);
                    }
                    RankingResult r = RankingEvaluation.run(splits, settings.with(b.build()),
                            (s, n, it, its) -> progress.iterationDone(index, total, s, n, it, its));
                    Point p = new Point(rank, lambda, alpha, r);
                    LOG.info("rank {}, lambda {}{}: ndcg@{} {}", rank, lambda,
                            Double.isNaN(alpha) ? "" : ", alpha " + alpha, r.k(), r.ndcg());
                    points.add(p);
                    if (best == null || r.ndcg() > best.result().ndcg()) {
                        best = p;
                    }
                }
            }
        }
        return new Result(points, best);
    }
}
