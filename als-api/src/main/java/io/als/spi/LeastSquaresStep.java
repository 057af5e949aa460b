package io.als.spi;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.internal.Checks;

/**
 * One half of an ALS iteration: with one factor matrix held fixed, solve every row of the
 * other by regularised least squares over that row's observed ratings. This is the part a
 * linear-algebra backend supplies.
 *
 * <p>For each row {@code r} of {@code observed}, with observed columns {@code j} and values
 * {@code a_rj}, the step writes into row {@code r} of {@code target} the minimiser
 * <pre>
 *   x_r = argmin_x  sum_j (a_rj - x . f_j)^2 + lambda_r ||x||^2,   lambda_r = reg.penalty(n_r)
 * </pre>
 * where {@code f_j} is row {@code j} of {@code fixed}; that is, the solution of the normal
 * equation {@code (F_r^T F_r + lambda_r I) x_r = F_r^T a_r}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Modified:</b> only {@code target}, and every one of its rows.
 *       <b>Not modified:</b> {@code observed}, {@code fixed}, {@code reg}.</li>
 *   <li><b>Rows with no ratings</b> get the zero vector (the limit of the regularised
 *       solution; it predicts 0, so cold-start handling belongs to the caller).</li>
 *   <li><b>Singular systems</b> (for example {@code lambda_r = 0} and fewer ratings than the
 *       rank) throw {@link SingularSystemException} naming the row; nothing is silently
 *       replaced.</li>
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
     * Solves every row of {@code observed} against {@code fixed}.
     *
     * @param observed the ratings, one compressed row per row to solve; its column indices
     *                 index rows of {@code fixed}. Not modified.
     * @param fixed    the factor matrix held fixed, {@code observed.cols()} rows. Not modified.
     * @param reg      the penalty per row. Not modified.
     * @param target   receives the solutions, {@code observed.rows()} rows of the same rank. Modified.
     * @throws SingularSystemException when a row's normal equation is not positive definite
     */
    void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, FactorMatrix target);

    /** Releases threads and workspaces. The default does nothing. */
    @Override
    default void close() {
    }

    /** Checks the shapes of a {@link #solve} call, for implementations. */
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
