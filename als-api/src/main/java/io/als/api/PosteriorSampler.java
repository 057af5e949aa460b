package io.als.api;

import io.als.internal.Gaussians;
import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The posterior sampling stage, run by {@link AlternatingLeastSquares} after the ALS
 * iterations when {@link AlsConfig#samples()} {@code = S > 0}: {@code S} Gibbs sweeps, each
 * an item half-step and a user half-step in which every row is drawn from its Gaussian
 * conditional posterior instead of set to its mean, and the state after each sweep is kept
 * as one sample of the model (see {@link AlternatingLeastSquares} for the model and the
 * references).
 *
 * <p>A draw is posed to the same {@link LeastSquaresStep} as an ALS half-step, as a
 * perturbed ridge problem ({@link #perturb}). The random numbers come from the fit's
 * sampling stream ({@link FitStreams#sampling}), from which one stream per half-step is
 * split in sweep order, items before users; a half-step draws its noise row after row from
 * its stream on the calling thread, so the draws do not depend on the thread count.
 */
final class PosteriorSampler {

    /** Solves one half-step's problem and takes the solution into the state (the driver's half-step). */
    @FunctionalInterface
    interface HalfStep {
        void run(FitListener.Side side, int iteration, FitState.Problem problem);
    }

    private final int samples;
    private final double sigma;
    private final SplittableRandom streams;

    /**
     * @param samples how many sweeps, each giving one sample
     * @param sigma   the rating noise's standard deviation
     * @param streams the stream each half-step's stream is split from
     */
    PosteriorSampler(int samples, double sigma, SplittableRandom streams) {
        if (samples <= 0) {
            throw new IllegalArgumentException("samples must be positive but was " + samples);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise must be positive and finite but was " + sigma);
        }
        this.samples = samples;
        this.sigma = sigma;
        this.streams = streams;
    }

    /**
     * Runs the sweeps from the current state, numbering them {@code firstIteration},
     * {@code firstIteration + 1}, ..., and adds the state after each as the next sample of
     * {@code into}, which must expect {@link #samples} samples.
     */
    void run(FitState state, Regularizer reg, int firstIteration, HalfStep halfStep, Model.Builder into) {
        for (int s = 0; s < samples; s++) {
            int iteration = firstIteration + s;
            for (FitListener.Side side : new FitListener.Side[] {FitListener.Side.ITEMS, FitListener.Side.USERS}) {
                halfStep.run(side, iteration, perturb(state.pose(side, reg), reg, sigma, streams.split()));
            }
            state.addCurrentSample(into);
        }
    }

    /**
     * Turns an ALS half-step's ridge problem into a draw from each row's conditional
     * posterior {@code N(A^-1 F^T a, sigma^2 A^-1)}, {@code A = F^T F + penalty I}. Noise
     * {@code sigma * z} is added to every rating; the penalty is replaced by {@code w}
     * pseudo-ratings {@code sigma * y_j} per row, on pseudo-rows of the fixed side equal to
     * {@code sqrt(penalty) e_j} (one block of {@code w} pseudo-rows per distinct penalty),
     * whose Gram matrix is {@code penalty I}. The solution is then
     * {@code A^-1 (F^T (a + sigma z) + sigma sqrt(penalty) y)}, whose mean is the ALS
     * solution and whose covariance is {@code sigma^2 A^-1 (F^T F + penalty I) A^-1 = sigma^2 A^-1}.
     *
     * @param problem the ALS problem (not modified); its target receives the draw
     * @param reg     the penalty {@code problem} carries
     * @param rnd     the draws, taken row by row in row order
     */
    static FitState.Problem perturb(FitState.Problem problem, Regularizer reg, double sigma, SplittableRandom rnd) {
        SparseView obs = problem.observed();
        FactorMatrix fixed = problem.fixed();
        int w = fixed.rank();
        int rows = obs.rows();
        Map<Double, Integer> blockOf = new HashMap<>();
        int[] block = new int[rows];
        for (int r = 0; r < rows; r++) {
            block[r] = blockOf.computeIfAbsent(reg.penalty(obs.count(r)), key -> blockOf.size());
        }
        int base = fixed.rows();
        FactorMatrix extended = new FactorMatrix(base + blockOf.size() * w, w);
        System.arraycopy(fixed.data(), 0, extended.data(), 0, fixed.data().length);
        for (Map.Entry<Double, Integer> b : blockOf.entrySet()) {
            double root = Math.sqrt(b.getKey());
            for (int j = 0; j < w; j++) {
                extended.set(base + b.getValue() * w + j, j, root);
            }
        }
        int nnz = obs.nnz() + rows * w;
        int[] ptr = new int[rows + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = obs.start(r); e < obs.end(r); e++) {
                idx[n] = obs.index(e);
                val[n++] = obs.value(e) + sigma * Gaussians.next(rnd);
            }
            for (int j = 0; j < w; j++) {
                idx[n] = base + block[r] * w + j;
                val[n++] = sigma * Gaussians.next(rnd);
            }
            ptr[r + 1] = n;
        }
        return new FitState.Problem(SparseView.copyOf(rows, extended.rows(), ptr, idx, val), extended,
                problem.target(), Regularizer.none());
    }
}
