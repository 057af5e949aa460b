package io.als.api;

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
        SparseView byUser = ratings.byUser();
        int blocks = (byUser.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS;
        double[] sse = new double[blocks];
        double[] pen = new double[blocks];
        parallel.run(byUser.rows(), BLOCK_ROWS, (worker, from, to) -> {
            double s = 0;
            double p = 0;
            for (int u = from; u < to; u++) {
                for (int e = byUser.start(u); e < byUser.end(u); e++) {
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
        return new double[] {totalSse, totalSse + totalPen};
    }
}
