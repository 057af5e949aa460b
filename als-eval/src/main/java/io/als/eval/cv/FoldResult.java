package io.als.eval.cv;

/**
 * What one split gave.
 *
 * @param name         the split's name
 * @param metrics      accuracy on its test set
 * @param trainSeconds time spent fitting (excluding the per-iteration test scoring)
 * @param iterations   full iterations run
 * @param trainRmse    RMSE on the training ratings after each iteration
 * @param testRmse     RMSE on the test ratings after each iteration (same cold-start rule and clipping)
 * @param trainRatings size of the training set
 * @param extra        accuracy of the same model on an extra test set (a tuning run's final
 *                     held-out set), or null
 */
public record FoldResult(String name, Metrics metrics, double trainSeconds, int iterations, double[] trainRmse,
                         double[] testRmse, int trainRatings, Metrics extra) {

    public double secondsPerIteration() {
        return trainSeconds / iterations;
    }
}
