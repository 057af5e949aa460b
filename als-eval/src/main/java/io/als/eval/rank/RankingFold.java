package io.als.eval.rank;

import java.util.List;

/**
 * What one split gave.
 *
 * @param name             the split's name
 * @param model            the model's figures, one per cutoff (in the order of the settings)
 * @param popularity       the popularity baseline's figures, likewise
 * @param ndcgPerIteration NDCG at the first cutoff after each full iteration (empty when the
 *                         curve was not asked for)
 * @param trainSeconds     time spent fitting, without the per-iteration scoring
 * @param iterations       full iterations run
 * @param trainPositives   training interactions
 * @param testPositives    held-out positives scored
 * @param coldItems        held-out positives of items unknown to training, dropped
 */
public record RankingFold(String name, List<RankingMetrics.Scores> model, List<RankingMetrics.Scores> popularity,
                          double[] ndcgPerIteration, double trainSeconds, int iterations, int trainPositives,
                          int testPositives, int coldItems) {

    public RankingFold {
        model = List.copyOf(model);
        popularity = List.copyOf(popularity);
    }

    /** Users evaluated. */
    public int users() {
        return model.get(0).users();
    }

    /** The model's (or the baseline's) figures at cutoff {@code k}. */
    public RankingMetrics.Scores at(int k, boolean baseline) {
        for (RankingMetrics.Scores s : baseline ? popularity : model) {
            if (s.k() == k) {
                return s;
            }
        }
        throw new IllegalArgumentException("cutoff must be one of the evaluated ones but was " + k);
    }
}
