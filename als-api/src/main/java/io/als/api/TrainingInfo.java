package io.als.api;

import java.util.Objects;

/**
 * How a {@link Model} was trained: the settings of the fit, what it ran, and what it was fitted
 * to. {@link AlternatingLeastSquares} fills it in; a model file stores it (version 2 onwards).
 *
 * @param solver          name of the backend that solved the least-squares steps
 * @param rank            number of latent factors {@code k} of the fit (a compressed sampled model
 *                        has rank {@code 2k}; see {@link Model})
 * @param regularizer     name of the penalty ({@code none}, {@code l2}, {@code weighted})
 * @param lambda          its strength (the one chosen, when the fit chose it on a validation split)
 * @param iterationsRun   ALS iterations run (fewer than asked when the tolerance stopped the fit)
 * @param iterationsAsked ALS iterations configured
 * @param seed            the seed of the random streams
 * @param init            how the user factors started
 * @param biased          whether a global mean and biases were learnt
 * @param samples         posterior sampling sweeps asked for; 0 for a plain ALS solution
 * @param noise           rating noise the sampling assumed (meaningful only when {@code samples > 0}; the
 *                        estimate, when the fit estimated it)
 * @param source          where the ratings came from: a file name, a synthetic spec, or
 *                        {@code in-memory} (see {@link Ratings#source()})
 * @param users           number of users in the training ratings
 * @param items           number of items in the training ratings
 * @param ratings         number of training ratings
 * @param scale           smallest and largest training rating (value)
 * @param implicit        the implicit-feedback settings of an implicit fit, or null for a fit to
 *                        explicit ratings (model file version 3 onwards)
 */
public record TrainingInfo(String solver, int rank, String regularizer, double lambda, int iterationsRun,
                           int iterationsAsked, long seed, Initialization init, boolean biased, int samples,
                           double noise, String source, int users, int items, int ratings, RatingScale scale,
                           ImplicitFeedback implicit) {

    /** The information of a fit to explicit ratings. */
    public TrainingInfo(String solver, int rank, String regularizer, double lambda, int iterationsRun,
                        int iterationsAsked, long seed, Initialization init, boolean biased, int samples,
                        double noise, String source, int users, int items, int ratings, RatingScale scale) {
        this(solver, rank, regularizer, lambda, iterationsRun, iterationsAsked, seed, init, biased, samples, noise,
                source, users, items, ratings, scale, null);
    }

    /** Whether the model was fitted to implicit feedback ({@link #implicit()} is not null). */
    public boolean isImplicit() {
        return implicit != null;
    }

    /** The penalty of the fit, rebuilt from its name and lambda (and nu, for {@code ials}). */
    public Regularizer penalty() {
        return regularizer.equals("ials") ? Regularizer.ials(lambda, implicit == null ? 1 : implicit.nu())
                : Regularizer.of(regularizer, lambda);
    }

    public TrainingInfo {
        Objects.requireNonNull(solver, "solver");
        Objects.requireNonNull(regularizer, "regularizer");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scale, "scale");
        if (rank <= 0 || iterationsRun < 0 || iterationsAsked < 0 || samples < 0 || users < 0 || items < 0
                || ratings < 0) {
            throw new IllegalArgumentException("rank must be positive and every count non-negative but were rank "
                    + rank + ", iterations " + iterationsRun + "/" + iterationsAsked + ", samples " + samples
                    + ", users " + users + ", items " + items + ", ratings " + ratings);
        }
    }
}
