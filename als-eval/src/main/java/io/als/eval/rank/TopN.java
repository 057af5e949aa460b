package io.als.eval.rank;

import io.als.api.Model;
import java.util.List;

/**
 * The one place where ranking evaluation asks a model for recommendations: each user's
 * {@code n} highest-scoring items among those it has no training interaction with, best
 * first. Evaluation code calls {@link #DEFAULT} and nothing else, so that changing how
 * recommendations are computed is a change of that one line.
 */
@FunctionalInterface
public interface TopN {

    /** What the evaluation uses: {@link Model#recommend}, one user at a time. */
    TopN DEFAULT = TopN::perUser;

    /**
     * @param model a model fitted on the training set, which knows each user's training items
     * @param users user indices of the model
     * @param n     list length
     * @return for each user, item indices of the model, best first, at most {@code n}
     */
    int[][] recommend(Model model, int[] users, int n);

    /** By {@link Model#recommend}, which excludes the items the model was trained on for the user. */
    static int[][] perUser(Model model, int[] users, int n) {
        int[][] out = new int[users.length][];
        for (int j = 0; j < users.length; j++) {
            List<Model.Recommendation> recs = model.recommend(model.userIds().idAt(users[j]), n);
            out[j] = new int[recs.size()];
            for (int r = 0; r < recs.size(); r++) {
                out[j][r] = model.itemIds().indexOf(recs.get(r).item());
            }
        }
        return out;
    }
}
