package io.als.api;

import io.als.internal.Checks;
import java.util.Locale;

/**
 * The ridge penalty on one row's factor vector. Solving row {@code r} with {@code n_r}
 * observations minimises
 * <pre>
 *   sum over observed j of (a_rj - x . f_j)^2  +  penalty(n_r) * ||x||^2
 * </pre>
 * so {@code penalty(n)} is added to the diagonal of the row's normal equation.
 */
public interface Regularizer {

    /** The diagonal term for a row with {@code observations} ratings. */
    double penalty(int observations);

    /** The name used in configuration: {@code none}, {@code l2} or {@code weighted}. */
    String name();

    /** The strength lambda (0 for {@code none}). */
    double lambda();

    /**
     * The same kind of penalty with strength {@code lambda} (a grid search varies lambda
     * this way). {@code none} stays {@code none}.
     */
    Regularizer withLambda(double lambda);

    /** No penalty at all: plain least squares, as in the reference example. */
    static Regularizer none() {
        return new Named("none", 0, false);
    }

    /** {@code lambda * I}: the same ridge for every row. */
    static Regularizer l2(double lambda) {
        return new Named("l2", Checks.nonNegative("lambda", lambda), false);
    }

    /**
     * {@code lambda * n_r * I}: weighted-lambda regularisation (ALS-WR, Zhou, Wilkinson,
     * Schreiber and Pan, "Large-scale parallel collaborative filtering for the Netflix
     * prize", AAIM 2008), which Spark MLlib's ALS also uses. Rows with more ratings get a
     * proportionally larger penalty, so lambda need not be retuned as data grows.
     */
    static Regularizer weighted(double lambda) {
        return new Named("weighted", Checks.nonNegative("lambda", lambda), true);
    }

    /** Parses a name ({@code none}, {@code l2}, {@code weighted}) with its lambda. */
    static Regularizer of(String name, double lambda) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> none();
            case "l2" -> l2(lambda);
            case "weighted", "als-wr" -> weighted(lambda);
            default -> throw new IllegalArgumentException(
                    "regularizer must be one of l2, none, weighted but was " + name);
        };
    }

    /** The three built-in regularizers. */
    record Named(String name, double lambda, boolean scaledByCount) implements Regularizer {
        @Override
        public double penalty(int observations) {
            return scaledByCount ? lambda * observations : lambda;
        }

        @Override
        public Regularizer withLambda(double lambda) {
            return name.equals("none") ? this : new Named(name, Checks.nonNegative("lambda", lambda), scaledByCount);
        }

        @Override
        public String toString() {
            return name.equals("none") ? "none" : name + "(" + lambda + ")";
        }
    }
}
