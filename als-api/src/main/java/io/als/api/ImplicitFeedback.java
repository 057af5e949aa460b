package io.als.api;

import io.als.spi.SparseView;
import java.util.Locale;
import java.util.function.IntFunction;

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
 * {@code c = 1 + alpha log(1 + r / epsilon)} ({@link Confidence#LOG}) or {@code c = 1 + alpha x}
 * with {@code x} the BM25 weight of {@code r} ({@link Confidence#BM25}); every other cell has
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
 * @param bm25K1           BM25's saturation {@code k1}, positive and finite (used by
 *                         {@link Confidence#BM25})
 * @param bm25B            BM25's length normalisation {@code b}, in {@code [0, 1]} (used by
 *                         {@link Confidence#BM25})
 */
public record ImplicitFeedback(double alpha, Confidence confidence, double epsilon, double unobservedWeight,
                               RowSolve rowSolve, int cgSteps, double nu, double bm25K1, double bm25B) {

    /** {@link #bm25K1}'s default, the {@code implicit} library's {@code bm25_weight} default. */
    public static final double BM25_K1 = 100;
    /** {@link #bm25B}'s default, the {@code implicit} library's {@code bm25_weight} default. */
    public static final double BM25_B = 0.8;

    /** The settings with BM25's parameters at their defaults (unused unless the confidence is {@link Confidence#BM25}). */
    public ImplicitFeedback(double alpha, Confidence confidence, double epsilon, double unobservedWeight,
                            RowSolve rowSolve, int cgSteps, double nu) {
        this(alpha, confidence, epsilon, unobservedWeight, rowSolve, cgSteps, nu, BM25_K1, BM25_B);
    }

    /** How an observed value becomes a confidence. */
    public enum Confidence {
        /** {@code 1 + alpha r} (HKV's first form; Spark MLlib's {@code implicitPrefs}). */
        LINEAR,
        /** {@code 1 + alpha log(1 + r / epsilon)} (HKV's second form, for counts with a long tail). */
        LOG,
        /**
         * {@code 1 + alpha x}, with {@code x} the BM25 weight of the value in its user's row, as a
         * search engine weighs a term in a document (Robertson and Zaragoza, "The probabilistic
         * relevance framework: BM25 and beyond", 2009; the {@code implicit} library offers it as
         * {@code bm25_weight}):
         * {@code x = r (k1 + 1) / (k1 (1 - b + b n_u / mean n) + r) log(N / f_i)}, with
         * {@code n_u} the user's number of entries, {@code mean n} the mean over the training
         * users, {@code N} the training users and {@code f_i} the item's training entries
         * ({@link Counts}). An entry of a long row counts less, one of a rare item more. It
         * differs from {@code implicit}'s {@code bm25_weight} in three ways: the row's length is
         * its number of entries (there, the sum of its values); the idf is {@code log(N / f_i)},
         * never negative (there, {@code log(N) - log(1 + f_i)}); and the weight enters through
         * {@code 1 + alpha x} (there, it is the confidence itself). Its parameters' defaults
         * are {@code bm25_weight}'s.
         */
        BM25;

        public static Confidence parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "log" -> LOG;
                case "bm25" -> BM25;
                default -> throw new IllegalArgumentException("confidence must be linear, log or bm25 but was " + s);
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
        if (!(bm25K1 > 0) || Double.isInfinite(bm25K1)) {
            throw new ConfigurationException("bm25-k1 must be positive and finite but was " + bm25K1);
        }
        if (!(bm25B >= 0 && bm25B <= 1)) {
            throw new ConfigurationException("bm25-b must be between 0 and 1 but was " + bm25B);
        }
    }

    /**
     * What {@link Confidence#BM25} needs of the training data: the number of users, their mean
     * number of entries, and each item's number of entries (every listed pair counts, a value of
     * 0 too).
     */
    public record Counts(int users, double meanUserEntries, int[] itemEntries) {
        /** The counts of training data given by user ({@code byUser}: rows users, indices items). */
        public static Counts of(SparseView byUser) {
            return of(byUser.rows(), byUser.cols(), byUser.nnz(), i -> byUser.index(i));
        }

        /** The counts of a model's rated pattern ({@link Model#ratedIndices()}), for fold-in. */
        public static Counts ofPattern(int users, int items, int[] ratedItems) {
            return of(users, items, ratedItems.length, i -> ratedItems[i]);
        }

        private static Counts of(int users, int items, int entries, java.util.function.IntUnaryOperator itemOf) {
            int[] f = new int[items];
            for (int e = 0; e < entries; e++) {
                f[itemOf.applyAsInt(e)]++;
            }
            // No entry at all (only a hand-built model can have none): a mean of 1, never 0/0.
            return new Counts(users, users == 0 || entries == 0 ? 1 : (double) entries / users, f);
        }
    }

    /** The confidence {@code c} of an observed value {@code r >= 0} ({@link Confidence#LINEAR} or {@link Confidence#LOG}). */
    public double confidence(double r) {
        return switch (confidence) {
            case LINEAR -> 1 + alpha * r;
            case LOG -> 1 + alpha * Math.log1p(r / epsilon);
            case BM25 -> throw new IllegalStateException("a BM25 confidence depends on the entry's user and item;"
                    + " give them (confidence(r, userEntries, item, counts))");
        };
    }

    /**
     * The confidence {@code c} of an observed value {@code r >= 0} in the row of a user with
     * {@code userEntries} entries, on item {@code item}; {@code counts} are the training data's
     * (used by {@link Confidence#BM25} only, may be null otherwise).
     */
    public double confidence(double r, int userEntries, int item, Counts counts) {
        if (confidence != Confidence.BM25) {
            return confidence(r);
        }
        double norm = 1 - bm25B + bm25B * userEntries / counts.meanUserEntries();
        double idf = Math.log((double) counts.users() / Math.max(1, counts.itemEntries()[item]));
        return 1 + alpha * (r * (bm25K1 + 1) / (bm25K1 * norm + r) * idf);
    }

    /** How {@link #weighted(SparseView, EntryContext, Counts, IntFunction)} finds an entry's user and item. */
    public interface EntryContext {
        /** The number of training entries of the user of entry {@code e} in row {@code row}. */
        int userEntries(int row, int e);

        /** The item of entry {@code e} in row {@code row}. */
        int item(int row, int e);

        /** A view whose rows are users and whose indices are items, as they stand. */
        static EntryContext rowsAreUsers(SparseView view) {
            return new EntryContext() {
                @Override
                public int userEntries(int row, int e) {
                    return view.count(row);
                }

                @Override
                public int item(int row, int e) {
                    return view.index(e);
                }
            };
        }

        /** A view whose rows are items and whose indices are users, with the users' rows in {@code byUser}. */
        static EntryContext rowsAreItems(SparseView view, SparseView byUser) {
            return new EntryContext() {
                @Override
                public int userEntries(int row, int e) {
                    return byUser.count(view.index(e));
                }

                @Override
                public int item(int row, int e) {
                    return row;
                }
            };
        }
    }

    /**
     * The largest confidence an entry may get: beyond about 1e15 the 1 of {@code 1 + alpha r}
     * is lost in double precision and a row's system is hopelessly ill-conditioned (one
     * backend then reported a singular system, another returned scores of 1e22).
     */
    public static final double MAX_CONFIDENCE = 1e15;

    /**
     * The entries as an implicit half-step poses them: value {@code c} (preference 1 times
     * confidence) and weight {@code c - alpha0} on every entry, except that a listed value of 0
     * means no preference and becomes value 0 and weight 0, so that the cell counts exactly as
     * an unobserved one (Spark MLlib's rule).
     *
     * @param view     raw values (counts, ratings, or 1); not modified
     * @param negative the exception to throw for entry {@code e} (its index in {@code view})
     *                 whose value is negative or NaN
     * @throws ConfigurationException when an entry's confidence exceeds {@link #MAX_CONFIDENCE}
     */
    public SparseView weighted(SparseView view, IntFunction<RuntimeException> negative) {
        return weighted(view, null, null, negative);
    }

    /**
     * {@link #weighted(SparseView, IntFunction)} for any confidence: {@code context} tells each
     * entry's user and item and {@code counts} are the training data's (both used by
     * {@link Confidence#BM25} only, and may be null for the others).
     */
    public SparseView weighted(SparseView view, EntryContext context, Counts counts,
                               IntFunction<RuntimeException> negative) {
        boolean bm25 = confidence == Confidence.BM25;
        if (bm25 && (context == null || counts == null)) {
            throw new IllegalStateException("a BM25 confidence needs the entries' users and items and the training counts");
        }
        double[] values = view.valuesCopy();
        double[] weights = new double[values.length];
        for (int row = 0; row < view.rows(); row++) {
            for (int e = view.start(row); e < view.end(row); e++) {
                double r = values[e];
                if (!(r >= 0)) {
                    throw negative.apply(e);
                }
                double c = r == 0 ? 0
                        : bm25 ? confidence(r, context.userEntries(row, e), context.item(row, e), counts) : confidence(r);
                if (!(c <= MAX_CONFIDENCE)) {
                    throw new ConfigurationException(String.format(Locale.ROOT, "alpha %s makes a confidence of %.4g"
                            + " (for a value of %s), above %.0e: the rows' systems would lose every digit (a backend"
                            + " either fails or returns meaningless factors); lower alpha", alpha, c, r,
                            MAX_CONFIDENCE));
                }
                weights[e] = r == 0 ? 0 : c - unobservedWeight;
                values[e] = c;
            }
        }
        return view.withValues(values).withWeights(weights);
    }

    /** The same settings with another alpha (a grid search varies it this way). */
    public ImplicitFeedback withAlpha(double a) {
        return new ImplicitFeedback(a, confidence, epsilon, unobservedWeight, rowSolve, cgSteps, nu, bm25K1, bm25B);
    }

    /** The same settings with another way of solving rows. */
    public ImplicitFeedback withRowSolve(RowSolve s, int steps) {
        return new ImplicitFeedback(alpha, confidence, epsilon, unobservedWeight, s, steps, nu, bm25K1, bm25B);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "implicit(alpha %s, %s%s, alpha0 %s, %s, nu %s)", alpha,
                confidence.name().toLowerCase(Locale.ROOT),
                confidence == Confidence.LOG ? " eps " + epsilon
                        : confidence == Confidence.BM25 ? " k1 " + bm25K1 + " b " + bm25B : "", unobservedWeight,
                rowSolve.isCg() ? rowSolve.label() + " " + cgSteps : "cholesky", nu);
    }
}
