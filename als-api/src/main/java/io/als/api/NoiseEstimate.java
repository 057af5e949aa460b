package io.als.api;

import io.als.spi.SparseView;

/**
 * The rating noise a sampled fit assumes when {@link AlsConfig#noise()} is
 * {@link AlsConfig#AUTO}: the root mean square of the training ratings around a damped
 * baseline, {@code mu + b_i + b_u}, with {@code b_i} the mean of item {@code i}'s
 * {@code r - mu} shrunk towards 0 as if {@value #ITEM_DAMPING} more ratings of 0 were added,
 * and {@code b_u} the mean of user {@code u}'s {@code r - mu - b_i} shrunk by
 * {@value #USER_DAMPING} (Koren's baseline, as Surprise's defaults set it; the shrinkage keeps
 * rows with one or two ratings from fitting their own noise away).
 *
 * <p>What it measures is the spread the mean and the biases leave unexplained: the noise plus
 * the user-item interaction the factors are there to learn. So it is an upper estimate of the
 * noise, and that is what the sampler wants: a posterior a little wider than the noise alone
 * is averaged over more of the plausible factors. It follows the data's scale (ratings twice as
 * spread give twice the estimate), where a fixed noise only suits one scale. On MovieLens it
 * gives 0.92 (100K) and 0.90 (1M), next to the 0.9 to 1.0 that were best when tried by hand.
 */
final class NoiseEstimate {
    /** Pseudo-ratings of 0 added to each item's bias. */
    static final double ITEM_DAMPING = 10;
    /** Pseudo-ratings of 0 added to each user's bias. */
    static final double USER_DAMPING = 15;

    private NoiseEstimate() {
    }

    /**
     * The estimate for these ratings: positive and finite. Ratings that leave nothing
     * unexplained (all equal, say) get a floor of {@code 1e-6} times their largest magnitude
     * (or {@code 1e-6}), so that the sampler still has a positive noise.
     */
    static double of(Ratings ratings) {
        double mu = ratings.mean();
        SparseView byItem = ratings.byItem();
        double[] itemBias = new double[byItem.rows()];
        for (int i = 0; i < byItem.rows(); i++) {
            double sum = 0;
            for (int e = byItem.start(i); e < byItem.end(i); e++) {
                sum += byItem.value(e) - mu;
            }
            itemBias[i] = sum / (byItem.count(i) + ITEM_DAMPING);
        }
        SparseView byUser = ratings.byUser();
        double sse = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            double sum = 0;
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                sum += byUser.value(e) - mu - itemBias[byUser.index(e)];
            }
            double userBias = sum / (byUser.count(u) + USER_DAMPING);
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                double d = byUser.value(e) - mu - itemBias[byUser.index(e)] - userBias;
                sse += d * d;
            }
        }
        double rmse = Math.sqrt(sse / Math.max(1, byUser.nnz()));
        double[] range = ratings.range();
        double magnitude = Math.max(Math.abs(range[0]), Math.abs(range[1]));
        double floor = 1e-6 * (Double.isFinite(magnitude) ? Math.max(1, magnitude) : 1);
        return Double.isFinite(rmse) ? Math.max(rmse, floor) : floor;
    }
}
