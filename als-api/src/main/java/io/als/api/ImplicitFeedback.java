package io.als.api;

import java.util.Locale;

/**
 * The settings of an implicit-feedback fit (clicks, plays, purchases): weighted matrix
 * factorisation after Hu, Koren and Volinsky, "Collaborative filtering for implicit feedback
 * datasets", ICDM 2008 (HKV), with the iALS refinements of Rendle, Zhang and Koren,
 * "Revisiting the performance of iALS on item recommendation benchmarks", RecSys 2022
 * (arXiv 2110.14037, 2021).
 *
 * <p>Every user-item cell takes part. An observed cell, with value {@code r} (a count, a
 * rating, or 1 when the file holds only user and item), has preference {@code p = 1} and
 * confidence {@code c = 1 + alpha r} ({@link Confidence#LINEAR}) or
 * {@code c = 1 + alpha log(1 + r / epsilon)} ({@link Confidence#LOG}); every other cell has
 * preference 0 and weight {@code alpha0} ({@link #unobservedWeight()}; 1 is HKV). The fit
 * minimises
 * <pre>
 *   sum over observed (u,i) of c_ui (1 - x_u . y_i)^2 + alpha0 sum over unobserved (u,i) of (x_u . y_i)^2
 *       + sum_u lambda_u ||x_u||^2 + sum_i lambda_i ||y_i||^2
 * </pre>
 * Holding the items {@code Y} fixed, user {@code u}'s row solves
 * {@code (alpha0 Y^T Y + Y^T (C_u - alpha0 I) Y + lambda_u I) x_u = Y^T C_u p_u}, which for
 * {@code alpha0 = 1} is HKV's equation. {@code alpha0 Y^T Y} is computed once per half-step
 * and shared by every row.
 *
 * @param alpha            the confidence scale, positive and finite
 * @param confidence       how a value becomes a confidence
 * @param epsilon          the value scale of {@link Confidence#LOG}, positive and finite
 *                         (unused by {@link Confidence#LINEAR})
 * @param unobservedWeight {@code alpha0}, the weight of every unobserved cell, in {@code (0, 1]}
 *                         (an observed cell's weight is at least 1, so {@code c - alpha0} is
 *                         never negative)
 * @param rowSolve         how each row's system is solved: exactly, or by a few steps of
 *                         conjugate gradient from the row's current factors
 * @param cgSteps          conjugate-gradient steps per row and half-step, at least 1 (used by
 *                         {@link RowSolve#CG})
 * @param nu               the exponent of the {@code ials} penalty
 *                         {@code lambda (n_r + alpha0 N)^nu} ({@link Regularizer#ials}); in
 *                         {@code [0, 2]}
 */
public record ImplicitFeedback(double alpha, Confidence confidence, double epsilon, double unobservedWeight,
                               RowSolve rowSolve, int cgSteps, double nu) {

    /** How an observed value becomes a confidence. */
    public enum Confidence {
        /** {@code 1 + alpha r} (HKV's first form; Spark MLlib's {@code implicitPrefs}). */
        LINEAR,
        /** {@code 1 + alpha log(1 + r / epsilon)} (HKV's second form, for counts with a long tail). */
        LOG;

        public static Confidence parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "log" -> LOG;
                default -> throw new IllegalArgumentException("confidence must be linear or log but was " + s);
            };
        }
    }

    /** How each row's normal equation is solved. */
    public enum RowSolve {
        /** The exact solve by Cholesky factorisation, the backend's. */
        CHOLESKY,
        /**
         * A fixed number of conjugate-gradient steps warm-started from the row's current
         * factors (Takacs, Pilaszy and Tikk, "Applications of the conjugate gradient method for
         * implicit feedback collaborative filtering", RecSys 2011; the {@code implicit}
         * library's default). Cheaper per row at large ranks; not an exact minimisation.
         */
        CG,
        /**
         * {@link #CG} with the passes over each row's entries in single precision: the fixed
         * factors rounded to {@code float} once per half-step, their products with the iterate
         * taken in float; iterates, scalars and the model stay double (the {@code implicit}
         * library computes in float32 throughout). Faster where those passes are bound by
         * memory (large data, rank about 64); agrees with {@link #CG} only to about float's
         * precision times the row's conditioning. Only for a backend that has it
         * ({@link io.als.spi.Solver#singlePrecisionCg()}: {@code vector}).
         */
        CG_FLOAT;

        public static RowSolve parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "cholesky", "exact" -> CHOLESKY;
                case "cg" -> CG;
                case "cg-float" -> CG_FLOAT;
                default -> throw new IllegalArgumentException("solve must be cholesky, cg or cg-float but was " + s);
            };
        }

        /** Whether rows are solved by conjugate gradient ({@link #CG} or {@link #CG_FLOAT}). */
        public boolean isCg() {
            return this != CHOLESKY;
        }

        /** The name {@link #parse} takes: {@code cholesky}, {@code cg} or {@code cg-float}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ImplicitFeedback {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new ConfigurationException("alpha must be positive and finite but was " + alpha);
        }
        if (confidence == null || rowSolve == null) {
            throw new ConfigurationException("confidence and solve must be given");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new ConfigurationException("epsilon must be positive and finite but was " + epsilon);
        }
        if (!(unobservedWeight > 0 && unobservedWeight <= 1)) {
            throw new ConfigurationException("unobserved weight (alpha0) must be in (0, 1] but was "
                    + unobservedWeight);
        }
        if (cgSteps < 1) {
            throw new ConfigurationException("cg-steps must be at least 1 but was " + cgSteps);
        }
        if (!(nu >= 0 && nu <= 2)) {
            throw new ConfigurationException("nu must be between 0 and 2 but was " + nu);
        }
    }

    /** The confidence {@code c} of an observed value {@code r >= 0}. */
    public double confidence(double r) {
        return confidence == Confidence.LINEAR ? 1 + alpha * r : 1 + alpha * Math.log1p(r / epsilon);
    }

    /**
     * The weight an observed cell adds to its row's matrix beyond the shared term:
     * {@code c - alpha0}, never negative.
     */
    public double extraWeight(double r) {
        return confidence(r) - unobservedWeight;
    }

    /**
     * The entries as an implicit half-step poses them: value {@code c} (preference 1 times
     * confidence) and weight {@code c - alpha0} on every entry, except that a listed value of 0
     * means no preference and becomes value 0 and weight 0, so that the cell counts exactly as
     * an unobserved one (Spark MLlib's rule).
     *
     * @param view     raw values (counts, ratings, or 1); not modified
     * @param negative the exception to throw for entry {@code e} (its index in {@code view})
     *                 whose value is negative or NaN
     */
    public io.als.spi.SparseView weighted(io.als.spi.SparseView view,
                                          java.util.function.IntFunction<RuntimeException> negative) {
        double[] values = view.valuesCopy();
        double[] weights = new double[values.length];
        for (int e = 0; e < values.length; e++) {
            double r = values[e];
            if (!(r >= 0)) {
                throw negative.apply(e);
            }
            weights[e] = r == 0 ? 0 : extraWeight(r);
            values[e] = r == 0 ? 0 : confidence(r);
        }
        return view.withValues(values).withWeights(weights);
    }

    /** The same settings with another alpha (a grid search varies it this way). */
    public ImplicitFeedback withAlpha(double a) {
        return new ImplicitFeedback(a, confidence, epsilon, unobservedWeight, rowSolve, cgSteps, nu);
    }

    /** The same settings with another way of solving rows. */
    public ImplicitFeedback withRowSolve(RowSolve s, int steps) {
        return new ImplicitFeedback(alpha, confidence, epsilon, unobservedWeight, s, steps, nu);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "implicit(alpha %s, %s%s, alpha0 %s, %s, nu %s)", alpha,
                confidence.name().toLowerCase(Locale.ROOT),
                confidence == Confidence.LOG ? " eps " + epsilon : "", unobservedWeight,
                rowSolve.isCg() ? rowSolve.label() + " " + cgSteps : "cholesky", nu);
    }
}
