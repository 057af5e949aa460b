package io.als.api;

import java.util.function.Supplier;

/**
 * Hears about a fit as it runs: once per half-step. Progress displays, logs, cross-validation
 * curves and tests all use this. Called on the fitting thread; keep it quick.
 *
 * <p>What a listener does not read costs nothing: the loss and the snapshot of an event are
 * computed only when asked for (see {@link HalfStep}).
 */
@FunctionalInterface
public interface FitListener {

    /** A listener that ignores everything. */
    FitListener NONE = event -> { };

    void onHalfStep(HalfStep event);

    /**
     * Called once, before the first half-step, when the fit was asked to choose lambda from
     * the data ({@link AlsConfig#lambdaAuto()}): {@code searched} says whether the search ran
     * ({@code heldOut} ratings held out) or was skipped, because no rating could be held out
     * (tiny data) or lambda is 0, in which case {@code lambda} is the configured one and
     * {@code heldOut} is 0. Ignored
     * unless overridden.
     */
    default void onLambdaChosen(double lambda, boolean searched, int heldOut) {
    }

    /** Which factor matrix a half-step solved. */
    enum Side {
        ITEMS, USERS
    }

    /**
     * What one half-step did, and the state of the fit after it.
     *
     * <p><b>Valid during the callback only.</b> The state the event describes is the driver's
     * and changes with the next half-step. {@link #sse()}, {@link #objective()} and
     * {@link #snapshot()} are computed on their first call and remembered, so calling them
     * again is free, and a value computed during the callback can still be read afterwards;
     * but once {@link FitListener#onHalfStep} has returned, anything not computed by then
     * (and every {@link #predict}) throws {@link IllegalStateException}. To keep the state,
     * keep the {@link #snapshot()}.
     *
     * <p>The loss is a pass over every rating (at rank 10 on MovieLens 1M about a sixth of a
     * half-step's time, docs/design-notes.md), which is why nothing computes it unless it is
     * read: a listener that only shows progress or times the fit never pays for it.
     */
    final class HalfStep {
        private final int iteration;
        private final Side side;
        private final boolean sampling;
        private final long elapsedNanos;
        private final Supplier<double[]> loss;
        private final FitState state;
        private final Supplier<Model> snapshotter;
        private double[] lossValue;
        private Model snapshotValue;
        private boolean open = true;

        /**
         * @param loss        computes {@code {sse, objective}} of the current state
         * @param state       the state, for predictions
         * @param snapshotter builds the model of the current state
         */
        HalfStep(int iteration, Side side, boolean sampling, long elapsedNanos, Supplier<double[]> loss,
                 FitState state, Supplier<Model> snapshotter) {
            this.iteration = iteration;
            this.side = side;
            this.sampling = sampling;
            this.elapsedNanos = elapsedNanos;
            this.loss = loss;
            this.state = state;
            this.snapshotter = snapshotter;
        }

        /**
         * The 1-based full iteration; posterior sampling sweeps continue the count after the
         * configured iterations (sweep {@code s} is iteration {@code iterations + s}, even when
         * the tolerance stopped the ALS iterations early).
         */
        public int iteration() {
            return iteration;
        }

        /** Which matrix was just solved. */
        public Side side() {
            return side;
        }

        /** Whether this half-step was a posterior sampling draw rather than an ALS solve. */
        public boolean sampling() {
            return sampling;
        }

        /** Time spent in this half-step's solve. */
        public long elapsedNanos() {
            return elapsedNanos;
        }

        /**
         * The sum of squared errors over the observed ratings after this half-step, computed on
         * the first call of this or {@link #objective()} (a pass over the ratings) and remembered.
         */
        public double sse() {
            return loss()[0];
        }

        /**
         * {@link #sse()} plus the penalty terms: the quantity ALS never increases (during
         * sampling sweeps it fluctuates instead). Computed together with {@link #sse()}.
         */
        public double objective() {
            return loss()[1];
        }

        /**
         * The current prediction for user index {@code user} and item index {@code item}:
         * what {@link #snapshot()}{@code .predictIndex(user, item)} would give, without
         * building the snapshot. During a sampling sweep it is this sweep's draw, not the
         * average the final model predicts.
         */
        public double predict(int user, int item) {
            requireOpen("predict");
            int users = state.ratings.numUsers();
            int items = state.ratings.numItems();
            if (user < 0 || user >= users || item < 0 || item >= items) {
                throw new IndexOutOfBoundsException("user index must be in [0, " + users + ") and item index in [0, "
                        + items + ") but were " + user + " and " + item);
            }
            return state.predict(user, item);
        }

        /**
         * The model of the current state (one sample: the current factors, and biases in a
         * biased fit), built on the first call and remembered. It is a copy, so it stays valid
         * after the callback. During a sampling sweep it is this sweep's draw alone.
         */
        public Model snapshot() {
            if (snapshotValue == null) {
                requireOpen("snapshot");
                snapshotValue = snapshotter.get();
            }
            return snapshotValue;
        }

        /** {@code {sse, objective}}, computed once. */
        double[] loss() {
            if (lossValue == null) {
                requireOpen("sse and objective");
                lossValue = loss.get();
            }
            return lossValue;
        }

        /**
         * Whether the loss has been computed already (by the driver for its tolerance test, which
         * it does before calling the listener on every user half-step of an ALS iteration when
         * {@link AlsConfig#tolerance()} is positive; or by another read), so that reading it now
         * costs nothing: a progress display can show it when it is free and skip it otherwise.
         */
        public boolean lossKnown() {
            return lossValue != null;
        }

        /** Ends the callback: from now on nothing new can be computed. */
        void close() {
            open = false;
        }

        private void requireOpen(String what) {
            if (!open) {
                throw new IllegalStateException(what + " of a half-step can be read only during the listener's call"
                        + " (iteration " + iteration + ", " + side + "); keep snapshot() to use the state later");
            }
        }

        @Override
        public String toString() {
            return "HalfStep[iteration " + iteration + ", " + side + (sampling ? ", sampling" : "") + ", "
                    + elapsedNanos + " ns" + (lossValue == null ? "" : ", sse " + lossValue[0] + ", objective "
                    + lossValue[1]) + "]";
        }
    }
}
