package io.als.eval.rank;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every split of one ranking evaluation, and means over splits of the per-split figures
 * (themselves means over users). Standard deviations are sample standard deviations across
 * splits, 0 for one split.
 *
 * @param cutoffs the cutoffs evaluated; the first is the main one
 * @param folds   the splits
 */
public record RankingResult(List<Integer> cutoffs, List<RankingFold> folds) {

    public RankingResult {
        cutoffs = List.copyOf(cutoffs);
        folds = List.copyOf(folds);
        if (folds.isEmpty() || cutoffs.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one split and one cutoff");
        }
    }

    /** The main cutoff. */
    public int k() {
        return cutoffs.get(0);
    }

    /** Mean over splits of {@code metric} at cutoff {@code k}, of the model or of the popularity baseline. */
    public double mean(String metric, int k, boolean baseline) {
        return mean(f -> f.at(k, baseline).get(metric));
    }

    public double std(String metric, int k, boolean baseline) {
        if (folds.size() < 2) {
            return 0;
        }
        double m = mean(metric, k, baseline);
        double s = 0;
        for (RankingFold f : folds) {
            double d = f.at(k, baseline).get(metric) - m;
            s += d * d;
        }
        return Math.sqrt(s / (folds.size() - 1));
    }

    /** Mean NDCG at the main cutoff. */
    public double ndcg() {
        return mean("ndcg", k(), false);
    }

    public double trainSecondsMean() {
        return mean(RankingFold::trainSeconds);
    }

    /** Mean over splits of the per-iteration NDCG at the main cutoff (as long as the shortest curve). */
    public double[] ndcgPerIteration() {
        int n = folds.stream().mapToInt(f -> f.ndcgPerIteration().length).min().orElse(0);
        double[] out = new double[n];
        for (RankingFold f : folds) {
            for (int it = 0; it < n; it++) {
                out[it] += f.ndcgPerIteration()[it] / folds.size();
            }
        }
        return out;
    }

    private double mean(ToDoubleFunction<RankingFold> f) {
        double s = 0;
        for (RankingFold r : folds) {
            s += f.applyAsDouble(r);
        }
        return s / folds.size();
    }
}
