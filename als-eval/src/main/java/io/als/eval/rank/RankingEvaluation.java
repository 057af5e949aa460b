package io.als.eval.rank;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.spi.Solver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Top-N evaluation: on each split, fits a model to the training positives, recommends every
 * evaluated user its best items among those it did not interact with in training, and scores
 * the lists against the held-out positives ({@link RankingMetrics}), beside the popularity
 * baseline ({@link Popularity}) on the same split. Recommendations come through
 * {@link TopN#DEFAULT}.
 *
 * <p>With {@link Settings#curve()}, after every full iteration the model of the moment (a
 * {@link FitListener.HalfStep#snapshot() snapshot}) is scored the same way at the main cutoff,
 * which gives NDCG per iteration; that scoring is timed apart and left out of the training time.
 * During posterior sampling sweeps of an explicit fit the snapshot is the sweep's draw alone.
 */
public final class RankingEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(RankingEvaluation.class);
    /** The main cutoff when none is given. */
    public static final int DEFAULT_K = 10;
    /** A second cutoff reported for recall (and everything else) by default. */
    public static final int DEFAULT_RECALL_K = 20;

    /**
     * How to fit and score.
     *
     * @param config  every fitting setting (implicit or explicit)
     * @param solver  the backend
     * @param cutoffs the cutoffs, the main one first; lists are as long as the largest
     * @param curve   whether to score NDCG at the main cutoff after every iteration
     */
    public record Settings(AlsConfig config, Solver solver, List<Integer> cutoffs, boolean curve) {
        public Settings {
            cutoffs = List.copyOf(cutoffs);
            if (cutoffs.isEmpty() || cutoffs.stream().anyMatch(k -> k < 1)) {
                throw new IllegalArgumentException("cutoffs must be at least 1 and at least one but were " + cutoffs);
            }
        }

        /** The main cutoff {@code k}, and {@link #DEFAULT_RECALL_K} beside it when different. */
        public static List<Integer> cutoffs(int k) {
            return k == DEFAULT_RECALL_K ? List.of(k) : List.of(k, DEFAULT_RECALL_K);
        }

        public Settings with(AlsConfig other) {
            return new Settings(other, solver, cutoffs, curve);
        }
    }

    /** Hears about progress: once per full iteration of each split. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (split, splits, iteration, iterations) -> { };

        void iterationDone(int split, int splits, int iteration, int iterations);
    }

    private RankingEvaluation() {
    }

    public static RankingResult run(List<RankingSplit> splits, Settings settings, Progress progress) {
        List<RankingFold> out = new ArrayList<>(splits.size());
        for (int s = 0; s < splits.size(); s++) {
            out.add(runSplit(splits.get(s), settings, s, splits.size(), progress));
        }
        return new RankingResult(settings.cutoffs(), out);
    }

    public static RankingFold runSplit(RankingSplit split, Settings settings, int index, int count,
                                       Progress progress) {
        AlsConfig config = settings.config();
        int n = Collections.max(settings.cutoffs());
        int catalogue = split.train().numItems();
        Curve curve = new Curve(split, settings, index, count, progress);
        long start = System.nanoTime();
        Model model = new AlternatingLeastSquares(config, settings.solver()).fit(split.train(), curve);
        double seconds = (System.nanoTime() - start - curve.nanos) / 1e9;
        int[][] ranked = TopN.DEFAULT.recommend(model, split.users(), n, settings.solver(), config.threads());
        int[][] popular = Popularity.of(split.train()).recommend(split.users(), n);
        List<RankingMetrics.Scores> modelScores = new ArrayList<>();
        List<RankingMetrics.Scores> popularScores = new ArrayList<>();
        for (int k : settings.cutoffs()) {
            modelScores.add(RankingMetrics.of(ranked, split.relevant(), k, catalogue));
            popularScores.add(RankingMetrics.of(popular, split.relevant(), k, catalogue));
        }
        int k = settings.cutoffs().get(0);
        LOG.info("{}: ndcg@{} {} (popularity {}), {} users, {} held-out positives, {} s", split.name(), k,
                format(modelScores.get(0).ndcg()), format(popularScores.get(0).ndcg()), split.users().length,
                split.testPositives(), String.format(Locale.ROOT, "%.2f", seconds));
        return new RankingFold(split.name(), modelScores, popularScores,
                curve.ndcg.stream().mapToDouble(Double::doubleValue).toArray(), seconds, curve.iterations,
                split.train().size(), split.testPositives(), split.coldItems());
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Scores NDCG at the main cutoff after each full iteration, timing itself apart. */
    private static final class Curve implements FitListener {
        private final RankingSplit split;
        private final Settings settings;
        private final int index;
        private final int count;
        private final Progress progress;
        private final int sweeps;
        final List<Double> ndcg = new ArrayList<>();
        int iterations;
        long nanos;

        Curve(RankingSplit split, Settings settings, int index, int count, Progress progress) {
            this.split = split;
            this.settings = settings;
            this.index = index;
            this.count = count;
            this.progress = progress;
            this.sweeps = settings.config().iterations() + settings.config().samples();
        }

        @Override
        public void onHalfStep(HalfStep e) {
            if (e.side() != Side.USERS) {
                return;
            }
            iterations++;
            if (settings.curve()) {
                long t0 = System.nanoTime();
                int k = settings.cutoffs().get(0);
                int[][] ranked = TopN.DEFAULT.recommend(e.snapshot(), split.users(), k, settings.solver(),
                        settings.config().threads());
                ndcg.add(RankingMetrics.of(ranked, split.relevant(), k, split.train().numItems()).ndcg());
                nanos += System.nanoTime() - t0;
            }
            progress.iterationDone(index, count, e.iteration(), sweeps);
        }
    }
}
