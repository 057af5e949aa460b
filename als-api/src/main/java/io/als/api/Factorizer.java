package io.als.api;

/** Fits a {@link Model} to ratings. */
public interface Factorizer {

    /** Fits, reporting every half-step to {@code listener}. */
    Model fit(Ratings ratings, FitListener listener);

    default Model fit(Ratings ratings) {
        return fit(ratings, FitListener.NONE);
    }
}
