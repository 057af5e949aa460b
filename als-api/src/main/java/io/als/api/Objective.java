package io.als.api;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;
import java.util.OptionalDouble;

/**
 * The ALS objective, summed in a fixed order so that it is bit-identical for every thread
 * count:
 * <pre>
 *   sse       = sum over observed (u,i) of (r_ui - U_u . P_i)^2
 *   objective = sse + sum_u penalty(n_u) ||U_u||^2 + sum_i penalty(n_i) ||P_i||^2
 * </pre>
 */
public final class Objective {
    /** Rows per partial sum. Fixed, so the summation order does not depend on threads. */
    private static final int BLOCK_ROWS = 256;

    private Objective() {
    }

    /** Returns {@code {sse, objective}}. */
    public static double[] evaluate(Ratings ratings, FactorMatrix users, FactorMatrix items,
                                    Regularizer reg, RowParallel parallel) {
        return evaluate(ratings, users, items, reg, parallel, null);
    }

    /**
     * Returns {@code {sse, objective}}, the squared errors from {@code step}'s own kernel when it
     * has one ({@link LeastSquaresStep#squaredErrors}), else summed here; the penalties always here.
     *
     * @param step a step of the fit's backend, open, or null to sum everything here
     */
    public static double[] evaluate(Ratings ratings, FactorMatrix users, FactorMatrix items,
                                    Regularizer reg, RowParallel parallel, LeastSquaresStep step) {
        SparseView byUser = ratings.byUser();
        OptionalDouble own = step == null ? OptionalDouble.empty() : step.squaredErrors(byUser, users, items);
        boolean sumErrors = own.isEmpty();
        int blocks = (byUser.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS;
        double[] sse = new double[blocks];
        double[] pen = new double[blocks];
        parallel.run(byUser.rows(), BLOCK_ROWS, (worker, from, to) -> {
            double s = 0;
            double p = 0;
            double[] uf = users.data();
            double[] pf = items.data();
            int k = users.rank();
            int ki = items.rank();
            for (int u = from; u < to; u++) {
                int uo = u * k;
                int e = byUser.start(u);
                int end = sumErrors ? byUser.end(u) : e;
                // Eight predictions at once: independent chains of additions keep
                // the floating-point units busy (one chain waits on each addition's latency),
                // and each dot product is still summed in column order and added to the total
                // in entry order, so every term (and the total) is the same as one at a time.
                for (; e + 8 <= end; e += 8) {
                    int o0 = byUser.index(e) * ki;
                    int o1 = byUser.index(e + 1) * ki;
                    int o2 = byUser.index(e + 2) * ki;
                    int o3 = byUser.index(e + 3) * ki;
                    int o4 = byUser.index(e + 4) * ki;
                    int o5 = byUser.index(e + 5) * ki;
                    int o6 = byUser.index(e + 6) * ki;
                    int o7 = byUser.index(e + 7) * ki;
                    double x0 = 0;
                    double x1 = 0;
                    double x2 = 0;
                    double x3 = 0;
                    double x4 = 0;
                    double x5 = 0;
                    double x6 = 0;
                    double x7 = 0;
                    for (int c = 0; c < k; c++) {
                        double w = uf[uo + c];
                        x0 += w * pf[o0 + c];
                        x1 += w * pf[o1 + c];
                        x2 += w * pf[o2 + c];
                        x3 += w * pf[o3 + c];
                        x4 += w * pf[o4 + c];
                        x5 += w * pf[o5 + c];
                        x6 += w * pf[o6 + c];
                        x7 += w * pf[o7 + c];
                    }
                    double d0 = byUser.value(e) - x0;
                    double d1 = byUser.value(e + 1) - x1;
                    double d2 = byUser.value(e + 2) - x2;
                    double d3 = byUser.value(e + 3) - x3;
                    double d4 = byUser.value(e + 4) - x4;
                    double d5 = byUser.value(e + 5) - x5;
                    double d6 = byUser.value(e + 6) - x6;
                    double d7 = byUser.value(e + 7) - x7;
                    s += d0 * d0;
                    s += d1 * d1;
                    s += d2 * d2;
                    s += d3 * d3;
                    s += d4 * d4;
                    s += d5 * d5;
                    s += d6 * d6;
                    s += d7 * d7;
                }
                for (; e < end; e++) {
                    double d = byUser.value(e) - users.dot(u, items, byUser.index(e));
                    s += d * d;
                }
                p += reg.penalty(byUser.count(u)) * users.squaredNorm(u);
            }
            sse[from / BLOCK_ROWS] = s;
            pen[from / BLOCK_ROWS] = p;
        });
        SparseView byItem = ratings.byItem();
        double itemPenalty = 0;
        for (int i = 0; i < byItem.rows(); i++) {
            itemPenalty += reg.penalty(byItem.count(i)) * items.squaredNorm(i);
        }
        double totalSse = 0;
        double totalPen = itemPenalty;
        for (int b = 0; b < blocks; b++) {
            totalSse += sse[b];
            totalPen += pen[b];
        }
        if (!sumErrors) {
            totalSse = own.getAsDouble();
        }
        return new double[] {totalSse, totalSse + totalPen};
    }

    /**
     * The observed part of the implicit objective, {@code sum_obs [c (1 - s)^2 - alpha0 s^2]}
     * with {@code s = x_u . y_i} and {@code c} the entry's value in {@code byUser} (the
     * confidence), summed in blocks of a fixed size in a fixed order.
     */
    static double implicitObserved(SparseView byUser, FactorMatrix users, FactorMatrix items, double alpha0,
                                   RowParallel parallel) {
        int blocks = (byUser.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS;
        double[] part = new double[blocks];
        parallel.run(byUser.rows(), BLOCK_ROWS, (worker, from, to) -> {
            double s = 0;
            for (int u = from; u < to; u++) {
                for (int e = byUser.start(u); e < byUser.end(u); e++) {
                    double score = users.dot(u, items, byUser.index(e));
                    double c = byUser.value(e);
                    // A value-0 entry (c = 0) is an unobserved cell: its alpha0 score^2 is in the trace term.
                    if (c != 0) {
                        double d = 1 - score;
                        s += c * d * d - alpha0 * score * score;
                    }
                }
            }
            part[from / BLOCK_ROWS] = s;
        });
        double total = 0;
        for (double p : part) {
            total += p;
        }
        return total;
    }
}
