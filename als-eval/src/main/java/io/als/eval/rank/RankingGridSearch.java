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
     * @param alpha         the confidence scale, or NaN for an explicit fit; when chosen from the
     *                      data, the mean over the splits of the alpha each split's fit used
     * @param alphaFromData whether each split's fit chose its alpha from its own training values
     */
    public record Point(int rank, double lambda, double alpha, boolean alphaFromData, RankingResult result) {
        /** A point whose alpha, if any, was used as it is. */
        public Point(int rank, double lambda, double alpha, RankingResult result) {
            this(rank, lambda, alpha, false, result);
        }
    }

    /**
     * An alpha of the grid: used as it is, or, {@code fromData}, chosen by each split's fit
     * from its own training values as {@link AlsConfig#alphaAuto()} chooses it ({@code base}
     * over their mean positive value), so that a split's held-out values never reach it and
     * the figures are those {@code cv} gives for the same settings.
     */
    public record Alpha(double base, boolean fromData) {
        public static Alpha fixed(double alpha) {
            return new Alpha(alpha, false);
        }

        public static Alpha fromData(double base) {
            return new Alpha(base, true);
        }

        void apply(AlsConfig.Builder b) {
            b.alpha(base);
            if (fromData) {
                b.alphaAuto();
            }
        }
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
     * @param alphas confidence scales to try for an implicit fit, each used as it is; ignored
     *               (one point per rank and lambda) for an explicit one
     */
    public static Result run(List<RankingSplit> splits, List<Integer> ranks, List<Double> lambdas,
                             List<Double> alphas, RankingEvaluation.Settings settings, Progress progress) {
        return runGrid(splits, ranks, lambdas, alphas.stream().map(Alpha::fixed).toList(), settings, progress);
    }

    /**
     * @param alphas confidence scales to try for an implicit fit (fixed, or chosen from each
     *               split's training values); ignored (one point per rank and lambda) for an explicit one
     */
    public static Result runGrid(List<RankingSplit> splits, List<Integer> ranks, List<Double> lambdas,
                                 List<Alpha> alphas, RankingEvaluation.Settings settings, Progress progress) {
        AlsConfig base = settings.config();
        List<Alpha> as = base.isImplicit() ? alphas : java.util.Collections.singletonList(null);
        if (ranks.isEmpty() || lambdas.isEmpty() || as.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one rank, lambda and alpha");
        }
        int total = ranks.size() * lambdas.size() * as.size();
        List<Point> points = new ArrayList<>(total);
        Point best = null;
        for (int rank : ranks) {
            for (double lambda : lambdas) {
                for (Alpha a : as) {
                    int index = points.size();
                    AlsConfig.Builder b = base.toBuilder().rank(rank).lambda(lambda);
                    if (a != null) {
                        a.apply(b);
                    }
                    AlsConfig config = b.build();
                    RankingResult r = RankingEvaluation.run(splits, settings.with(config),
                            (s, n, it, its) -> progress.iterationDone(index, total, s, n, it, its));
                    double alpha = a == null ? Double.NaN : used(config, splits);
                    Point p = new Point(rank, lambda, alpha, a != null && config.alphaAuto(), r);
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

    /** The alpha the fits of {@code config} used, averaged over the splits when each chose its own. */
    static double used(AlsConfig config, List<RankingSplit> splits) {
        if (!config.alphaAuto()) {
            return config.implicit().alpha();
        }
        double sum = 0;
        for (RankingSplit s : splits) {
            sum += config.alphaFor(s.train().meanPositiveValue());
        }
        return sum / splits.size();
    }
}
