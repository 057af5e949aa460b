package io.als.api;

import io.als.spi.FactorMatrix;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses lambda for a fit whose {@link AlsConfig#validation()} is positive, on the fit's own
 * training ratings: it holds out that fraction of them, fits the rest with several lambdas,
 * and keeps the lambda whose model predicts the held-out ratings best (RMSE, predictions
 * clipped to the training range as evaluation clips them).
 *
 * <h2>The candidates</h2>
 * Lambdas {@code L/2}, {@code L} and {@code 2L}, with {@code L} the configured lambda; then,
 * while the best is the smallest or the largest tried, one more step of a factor
 * {@value #STEP} beyond it, at most {@value #MAX_EXTRA_STEPS} times. So the grid follows the
 * data instead of assuming its scale: ratings ten times as spread want a lambda about ten
 * times larger, which the search reaches in a few steps. A lambda of 0 (no penalty) is
 * used as it is.
 *
 * <h2>The trial fits</h2>
 * Each is the configured fit (rank, iterations, bias, noise, seed, initial users) with a
 * quarter of the samples (at least one, or none for a plain fit), uncompressed. They log at
 * DEBUG.
 *
 * <h2>Scoring a sampled trial as if it had all the samples</h2>
 * An average of {@code T} samples has a mean squared error of about {@code a + b/T}: the
 * error of the posterior mean plus a Monte Carlo part that shrinks with the samples. The Monte
 * Carlo part is larger for a smaller lambda (a wider posterior), so scored at a quarter of the
 * samples, the trials would favour larger lambdas than the full fit wants (on MovieLens 100K
 * the trials' RMSE at 25 samples put lambda 8 ahead of 4, while 4 is better at 100). So each
 * sampled trial is scored at the full number {@code S} of samples by extrapolation: with
 * {@code E_T} the mean squared error of the average of all {@code T} samples and {@code E_h}
 * the mean of those of the averages of its two halves ({@code h = T/2} samples each),
 * {@code b = (E_h - E_T) / (1/h - 1/T)} (at least 0), and the score is the root of
 * {@code E_T - b (1/T - 1/S)}. Plain trials, and trials of one sample, are scored as they are.
 *
 * <h2>The held-out ratings</h2>
 * Every training rating is held out with probability {@code fraction}, drawn from the fit's
 * validation stream ({@link FitStreams#validation}), except that a rating goes back into the
 * training part when its user or item would be left with none there; so the training part
 * has the same users and items, with the same indices, as the whole. With no rating held
 * out (tiny data) the configured lambda is used.
 */
final class LambdaSearch {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaSearch.class);

    /** The factor between neighbouring candidates. */
    static final double STEP = 2;
    /** How many candidates at most are added beyond the first three. */
    static final int MAX_EXTRA_STEPS = 4;

    /** One candidate and its validation RMSE. */
    record Trial(double lambda, double rmse) {
    }

    /**
     * What the search found.
     *
     * @param lambda     the chosen lambda
     * @param trials     every candidate tried, by increasing lambda (empty when none was)
     * @param heldOut    how many ratings were held out
     */
    record Result(double lambda, List<Trial> trials, int heldOut) {
    }

    /** The training ratings cut in two: a training part with the same ids, and the held-out ratings by index. */
    record Cut(Ratings train, int[] users, int[] items, double[] values) {
        int size() {
            return values.length;
        }
    }

    private LambdaSearch() {
    }

    /** How many samples a trial fit of a fit with {@code samples} samples takes: a quarter, at least 1 (0 stays 0). */
    static int trialSamples(int samples) {
        return samples == 0 ? 0 : Math.max(1, (samples + 3) / 4);
    }

    /**
     * Runs the search for {@code config} (whose noise, if it samples, is already known) on
     * {@code ratings}, every trial starting from {@code initialUsers}.
     */
    static Result run(Ratings ratings, AlsConfig config, Solver solver, FactorMatrix initialUsers) {
        double start = config.lambda();
        Cut cut = cut(ratings, config.validation(), FitStreams.validation(config.seed()));
        if (!(start > 0) || cut.size() == 0) {
            LOG.info("lambda search skipped ({}): lambda {}", start > 0 ? "no rating could be held out"
                    : "a lambda of 0 has nothing to scale", start);
            return new Result(start, List.of(), cut.size());
        }
        double[] range = ratings.range();
        List<Trial> trials = new ArrayList<>();
        for (double lambda : new double[] {start / STEP, start, start * STEP}) {
            trials.add(trial(cut, config, solver, initialUsers, lambda, range));
        }
        for (int extra = 0; extra < MAX_EXTRA_STEPS; extra++) {
            Trial best = best(trials);
            if (best == trials.get(0)) {
                trials.add(0, trial(cut, config, solver, initialUsers, best.lambda() / STEP, range));
            } else if (best == trials.get(trials.size() - 1)) {
                trials.add(trial(cut, config, solver, initialUsers, best.lambda() * STEP, range));
            } else {
                break;
            }
        }
        Trial best = best(trials);
        StringBuilder tried = new StringBuilder();
        for (Trial t : trials) {
            tried.append(tried.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g: %.5f",
                    t.lambda(), t.rmse()));
        }
        LOG.info("lambda search on {} held-out ratings ({} of {}), {} penalty, {} trial samples (RMSE extrapolated to"
                + " the full samples): {}; chose {}",
                cut.size(), config.validation(), ratings.size(), config.regularizer().name(),
                trialSamples(config.samples()), tried, best.lambda());
        return new Result(best.lambda(), List.copyOf(trials), cut.size());
    }

    /** The candidate with the lowest RMSE; the first (smallest lambda) of equals. */
    static Trial best(List<Trial> trials) {
        return trials.stream().min(Comparator.comparingDouble(Trial::rmse)).orElseThrow();
    }

    static Trial trial(Cut cut, AlsConfig config, Solver solver, FactorMatrix initialUsers, double lambda,
                       double[] range) {
        AlsConfig c = config.toBuilder().lambda(lambda).validation(0).samples(trialSamples(config.samples()))
                .compress(false).build();
        Model model = new AlternatingLeastSquares(c, solver, true).fit(cut.train(), initialUsers, FitListener.NONE);
        int n = cut.size();
        double sse = 0;
        for (int t = 0; t < n; t++) {
            double d = cut.values()[t] - clip(model.predictIndex(cut.users()[t], cut.items()[t]), range);
            sse += d * d;
        }
        double mse = sse / n;
        int samples = model.samples();
        if (samples < 2) {
            LOG.debug("lambda {}: validation rmse {}", lambda, Math.sqrt(mse));
            return new Trial(lambda, Math.sqrt(mse));
        }
        int h = samples / 2;
        double halves = (halfMse(model, cut, 0, h, range) + halfMse(model, cut, h, 2 * h, range)) / 2;
        double extrapolated = extrapolatedMse(mse, halves, h, samples, config.samples());
        LOG.debug("lambda {}: validation rmse {} with {} samples, {} extrapolated to {}", lambda, Math.sqrt(mse),
                samples, Math.sqrt(extrapolated), config.samples());
        return new Trial(lambda, Math.sqrt(extrapolated));
    }

    /**
     * The held-out MSE of an average of {@code target} samples, from the MSE of {@code samples}
     * and the mean MSE {@code halves} of two averages of {@code h} each: the error of an average
     * of S samples is taken as {@code a + b / S}, {@code b} (at least 0) fitted to the two
     * points and the result at least 0.
     */
    static double extrapolatedMse(double mse, double halves, int h, int samples, int target) {
        double b = Math.max(0, (halves - mse) / (1.0 / h - 1.0 / samples));
        return Math.max(0, mse - b * (1.0 / samples - 1.0 / target));
    }

    private static double clip(double p, double[] range) {
        return Math.min(range[1], Math.max(range[0], p));
    }

    /** Mean squared error on the held-out ratings of the average of samples {@code from..to-1} of {@code model}. */
    static double halfMse(Model model, Cut cut, int from, int to, double[] range) {
        int k = model.rank();
        MatrixView[] us = new MatrixView[to - from];
        MatrixView[] is = new MatrixView[to - from];
        java.nio.DoubleBuffer[] ub = new java.nio.DoubleBuffer[to - from];
        java.nio.DoubleBuffer[] ib = new java.nio.DoubleBuffer[to - from];
        for (int s = from; s < to; s++) {
            us[s - from] = model.userFactors(s);
            is[s - from] = model.itemFactors(s);
            ub[s - from] = model.userBiases(s);
            ib[s - from] = model.itemBiases(s);
        }
        double sse = 0;
        for (int t = 0; t < cut.size(); t++) {
            int u = cut.users()[t];
            int i = cut.items()[t];
            double sum = 0;
            for (int s = 0; s < us.length; s++) {
                sum += ub[s].get(u) + ib[s].get(i) + us[s].dot(u, is[s], i);
            }
            double d = cut.values()[t] - clip(model.globalMean() + sum / us.length, range);
            sse += d * d;
        }
        return sse / cut.size();
    }

    /**
     * Holds out each rating with probability {@code fraction}, in by-user order from
     * {@code rnd}; a held-out rating whose user or item has no rating left in the training
     * part goes back into it (in the same order), so that the training part keeps every user
     * and item.
     */
    static Cut cut(Ratings ratings, double fraction, SplittableRandom rnd) {
        SparseView v = ratings.byUser();
        int nnz = v.nnz();
        boolean[] held = new boolean[nnz];
        int[] userLeft = new int[v.rows()];
        int[] itemLeft = new int[v.cols()];
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                held[e] = rnd.nextDouble() < fraction;
                if (!held[e]) {
                    userLeft[u]++;
                    itemLeft[v.index(e)]++;
                }
            }
        }
        int out = 0;
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                if (held[e] && (userLeft[u] == 0 || itemLeft[v.index(e)] == 0)) {
                    held[e] = false;
                    userLeft[u]++;
                    itemLeft[v.index(e)]++;
                }
                if (held[e]) {
                    out++;
                }
            }
        }
        int[] ptr = new int[v.rows() + 1];
        int[] idx = new int[nnz - out];
        double[] val = new double[nnz - out];
        int[] hu = new int[out];
        int[] hi = new int[out];
        double[] hv = new double[out];
        int n = 0;
        int h = 0;
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                if (held[e]) {
                    hu[h] = u;
                    hi[h] = v.index(e);
                    hv[h++] = v.value(e);
                } else {
                    idx[n] = v.index(e);
                    val[n++] = v.value(e);
                }
            }
            ptr[u + 1] = n;
        }
        Ratings train = Ratings.of(ratings.userIds(), ratings.itemIds(), SparseView.adopt(v.rows(), v.cols(), ptr, idx,
                val)).withSource(ratings.source());
        return new Cut(train, hu, hi, hv);
    }
}
