package io.als.api;

import io.als.spi.FactorMatrix;

/**
 * Hears about a fit as it runs: once per half-step. Progress displays, logs and tests all
 * use this. Called on the fitting thread; keep it quick.
 */
@FunctionalInterface
public interface FitListener {

    /** A listener that ignores everything (and so does not need the loss). */
    FitListener NONE = new FitListener() {
        @Override
        public void onHalfStep(HalfStep event) {
        }

        @Override
        public boolean needsLoss() {
            return false;
        }
    };

    void onHalfStep(HalfStep event);

    /**
     * Whether this listener reads {@link HalfStep#sse()} and {@link HalfStep#objective()}.
     * Evaluating them is a pass over every rating after every half-step (at rank 10 on
     * MovieLens 1M about a sixth of the fit's time, docs/design-notes.md), so a listener
     * that only wants progress or timing returns false, and those fields are then NaN unless
     * the driver needed the loss anyway (for the {@code tolerance} test).
     */
    default boolean needsLoss() {
        return true;
    }

    /**
     * Whether this listener reads the loss after a half-step of this side. A listener that
     * reports once per full iteration answers true for {@link Side#USERS} only, which halves
     * the cost. Defaults to {@link #needsLoss()}.
     */
    default boolean needsLoss(Side side) {
        return needsLoss();
    }

    /** Which factor matrix a half-step solved. */
    enum Side {
        ITEMS, USERS
    }

    /**
     * What one half-step did.
     *
     * @param iteration    1-based full iteration
     * @param side         which matrix was just solved
     * @param sse          sum of squared errors over the observed ratings after this half-step
     *                     (NaN when not evaluated, see {@link FitListener#needsLoss()})
     * @param objective    {@code sse} plus the penalty terms: the quantity ALS never increases
     *                     (NaN when not evaluated)
     * @param elapsedNanos time spent in this half-step's solve
     * @param users        the current user factors; valid during the call only (copy to keep)
     * @param items        the current item factors; valid during the call only (copy to keep).
     *                     {@code users.dot(u, items, i)} is the current prediction; in a biased
     *                     fit both carry three extra columns for the biases and the mean (see
     *                     {@link AlternatingLeastSquares})
     */
    record HalfStep(int iteration, Side side, double sse, double objective, long elapsedNanos,
                    FactorMatrix users, FactorMatrix items) {
    }
}
