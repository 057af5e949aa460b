package io.als.spark;

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
 */
record StepSpec(String solver, int rank, boolean biased, double mean, String regularizer, double lambda,
                Regularizer custom, int threads, long seed, Initialization init, IdTables ids)
        implements Serializable {

    /** Values per row: the rank, plus one for the bias of a biased fit. */
    int width() {
        return biased ? rank + 1 : rank;
    }

    /** The penalty per row. */
    Regularizer penalty() {
        return custom != null ? custom : Regularizer.of(regularizer, lambda);
    }
}
