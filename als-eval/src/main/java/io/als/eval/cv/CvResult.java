package io.als.eval.cv;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The results of every split of one evaluation, and their summaries. Standard deviations
 * are sample standard deviations (divisor {@code n - 1}) across splits, 0 for one split.
 */
public record CvResult(List<FoldResult> folds) {

    public CvResult {
        folds = List.copyOf(folds);
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("an evaluation needs at least one split");
        }
    }

    public double rmseMean() {
        return mean(f -> f.metrics().rmse());
    }

    public double rmseStd() {
        return std(f -> f.metrics().rmse());
    }

    public double maeMean() {
        return mean(f -> f.metrics().mae());
    }

    public double maeStd() {
        return std(f -> f.metrics().mae());
    }

    public double trainSecondsMean() {
        return mean(FoldResult::trainSeconds);
    }

    /** Total fitting time over total iterations. */
    public double secondsPerIteration() {
        double seconds = 0;
        int iterations = 0;
        for (FoldResult f : folds) {
            seconds += f.trainSeconds();
            iterations += f.iterations();
        }
        return seconds / iterations;
    }

    /** Test ratings with an unknown user or item, over all splits. */
    public int coldStartCount() {
        return folds.stream().mapToInt(f -> f.metrics().cold()).sum();
    }

    public int coldUserCount() {
        return folds.stream().mapToInt(f -> f.metrics().coldUsers()).sum();
    }

    public int coldItemCount() {
        return folds.stream().mapToInt(f -> f.metrics().coldItems()).sum();
    }

    /** Mean over splits of the RMSE on the extra test set, or NaN when there was none. */
    public double extraRmseMean() {
        return folds.get(0).extra() == null ? Double.NaN : mean(f -> f.extra().rmse());
    }

    private double mean(ToDoubleFunction<FoldResult> f) {
        double s = 0;
        for (FoldResult r : folds) {
            s += f.applyAsDouble(r);
        }
        return s / folds.size();
    }

    private double std(ToDoubleFunction<FoldResult> f) {
        if (folds.size() < 2) {
            return 0;
        }
        double m = mean(f);
        double s = 0;
        for (FoldResult r : folds) {
            double d = f.applyAsDouble(r) - m;
            s += d * d;
        }
        return Math.sqrt(s / (folds.size() - 1));
    }
}
