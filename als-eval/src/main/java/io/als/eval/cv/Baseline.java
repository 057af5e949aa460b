package io.als.eval.cv;

import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.SparseView;

/**
 * The fallback prediction for a cold start: {@code mean + b_u + b_i}, with a bias taken as 0
 * when its user or item is unknown.
 *
 * @param mean     global mean
 * @param userBias by training user index
 * @param itemBias by training item index
 */
public record Baseline(double mean, double[] userBias, double[] itemBias) {

    /**
     * Shrinkage of the item and user means towards zero in {@link #damped}: Surprise's
     * defaults for its baseline estimates ({@code reg_i = 10}, {@code reg_u = 15}), which it
     * takes from Koren, "Factor in the neighbors", ACM TKDD 4(1), 2010, section 2.1.
     */
    public static final double ITEM_DAMPING = 10;
    public static final double USER_DAMPING = 15;

    /** A biased model's own mean and biases. */
    public static Baseline of(Model model) {
        return new Baseline(model.globalMean(), model.userBiases(), model.itemBiases());
    }

    /**
     * Baseline estimates from the training ratings alone, for models without biases: the mean,
     * then each item's mean residual shrunk by {@link #ITEM_DAMPING}, then each user's mean
     * residual after that, shrunk by {@link #USER_DAMPING}:
     * <pre>
     *   b_i = sum_u (r_ui - mu) / (ITEM_DAMPING + n_i)
     *   b_u = sum_i (r_ui - mu - b_i) / (USER_DAMPING + n_u)
     * </pre>
     */
    public static Baseline damped(Ratings train) {
        double mu = train.mean();
        SparseView byItem = train.byItem();
        double[] bi = new double[byItem.rows()];
        for (int i = 0; i < bi.length; i++) {
            double s = 0;
            for (int e = byItem.start(i); e < byItem.end(i); e++) {
                s += byItem.value(e) - mu;
            }
            bi[i] = s / (ITEM_DAMPING + byItem.count(i));
        }
        SparseView byUser = train.byUser();
        double[] bu = new double[byUser.rows()];
        for (int u = 0; u < bu.length; u++) {
            double s = 0;
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                s += byUser.value(e) - mu - bi[byUser.index(e)];
            }
            bu[u] = s / (USER_DAMPING + byUser.count(u));
        }
        return new Baseline(mu, bu, bi);
    }

    /** The prediction for training indices {@code user} and {@code item}, either of which may be -1. */
    public double predict(int user, int item) {
        return mean + (user >= 0 ? userBias[user] : 0) + (item >= 0 ? itemBias[item] : 0);
    }
}
