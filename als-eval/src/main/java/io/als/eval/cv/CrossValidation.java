package io.als.eval.cv;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
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
 * fold; that scoring is timed apart and left out of the training time. The fold's own figures
 * are those of the model the fit returns; for a compressed sampled model (the default) that is
 * the rank-2k summary of the samples, whose RMSE differs from the curve's last point, the
 * samples' exact average, by about 0.0001.
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
        Curves curves = new Curves(split, settings, damped, index, count, progress);
        long start = System.nanoTime();
        Model model = new AlternatingLeastSquares(config, settings.solver()).fit(train, curves);
        double seconds = (System.nanoTime() - start - curves.nanos) / 1e9;
        Baseline baseline = config.biased() ? Baseline.of(model) : damped;
        Scorer scorer = (u, i) -> u >= 0 && i >= 0 ? model.predictIndex(u, i) : baseline.predict(u, i);
        Metrics metrics = Metrics.of(split.test(), scorer, settings.coldStart(), settings.clip());
        Metrics extraMetrics = extra == null ? null : Metrics.of(extra, scorer, settings.coldStart(), settings.clip());
        LOG.info("{}: rmse {}, mae {}, {} test ratings ({} cold), {} s", split.name(),
                String.format(java.util.Locale.ROOT, "%.5f", metrics.rmse()),
                String.format(java.util.Locale.ROOT, "%.5f", metrics.mae()), metrics.total(), metrics.cold(),
                String.format(java.util.Locale.ROOT, "%.2f", seconds));
        return new FoldResult(split.name(), metrics, seconds, curves.train.size(), toArray(curves.train),
                toArray(curves.test), train.size(), extraMetrics);
    }

    /**
     * Scores the state after each full iteration: the train RMSE (computed here, so the driver
     * never evaluates its own loss for this listener) and the test RMSE, both from a snapshot
     * of the model so far, whose mean and biases score the cold ratings of a biased fit (the
     * damped baseline does for a plain one). Sampling sweeps are scored as the final model will
     * predict: by the running average of the sweeps' predictions. The time it takes is kept
     * apart, to be left out of the training time.
     */
    private static final class Curves implements FitListener {
        private final Split split;
        private final Settings settings;
        private final Baseline damped;
        private final int index;
        private final int count;
        private final Progress progress;
        private final int sweeps;
        private final double[] sampleSum;
        private int sampled;
        final List<Double> train = new ArrayList<>();
        final List<Double> test = new ArrayList<>();
        long nanos;

        Curves(Split split, Settings settings, Baseline damped, int index, int count, Progress progress) {
            this.split = split;
            this.settings = settings;
            this.damped = damped;
            this.index = index;
            this.count = count;
            this.progress = progress;
            this.sweeps = settings.config().iterations() + settings.config().samples();
            this.sampleSum = new double[split.test().size()];
        }

        @Override
        public void onHalfStep(HalfStep e) {
            if (e.side() != Side.USERS) {
                return;
            }
            long t0 = System.nanoTime();
            Model current = e.snapshot();
            Baseline cold = settings.config().biased() ? Baseline.of(current) : damped;
            Scorer scorer = (u, i) -> u >= 0 && i >= 0 ? current.predictIndex(u, i) : cold.predict(u, i);
            train.add(trainRmse(split.train(), scorer));
            double[] predictions = Metrics.predictions(split.test(), scorer);
            if (e.sampling()) {
                sampled++;
                for (int t = 0; t < predictions.length; t++) {
                    sampleSum[t] += predictions[t];
                    predictions[t] = sampleSum[t] / sampled;
                }
            }
            test.add(Metrics.of(split.test(), predictions, settings.coldStart(), settings.clip()).rmse());
            nanos += System.nanoTime() - t0;
            progress.iterationDone(index, count, e.iteration(), sweeps);
        }
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

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
