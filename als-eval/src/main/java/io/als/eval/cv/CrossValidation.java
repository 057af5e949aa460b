package io.als.eval.cv;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.spi.FactorMatrix;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.eval.data.ObservedScale;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits and scores a model on each split in turn. After every full iteration the test set is
 * scored with the factors of the moment (during sampling sweeps, with the running average of
 * the samples, which is what the final model predicts), which gives the test-RMSE curve per
 * fold; that scoring is timed apart and left out of the training time.
 */
public final class CrossValidation {
    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);

    /**
     * How to fit and score.
     *
     * @param config    every fitting setting, including {@link AlsConfig#biased()}
     * @param solver    the backend
     * @param coldStart what unknown users and items get
     * @param clip      clip predictions to this scale, or null for no clipping
     */
    public record Settings(AlsConfig config, Solver solver, ColdStart coldStart, ObservedScale clip) {
    }

    /** Hears about progress: once per full iteration of each split. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (split, splits, iteration, iterations) -> { };

        void iterationDone(int split, int splits, int iteration, int iterations);
    }

    private CrossValidation() {
    }

    /** Runs every split. */
    public static CvResult run(List<Split> splits, Settings settings, Progress progress) {
        return run(splits, settings, null, progress);
    }

    /**
     * Runs every split; when {@code extra} is given (indexed against the data the splits were
     * cut from), each split's model is also scored on it.
     */
    public static CvResult run(List<Split> splits, Settings settings, TestRatings extra, Progress progress) {
        List<FoldResult> out = new ArrayList<>(splits.size());
        for (int s = 0; s < splits.size(); s++) {
            Split split = splits.get(s);
            TestRatings extraHere = extra == null ? null : extra.remap(split.userMap(), split.itemMap());
            out.add(runSplit(split, settings, extraHere, s, splits.size(), progress));
        }
        return new CvResult(out);
    }

    /** Fits on one split's training set and scores its test set (and {@code extra}, if not null). */
    public static FoldResult runSplit(Split split, Settings settings, TestRatings extra, int index, int count,
                                      Progress progress) {
        AlsConfig config = settings.config();
        Ratings train = split.train();
        Baseline damped = config.biased() ? null : Baseline.damped(train);
        List<Double> trainCurve = new ArrayList<>();
        List<Double> testCurve = new ArrayList<>();
        long[] listenerNanos = new long[1];
        // Sampling sweeps are scored as the model will predict: by the running average of their predictions.
        double[] sampleSum = new double[split.test().size()];
        int[] sampled = new int[1];
        int sweeps = config.iterations() + config.samples();
        FitListener tracker = new FitListener() {
            @Override
            public void onHalfStep(HalfStep e) {
                if (e.side() == FitListener.Side.USERS) {
                    long t0 = System.nanoTime();
                    track(e);
                    listenerNanos[0] += System.nanoTime() - t0;
                    progress.iterationDone(index, count, e.iteration(), sweeps);
                }
            }

            /** The driver need not evaluate its loss: the train RMSE is computed here, off the clock. */
            @Override
            public boolean needsLoss() {
                return false;
            }

            private void track(HalfStep e) {
                Scorer scorer = config.biased() ? biasedScorer(e.users(), e.items(), config.rank(), train.mean())
                        : plainScorer(e.users(), e.items(), damped);
                trainCurve.add(trainRmse(train, scorer));
                double[] predictions = Metrics.predictions(split.test(), scorer);
                if (e.iteration() > config.iterations()) {
                    sampled[0]++;
                    for (int t = 0; t < predictions.length; t++) {
                        sampleSum[t] += predictions[t];
                        predictions[t] = sampleSum[t] / sampled[0];
                    }
                }
                testCurve.add(Metrics.of(split.test(), predictions, settings.coldStart(), settings.clip()).rmse());
            }
        };
        long start = System.nanoTime();
        Model model = new AlternatingLeastSquares(config, settings.solver()).fit(train, tracker);
        double seconds = (System.nanoTime() - start - listenerNanos[0]) / 1e9;
        Baseline baseline = config.biased() ? Baseline.of(model) : damped;
        Scorer scorer = (u, i) -> u >= 0 && i >= 0 ? model.predictIndex(u, i) : baseline.predict(u, i);
        Metrics metrics = Metrics.of(split.test(), scorer, settings.coldStart(), settings.clip());
        Metrics extraMetrics = extra == null ? null : Metrics.of(extra, scorer, settings.coldStart(), settings.clip());
        LOG.info("{}: rmse {}, mae {}, {} test ratings ({} cold), {} s", split.name(),
                String.format(java.util.Locale.ROOT, "%.5f", metrics.rmse()),
                String.format(java.util.Locale.ROOT, "%.5f", metrics.mae()), metrics.total(), metrics.cold(),
                String.format(java.util.Locale.ROOT, "%.2f", seconds));
        return new FoldResult(split.name(), metrics, seconds, trainCurve.size(), toArray(trainCurve),
                toArray(testCurve), train.size(), extraMetrics);
    }

    /** RMSE of the scorer on the training ratings (unclipped: it is what the fit minimises). */
    static double trainRmse(Ratings train, Scorer scorer) {
        SparseView v = train.byUser();
        double sse = 0;
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                double d = v.value(e) - scorer.predict(u, v.index(e));
                sse += d * d;
            }
        }
        return Math.sqrt(sse / v.nnz());
    }

    /** Scores from plain factors, with a damped baseline for cold starts. */
    static Scorer plainScorer(FactorMatrix users, FactorMatrix items, Baseline baseline) {
        return (u, i) -> u >= 0 && i >= 0 ? users.dot(u, items, i) : baseline.predict(u, i);
    }

    /**
     * Scores from a biased fit's listener factors, laid out as {@code [U_u, b_u, 1, 1]} and
     * {@code [P_i, 1, b_i, mu]} (see {@link AlternatingLeastSquares}).
     */
    static Scorer biasedScorer(FactorMatrix users, FactorMatrix items, int rank, double mean) {
        return (u, i) -> {
            if (u >= 0 && i >= 0) {
                return users.dot(u, items, i);
            }
            return mean + (u >= 0 ? users.get(u, rank) : 0) + (i >= 0 ? items.get(i, rank + 1) : 0);
        };
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
