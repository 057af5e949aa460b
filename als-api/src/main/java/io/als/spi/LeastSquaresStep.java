package io.als.spi;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;

/**
 * One half of an ALS iteration: with one factor matrix held fixed, solve every row of the
 * other by regularised, weighted least squares over that row's entries. This is the part a
 * linear-algebra backend supplies.
 *
 * <p>For each row {@code r} of {@code observed}, with entries {@code e} that name rows
 * {@code f_e} of {@code fixed} and carry a weight {@code w_e} and a value {@code v_e}, the
 * step writes into row {@code r} of {@code target} the solution of
 * <pre>
 *   (G + sum_e w_e f_e f_e^T + lambda_r I) x_r = sum_e v_e f_e,     lambda_r = reg.penalty(n_r)
 * </pre>
 * where {@code G} is the optional {@code shared} Gram term (zero when null) and {@code n_r}
 * the number of entries of the row. This is the normal equation of
 * <pre>
 *   x_r = argmin_x  x^T G x + sum_e w_e (a_e - x . f_e)^2 + lambda_r ||x||^2
 * </pre>
 * when {@code v_e = w_e a_e}, and it covers the three problems the library poses:
 * <ul>
 *   <li><b>explicit ratings:</b> no weights (every {@code w_e = 1}), {@code v_e} the rating,
 *       no shared term;</li>
 *   <li><b>weighted least squares:</b> weights {@code c_e}, values {@code c_e a_e};</li>
 *   <li><b>implicit feedback</b> (Hu, Koren and Volinsky 2008): {@code G = Y^T Y},
 *       {@code w_e = c_e - 1}, {@code v_e = c_e p_e}, which is
 *       {@code (Y^T Y + Y^T (C_u - I) Y + lambda I) x_u = Y^T C_u p_u}.</li>
 * </ul>
 * Weight and value are separate, as in Spark MLlib's {@code NormalEquation.add(a, b, c)}, so
 * an entry may add to the right-hand side without adding to the matrix ({@code w_e = 0}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Modified:</b> only {@code target}, and every one of its rows.
 *       <b>Not modified:</b> {@code observed}, {@code fixed}, {@code reg}, {@code shared}.</li>
 *   <li><b>Rows with no entries</b> get the zero vector (their right-hand side is zero; it
 *       predicts 0, so cold-start handling belongs to the caller).</li>
 *   <li><b>Singular systems</b> (for example {@code lambda_r = 0} and fewer entries than the
 *       rank) throw {@link SingularSystemException} naming the row; nothing is silently
 *       replaced.</li>
 *   <li><b>Weights of 1:</b> a view whose weights are all 1 gives bit for bit the result of
 *       the same view without weights.</li>
 *   <li><b>Determinism:</b> a row's solution depends only on its inputs, never on how rows
 *       were split among threads, so results are bit-identical for every thread count.</li>
 *   <li><b>Threads:</b> one {@code solve} call may use the threads the step was created with;
 *       a step instance is not safe for concurrent {@code solve} calls (it owns workspaces).</li>
 * </ul>
 */
public interface LeastSquaresStep extends AutoCloseable {
    /**
     * The pivot test of the built-in solvers: a Cholesky pivot whose square is below this
     * fraction of the matching diagonal entry of the matrix (penalty included) means the
     * system is singular to working precision. The solution would be dominated by rounding
     * error, so the row is reported as a {@link SingularSystemException} instead. Every
     * built-in solver uses this one threshold, so they all report the same rows.
     */
    double RELATIVE_PIVOT_FLOOR = 1e-13;

    /**
     * Whether a Cholesky pivot passes the {@link #RELATIVE_PIVOT_FLOOR} test:
     * {@code squaredPivot} is the square of the factor's diagonal entry (the value under the
     * square root) and {@code diagonal} the matching entry of the matrix, penalty included.
     * False for NaN. The one pivot check of every built-in solver.
     */
    static boolean pivotHolds(double squaredPivot, double diagonal) {
        return squaredPivot > RELATIVE_PIVOT_FLOOR * diagonal;
    }

    /**
     * Solves every row of {@code observed} against {@code fixed}; see the class comment for
     * the system.
     *
     * @param observed the entries, one compressed row per row to solve; its column indices
     *                 index rows of {@code fixed}; weighted or not. Not modified.
     * @param fixed    the factor matrix held fixed, {@code observed.cols()} rows. Not modified.
     * @param reg      the penalty per row. Not modified.
     * @param shared   the Gram term added to every row's matrix, of the rank of {@code fixed},
     *                 or null for none. Not modified.
     * @param target   receives the solutions, {@code observed.rows()} rows of the same rank. Modified.
     * @throws SingularSystemException when a row's normal equation is not positive definite
     */
    void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target);

    /** {@link #solve(SparseView, FactorMatrix, Regularizer, Gram, FactorMatrix)} with no shared term. */
    default void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, FactorMatrix target) {
        solve(observed, fixed, reg, null, target);
    }

    /**
     * Improves every row of {@code target} by {@code steps} steps of conjugate gradient on
     * the same system as {@link #solve(SparseView, FactorMatrix, Regularizer, Gram, FactorMatrix)},
     * starting from the row's current values in {@code target} (Takacs, Pilaszy and Tikk 2011;
     * the {@code implicit} library's solver). Rows without entries get the zero vector, as in
     * {@code solve}; a row whose system cannot be solved (no penalty, no shared term and fewer
     * entries than the rank) throws {@link SingularSystemException}. After {@code rank} steps
     * the result agrees with {@code solve} up to rounding on a well-conditioned row. Results
     * are bit-identical for every thread count.
     *
     * <p>The default runs {@link io.als.spi.rowwise.ConjugateGradient} on the calling thread;
     * the built-in backends run it (or their own) on their worker threads.
     *
     * @param target the starting point on entry, the result on return. Modified.
     * @param steps  conjugate-gradient steps per row, at least 1
     */
    default void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                        FactorMatrix target, int steps) {
        checkShapes(observed, fixed, shared, target);
        io.als.spi.rowwise.ConjugateGradient cg = new io.als.spi.rowwise.ConjugateGradient(fixed.rank());
        double[] x = new double[fixed.rank()];
        for (int r = 0; r < observed.rows(); r++) {
            io.als.spi.rowwise.RowwiseLeastSquaresStep.conjugateGradientRow(cg, observed, r, fixed, reg, shared,
                    target, x, steps);
        }
    }

    /**
     * Whether {@link #solveConjugateGradient(SparseView, FactorMatrix, Regularizer, Gram, FactorMatrix, int, boolean)}
     * can run in single precision. The default: no.
     */
    default boolean singlePrecisionCg() {
        return false;
    }

    /**
     * {@link #solveConjugateGradient(SparseView, FactorMatrix, Regularizer, Gram, FactorMatrix, int)}, with the
     * passes over each row's entries in single precision where {@code singlePrecision} is true: the fixed
     * factor rows rounded to {@code float} and their products with the iterate taken in float, the
     * iterates themselves and everything else in double (the {@code implicit} library computes in
     * float32 throughout). Faster where those passes are bound by memory; the result agrees with the
     * double-precision one only to about float's precision times the row's conditioning, which is why
     * it is an option. Still deterministic: bit-identical for every thread count. A step that cannot
     * ({@link #singlePrecisionCg()} false) throws {@link UnsupportedOperationException}; the default
     * can only run in double.
     *
     * @throws UnsupportedOperationException when {@code singlePrecision} and the step has no such solver
     */
    default void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                        FactorMatrix target, int steps, boolean singlePrecision) {
        if (singlePrecision) {
            throw new UnsupportedOperationException("this backend has no single-precision conjugate gradient");
        }
        solveConjugateGradient(observed, fixed, reg, shared, target, steps);
    }

    /**
     * The sum of squared errors of {@code rows} against {@code fixed} over the entries of
     * {@code observed}: over each row {@code r} and its entries {@code e},
     * {@code (value_e - rows_r . fixed_{index_e})^2}, from the values alone (weights, if any,
     * are not used). It is what {@link io.als.api.Objective} sums for an explicit fit's loss
     * after a half-step; a backend with a faster kernel of its own may compute it, which the
     * driver then uses instead. The default is empty: the driver sums in Java.
     *
     * <p>A backend that computes it must agree with the definition to rounding (the kit checks
     * {@code 1e-12} of the total, scaled by its {@code relativeTolerance}) and give the same bits
     * for every thread count, as the driver's own sum does. It may return empty for shapes its
     * kernel does not handle (say, matrices wider than its rank).
     *
     * @param observed the entries; {@code observed.rows() == rows.rows()} and
     *                 {@code observed.cols() == fixed.rows()}. Not modified.
     * @param rows     one factor row per row of {@code observed}. Not modified.
     * @param fixed    one factor row per column of {@code observed}, of the same rank. Not modified.
     */
    default java.util.OptionalDouble squaredErrors(SparseView observed, FactorMatrix rows, FactorMatrix fixed) {
        return java.util.OptionalDouble.empty();
    }

    /**
     * {@code F^T F} of a factor matrix, for use as a shared term. The default sums in Java
     * ({@link Gram#of}); a backend with a faster matrix product overrides it. Must agree with
     * {@link Gram#of} to rounding and be deterministic.
     *
     * @param f the factor matrix. Not modified.
     */
    default Gram gram(FactorMatrix f) {
        return Gram.of(f);
    }

    /** Releases threads and workspaces. The default does nothing. */
    @Override
    default void close() {
    }

    /** Checks the shapes of a {@link #solve} call, for implementations. */
    static void checkShapes(SparseView observed, FactorMatrix fixed, Gram shared, FactorMatrix target) {
        checkShapes(observed, fixed, target);
        if (shared != null && shared.rank() != fixed.rank()) {
            throw new IllegalArgumentException("shared Gram must have rank " + fixed.rank() + " but had "
                    + shared.rank());
        }
    }

    /** Checks the shapes of a {@link #solve} call without a shared term, for implementations. */
    static void checkShapes(SparseView observed, FactorMatrix fixed, FactorMatrix target) {
        if (observed.cols() != fixed.rows()) {
            throw new IllegalArgumentException("fixed must have observed.cols() = " + observed.cols()
                    + " rows but had " + fixed.rows());
        }
        if (observed.rows() != target.rows()) {
            throw new IllegalArgumentException("target must have observed.rows() = " + observed.rows()
                    + " rows but had " + target.rows());
        }
        if (fixed.rank() != target.rank()) {
            throw new IllegalArgumentException("target must have rank " + fixed.rank() + " but had " + target.rank());
        }
    }
}
