package io.als.api;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import java.nio.DoubleBuffer;

/**
 * Solves user rows against a model's fixed item factors, exactly as one user half-step of
 * the model's fit would (fold-in and partial update; the {@code implicit} library's
 * {@code recalculate_user} and LensKit's {@code new_user_embedding} do the same). Every row is
 * posed to a {@link LeastSquaresStep} of the given solver:
 * <ul>
 *   <li><b>implicit</b> (one unbiased sample): weight {@code c(r) - alpha0}, value
 *       {@code c(r)} (a BM25 confidence weighs the row by its own length and the items by
 *       their counts in the model's rated pattern, as the fit did), shared term {@code alpha0 Y^T Y} (computed once, then cached) and the
 *       penalty {@code info.penalty().forSide(alpha0 N_items)}, so each row solves
 *       {@code (alpha0 Y^T Y + sum_i (c_i - alpha0) y_i y_i^T + lambda_u I) x = sum_i c_i y_i};</li>
 *   <li><b>explicit, unbiased</b>: ridge regression of the values on each sample's item
 *       factors, {@code (sum_i y_i y_i^T + lambda_u I) x = sum_i r_i y_i};</li>
 *   <li><b>explicit, biased</b>: as the fit's user half-step ({@link FitState.Biased}): the
 *       residuals {@code r - mu - b_i^s} regressed on {@code [P_i^s, 1]}, so the unknowns are
 *       {@code [U_u^s, b_u^s]} and the penalty covers the bias too.</li>
 * </ul>
 * A model of several samples (not compressed) is solved once per sample against that
 * sample's items and biases; the caller keeps the samples side by side, so the prediction
 * stays the average over samples. A compressed model is one sample of rank {@code 2k} and
 * is solved as such. The penalty is the fit's, rebuilt from {@link TrainingInfo#penalty()}.
 *
 * <p>Thread-safe: {@link #solve} is synchronized (a step is not safe for concurrent solves).
 */
final class RowRefit implements AutoCloseable {

    /**
     * The value of an implicit entry observed in training whose value the model did not keep:
     * it is posed with preference 1 and the confidence of the smallest value in the training
     * data (the model records the range of the values), the least an observed cell had; for a
     * file of pairs that is exactly their value 1. When the smallest value was 0 (which means
     * no preference) the confidence is 1.
     */
    static final double OBSERVED = Double.NaN;

    /** Solutions: {@code rows x (samples * rank)} factors side by side, and {@code samples x rows} biases. */
    record Solution(double[] factors, double[] biases) {
    }

    private final Model model;
    private final Solver solver;
    private final int threads;
    private final int k;
    private final int samples;
    private final int numItems;
    private final ImplicitFeedback implicit;
    private final double observedValue;
    private final RatingScale scale;
    private final Regularizer reg;
    private LeastSquaresStep step;
    private FactorMatrix[] fixed;
    private Gram shared;

    RowRefit(Model model, Solver solver, int threads) {
        TrainingInfo info = model.trainingInfo().orElseThrow(() -> new IllegalStateException(
                "the model carries no training information, so the penalty of its fit is unknown;"
                        + " fold-in and partial update need a model from a fit (model file version 2 onwards)"));
        this.model = model;
        this.solver = solver;
        this.threads = threads;
        this.k = model.rank();
        this.samples = model.samples();
        this.numItems = model.itemIds().size();
        this.implicit = info.implicit();
        this.scale = info.scale();
        // The smallest value the training data held, when it was positive: what an item the
        // model only knows as observed is posed with (for a file of pairs, exactly their 1).
        this.observedValue = scale != null && scale.min() > 0 ? scale.min() : Double.NaN;
        if (implicit != null && (model.biased() || samples != 1)) {
            throw new IllegalStateException("an implicit model must be one unbiased sample but had " + samples
                    + " sample(s)" + (model.biased() ? " and biases" : ""));
        }
        Regularizer penalty;
        try {
            penalty = info.penalty();
        } catch (IllegalArgumentException e) {
            // A penalty of the caller's own (a custom Regularizer) is stored by name only.
            throw new IllegalStateException("fold-in and update solve rows with the fit's penalty, but the model"
                    + " records '" + info.regularizer() + "', which is not a built-in penalty (ials, l2, none,"
                    + " weighted) and cannot be rebuilt from its name", e);
        }
        this.reg = implicit == null ? penalty : penalty.forSide(implicit.unobservedWeight() * numItems);
    }

    /** The range of the training values (for an explicit model its rating scale, which fold-in values must be on), or null. */
    RatingScale scale() {
        return scale;
    }

    /** Whether the model is implicit (values must then be non-negative). */
    boolean implicit() {
        return implicit != null;
    }

    /**
     * Solves {@code rows} rows given as compressed rows over item indices (strictly
     * increasing within a row) with their raw values (ratings, or counts for implicit
     * feedback). Every row must have at least one entry. For an implicit model a value of 0
     * means no preference, as in the fit, and {@link #OBSERVED} marks an item known to be
     * observed whose value is not known (see there).
     */
    synchronized Solution solve(int rows, int[] ptr, int[] idx, double[] values) {
        boolean biased = model.biased();
        int cols = biased ? k + 1 : k;
        if (step == null) {
            step = solver.newStep(cols, threads);
            fixed = new FactorMatrix[samples];
        }
        int width = samples * k;
        double[] factors = new double[rows * width];
        double[] biases = new double[samples * rows];
        for (int s = 0; s < samples; s++) {
            FactorMatrix y = fixed(s, biased);
            SparseView observed;
            Gram g = null;
            if (implicit != null) {
                double[] weight = new double[values.length];
                double[] confidence = new double[values.length];
                for (int r = 0; r < rows; r++) {
                    for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                        double v = values[e];
                        if (v == 0) {
                            // No preference: the cell counts as an unobserved one, as in the fit
                            // (ImplicitFeedback.weighted), though it stays in the row's count.
                            continue;
                        }
                        double r0 = Double.isNaN(v) ? observedValue : v;
                        confidence[e] = Double.isNaN(r0) ? 1 : implicit.confidence(r0, ptr[r + 1] - ptr[r], idx[e],
                                counts());
                        weight[e] = confidence[e] - implicit.unobservedWeight();
                    }
                }
                observed = SparseView.copyOf(rows, numItems, ptr, idx, confidence).withWeights(weight);
                if (shared == null) {
                    shared = step.gram(y).scaled(implicit.unobservedWeight());
                }
                g = shared;
            } else if (biased) {
                DoubleBuffer itemBias = model.itemBiases(s);
                double mu = model.globalMean();
                double[] residual = new double[values.length];
                for (int e = 0; e < values.length; e++) {
                    residual[e] = values[e] - mu - itemBias.get(idx[e]);
                }
                observed = SparseView.copyOf(rows, numItems, ptr, idx, residual);
            } else {
                observed = SparseView.copyOf(rows, numItems, ptr, idx, values);
            }
            FactorMatrix target = new FactorMatrix(rows, cols);
            step.solve(observed, y, reg, g, target);
            double[] t = target.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(t, r * cols, factors, r * width + s * k, k);
                if (biased) {
                    biases[s * rows + r] = t[r * cols + k];
                }
            }
        }
        return new Solution(factors, biases);
    }

    private ImplicitFeedback.Counts counts;

    /**
     * The training counts a BM25 confidence needs, from the model's rated pattern (computed
     * once); null for the other confidences.
     */
    private ImplicitFeedback.Counts counts() {
        if (counts == null && implicit.confidence() == ImplicitFeedback.Confidence.BM25) {
            counts = ImplicitFeedback.Counts.ofPattern(model.userIds().size(), numItems, model.ratedIndices());
        }
        return counts;
    }

    /** Sample {@code s}'s item factors, with a constant column of ones for a biased model; cached. */
    private FactorMatrix fixed(int s, boolean biased) {
        if (fixed[s] == null) {
            MatrixView p = model.itemFactors(s);
            int cols = biased ? k + 1 : k;
            FactorMatrix f = new FactorMatrix(numItems, cols);
            double[] d = f.data();
            for (int i = 0; i < numItems; i++) {
                for (int c = 0; c < k; c++) {
                    d[i * cols + c] = p.get(i, c);
                }
                if (biased) {
                    d[i * cols + k] = 1;
                }
            }
            fixed[s] = f;
        }
        return fixed[s];
    }

    @Override
    public synchronized void close() {
        if (step != null) {
            step.close();
            step = null;
        }
    }
}
