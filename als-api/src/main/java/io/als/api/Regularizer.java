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

    /**
     * iALS's frequency-scaled penalty (Rendle et al. 2021, section 3.3):
     * {@code lambda (n_r + alpha0 N)^nu}, where {@code n_r} is the row's observed count,
     * {@code N} the number of rows on the other side and {@code alpha0} the unobserved weight
     * of an implicit fit. Until {@link #forSide} binds {@code alpha0 N} it is taken as 0, so
     * {@code nu = 1} is then the weighted penalty and {@code nu = 0} the constant one.
     */
    static Regularizer ials(double lambda, double nu) {
        return new Frequency(Checks.nonNegative("lambda", lambda), nu, 0);
    }

    /**
     * This penalty for one side of an implicit fit, whose every row also has
     * {@code unobserved} = {@code alpha0 N} weighted cells besides its observed ones. Only
     * {@link #ials} depends on it; the default returns this penalty unchanged.
     */
    default Regularizer forSide(double unobserved) {
        return this;
    }

    /** Parses a name ({@code none}, {@code l2}, {@code weighted}) with its lambda. */
    static Regularizer of(String name, double lambda) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> none();
            case "l2" -> l2(lambda);
            case "weighted", "als-wr" -> weighted(lambda);
            case "ials" -> ials(lambda, 1);
            default -> throw new IllegalArgumentException(
                    "regularizer must be one of ials, l2, none, weighted but was " + name);
        };
    }

    /** {@link #ials}: {@code lambda (n + unobserved)^nu}. */
    record Frequency(double lambda, double nu, double unobserved) implements Regularizer {
        public Frequency {
            if (!(nu >= 0 && nu <= 2)) {
                throw new IllegalArgumentException("nu must be between 0 and 2 but was " + nu);
            }
        }

        @Override
        public double penalty(int observations) {
            double n = observations + unobserved;
            return nu == 1 ? lambda * n : nu == 0 ? lambda : lambda * Math.pow(n, nu);
        }

        @Override
        public String name() {
            return "ials";
        }

        @Override
        public Regularizer withLambda(double l) {
            return new Frequency(Checks.nonNegative("lambda", l), nu, unobserved);
        }

        @Override
        public Regularizer forSide(double unobservedCells) {
            return new Frequency(lambda, nu, unobservedCells);
        }

        @Override
        public String toString() {
            return "ials(" + lambda + ", nu " + nu + ")";
        }
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
