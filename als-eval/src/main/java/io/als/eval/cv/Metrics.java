package io.als.eval.cv;

import io.als.eval.data.ObservedScale;

/**
 * Accuracy on one test set.
 *
 * @param rmse       root mean squared error over the scored ratings (NaN if any prediction was NaN)
 * @param mae        mean absolute error over the same ratings
 * @param scored     ratings that entered RMSE and MAE
 * @param total      test ratings
 * @param coldUsers  test ratings whose user was unknown
 * @param coldItems  test ratings whose item was unknown (a rating may count in both)
 * @param cold       test ratings with an unknown user or item
 * @param coldRmse   RMSE over the cold ratings alone (NaN when none were scored)
 * @param coldMean   mean prediction the cold ratings got (NaN when none were scored)
 */
public record Metrics(double rmse, double mae, int scored, int total, int coldUsers, int coldItems, int cold,
                      double coldRmse, double coldMean) {

    /**
     * Scores a test set. Known pairs get {@code scorer}'s prediction; cold ones get what the
     * strategy says ({@code scorer}'s baseline, NaN, or nothing). With a scale, every
     * prediction is first clipped into it (as Surprise does), since no rating lies outside.
     */
    public static Metrics of(TestRatings test, Scorer scorer, ColdStart strategy, ObservedScale clip) {
        return of(test, predictions(test, scorer), strategy, clip);
    }

    /** The scorer's prediction for every test entry (cold ones included). */
    public static double[] predictions(TestRatings test, Scorer scorer) {
        double[] p = new double[test.size()];
        for (int e = 0; e < p.length; e++) {
            p[e] = scorer.predict(test.user(e), test.item(e));
        }
        return p;
    }

    /**
     * Scores given predictions, one per test entry; cold entries are treated as the strategy
     * says (their prediction is used only for {@link ColdStart#BASELINE}).
     */
    public static Metrics of(TestRatings test, double[] predictions, ColdStart strategy, ObservedScale clip) {
        if (predictions.length != test.size()) {
            throw new IllegalArgumentException("predictions must have one entry per test rating (" + test.size()
                    + ") but had " + predictions.length);
        }
        double sse = 0;
        double sae = 0;
        int scored = 0;
        int coldUsers = 0;
        int coldItems = 0;
        int cold = 0;
        double coldSse = 0;
        double coldSum = 0;
        int coldScored = 0;
        for (int e = 0; e < test.size(); e++) {
            int u = test.user(e);
            int i = test.item(e);
            boolean isCold = u < 0 || i < 0;
            double p;
            if (isCold) {
                coldUsers += u < 0 ? 1 : 0;
                coldItems += i < 0 ? 1 : 0;
                cold++;
                if (strategy == ColdStart.DROP) {
                    continue;
                }
                p = strategy == ColdStart.NAN ? Double.NaN : predictions[e];
            } else {
                p = predictions[e];
            }
            if (clip != null && !Double.isNaN(p)) {
                p = clip.clip(p);
            }
            double d = test.rating(e) - p;
            sse += d * d;
            sae += Math.abs(d);
            scored++;
            if (isCold) {
                coldSse += d * d;
                coldSum += p;
                coldScored++;
            }
        }
        if (scored == 0 && cold > 0) {
            throw new IllegalArgumentException("all " + cold + " test rating(s) are cold (their user or item is not in"
                    + " training), and cold start 'drop' leaves none to score; use cold start 'baseline' or 'nan'");
        }
        return new Metrics(Math.sqrt(sse / scored), sae / scored, scored, test.size(), coldUsers, coldItems, cold,
                coldScored == 0 ? Double.NaN : Math.sqrt(coldSse / coldScored),
                coldScored == 0 ? Double.NaN : coldSum / coldScored);
    }
}
