package io.als.spark;

import io.als.api.ImplicitFeedback;
import io.als.api.Initialization;
import io.als.api.Regularizer;
import java.io.Serializable;

/**
 * What an executor needs to know to solve a block: the settings of the fit that reach the
 * row solves, in a form that serialises (the library's configuration objects need not).
 *
 * @param solver      the backend's name, resolved in the executor ({@link ExecutorSolvers})
 * @param rank        the rank {@code k}
 * @param biased      whether rows carry a bias ({@code [factors, bias]}, width {@code k + 1})
 * @param mean        the global mean of a biased fit (0 otherwise)
 * @param regularizer the penalty's name ({@code none}, {@code l2}, {@code weighted}), or null
 *                    when {@code custom} is given
 * @param lambda      its strength
 * @param custom      a serialisable custom penalty, or null
 * @param threads     threads per row solve step (Spark's {@code spark.task.cpus})
 * @param seed        the fit's seed, for the initial user rows
 * @param init        how the user rows start
 * @param ids         the ids of both sides, for messages
 * @param implicit    the implicit-feedback settings of an implicit fit, or null
 * @param shipFloats  whether factor rows travel rounded to floats ({@link SparkAls.Builder#shipFloats})
 */
record StepSpec(String solver, int rank, boolean biased, double mean, String regularizer, double lambda,
                Regularizer custom, int threads, long seed, Initialization init, IdTables ids,
                Implicit implicit, boolean shipFloats) implements Serializable {

    /** {@link ImplicitFeedback}'s settings in a form that serialises. */
    record Implicit(double alpha, ImplicitFeedback.Confidence confidence, double epsilon, double unobservedWeight,
                    ImplicitFeedback.RowSolve rowSolve, int cgSteps, double nu, double bm25K1, double bm25B)
            implements Serializable {
        static Implicit of(ImplicitFeedback f) {
            return f == null ? null : new Implicit(f.alpha(), f.confidence(), f.epsilon(), f.unobservedWeight(),
                    f.rowSolve(), f.cgSteps(), f.nu(), f.bm25K1(), f.bm25B());
        }

        ImplicitFeedback settings() {
            return new ImplicitFeedback(alpha, confidence, epsilon, unobservedWeight, rowSolve, cgSteps, nu, bm25K1,
                    bm25B);
        }

        boolean cg() {
            return rowSolve.isCg();
        }

        boolean singlePrecision() {
            return rowSolve == ImplicitFeedback.RowSolve.CG_FLOAT;
        }
    }

    /** Values per row: the rank, plus one for the bias of a biased fit. */
    int width() {
        return biased ? rank + 1 : rank;
    }

    /** The penalty per row (of an implicit fit: before {@link Regularizer#forSide}). */
    Regularizer penalty() {
        return custom != null ? custom : builtIn(regularizer, lambda, implicit == null ? 1 : implicit.nu());
    }

    /**
     * The penalty of row solves on one side: of an implicit fit, bound to the side's
     * {@code alpha0 N} unobserved cells as the single-machine fit binds it.
     *
     * @param solvingItems whether the items are solved (the users held fixed)
     */
    Regularizer penalty(boolean solvingItems) {
        Regularizer reg = penalty();
        if (implicit == null) {
            return reg;
        }
        int other = solvingItems ? ids.users().size() : ids.items().size();
        return reg.forSide(implicit.unobservedWeight() * other);
    }

    /** A built-in penalty from its name and lambda ({@code nu} for {@code ials}). */
    static Regularizer builtIn(String name, double lambda, double nu) {
        return name.equals("ials") ? Regularizer.ials(lambda, nu) : Regularizer.of(name, lambda);
    }
}
