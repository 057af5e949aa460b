package io.als.api;

/**
 * A row's normal equation {@code F^T F + lambda I} is not (numerically) positive definite,
 * so its least-squares solution is not unique. Carries the row, the number of unknowns (the
 * rank, plus one for a biased fit's bias), the rating count and the penalty; the driver adds
 * which side (user or item) and the external id.
 */
public class SingularSystemException extends NumericalException {
    private final int row;
    private final int rank;
    private final int observations;
    private final double penalty;

    public SingularSystemException(int row, int rank, int observations, double penalty) {
        this(null, row, rank, observations, penalty);
    }

    public SingularSystemException(String rowName, int row, int rank, int observations, double penalty) {
        super(message(rowName == null ? "row " + row : rowName, rank, observations, penalty));
        this.row = row;
        this.rank = rank;
        this.observations = observations;
        this.penalty = penalty;
    }

    private static String message(String rowName, int rank, int observations, double penalty) {
        return "normal equation of " + rowName + " is singular: " + rank + " unknowns, " + observations
                + " rating(s), penalty " + penalty
                + (penalty == 0 ? "; give it a penalty (a --lambda above 0, e.g. 0.1, and a --regularizer other"
                + " than none) or lower the rank"
                : Double.isInfinite(penalty) ? "; lower lambda (lambda times the rating count overflowed)"
                : "; raise lambda");
    }

    /** The same failure, naming the row by side and external id. */
    public SingularSystemException named(String rowName) {
        SingularSystemException e = new SingularSystemException(rowName, row, rank, observations, penalty);
        e.initCause(this);
        return e;
    }

    public int row() {
        return row;
    }

    public int rank() {
        return rank;
    }

    public int observations() {
        return observations;
    }

    public double penalty() {
        return penalty;
    }
}
