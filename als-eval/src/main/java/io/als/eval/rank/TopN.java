package io.als.eval.rank;

import io.als.api.Model;
import io.als.api.RecommendOptions;
import io.als.api.Recommender;
import io.als.spi.Solver;

/**
 * The one place where ranking evaluation asks a model for recommendations: each user's
 * {@code n} highest-scoring items among those it has no training interaction with, best
 * first. Evaluation code calls {@link #DEFAULT} and nothing else, so that changing how
 * recommendations are computed is a change of that one line.
 */
@FunctionalInterface
public interface TopN {

    /** What the evaluation uses: the library's blocked many-user top-N ({@link Recommender#recommendAll}). */
    TopN DEFAULT = TopN::byRecommender;

    /**
     * @param model   a model fitted on the training set, which knows each user's training items
     * @param users   user indices of the model
     * @param n       list length
     * @param solver  the backend whose products score the blocks
     * @param threads threads to score with, at least 1
     * @return for each user, item indices of the model, best first, at most {@code n}
     */
    int[][] recommend(Model model, int[] users, int n, Solver solver, int threads);

    /** By {@link Recommender#recommendAll} with its defaults, which leave out each user's training items. */
    static int[][] byRecommender(Model model, int[] users, int n, Solver solver, int threads) {
        try (Recommender r = new Recommender(model, solver, threads)) {
            io.als.api.TopN[] lists = r.recommendAll(users, n, RecommendOptions.DEFAULTS);
            int[][] out = new int[lists.length][];
            for (int j = 0; j < lists.length; j++) {
                out[j] = lists[j].indices();
            }
            return out;
        }
    }
}
