package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.Prefetch;
import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.SparseView;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * One worker's off-heap workspace and the per-row pipeline: build the normal equation of a
 * row (see {@link GramMethod}), add the penalty to the diagonal, and solve it in place with
 * LAPACK's Cholesky solver {@code dposv}.
 *
 * <p>Layout of the system workspace, leading dimension {@code ld = k + 1}, column-major:
 * <pre>
 *   columns 0..k-1, rows 0..k-1 : A = F^T F + lambda I
 *   column  k,      rows 0..k-1 : b = F^T a, overwritten by the solution x
 * </pre>
 * {@link GramMethod#BLAS_SYRK} fills the upper triangle of A (and, as a by-product, a^T a
 * in row k of column k); {@link GramMethod#JAVA_LOOP} fills the lower triangle, because the
 * upper rows of {@link NormalEquation} are exactly the lower columns of the column-major
 * matrix and copy over contiguously. {@code dposv} is told which triangle to read.
 *
 * <p>Nothing is allocated per row: the gather buffer grows (geometrically) only when a row
 * longer than any seen before arrives. Not thread-safe: one per worker.
 */
final class RowSolver implements AutoCloseable {
    /** Growth factor of the gather buffer, so a skewed row-length order reallocates O(log n) times. */
    private static final double GROWTH = 1.5;

    private static final byte UPPER = (byte) 'U';
    private static final byte LOWER = (byte) 'L';

    private final int k;
    private final int ld;
    private final GramMethod method;

    private final OffHeapArray system;
    private final DoubleBuffer systemView;
    private final DoublePointer matrix;
    private final DoublePointer rhs;

    /** Factor rows of the next row touched ahead, as the Java row solvers' chunk. */
    static final int PREFETCH_ROWS = 256;
    /** Where {@link Prefetch} leaves its sums, so that the compiler keeps its loads. */
    private double sink;
    private OffHeapArray gather;
    private DoubleBuffer gatherView;
    private DoublePointer gatherPointer;
    private int gatherRows;

    /** Java-side accumulator for {@link GramMethod#JAVA_LOOP}; null for dsyrk. */
    private final NormalEquation equation;
    private final byte triangle;
    private final double[] diagonal;
    private final double[] solution;

    RowSolver(int rank, GramMethod method) {
        this.k = rank;
        this.ld = rank + 1;
        this.method = method;
        this.system = new OffHeapArray(ld * ld);
        this.systemView = system.buffer();
        this.matrix = system.pointer(0);
        this.rhs = system.pointer((long) k * ld);
        this.equation = method == GramMethod.JAVA_LOOP ? new NormalEquation(rank) : null;
        this.triangle = method == GramMethod.JAVA_LOOP ? LOWER : UPPER;
        this.diagonal = new double[rank];
        this.solution = new double[rank];
        clearSystem();
    }

    /**
     * Solves rows {@code [from, to)} and writes each into {@code out} (row-major, rank
     * {@code k}).
     */
    void solveRows(SparseView observed, FactorMatrix fixed, Regularizer reg, double[] out, int from, int to) {
        try {
            for (int r = from; r < to; r++) {
                solveRow(observed, fixed, reg, out, r);
            }
        } catch (RuntimeException e) {
            // A failed factorisation may leave non-finite values behind; start the next call clean.
            clearSystem();
            throw e;
        }
    }

    private void solveRow(SparseView observed, FactorMatrix fixed, Regularizer reg, double[] out, int r) {
        int n = observed.count(r);
        if (n == 0) {
            Arrays.fill(out, r * k, (r + 1) * k, 0);
            return;
        }
        double penalty = reg.penalty(n);
        if (penalty == 0 && n < k) {
            throw new SingularSystemException(r, k, n, penalty);
        }
        if (method == GramMethod.BLAS_SYRK) {
            gramBySyrk(observed, fixed.data(), r, n, penalty);
        } else {
            gramByJavaLoop(observed, fixed, r, penalty);
        }
        int info = openblas.LAPACKE_dposv_work(openblas.LAPACK_COL_MAJOR, triangle, k, 1, matrix, ld, rhs, ld);
        if (info < 0) {
            throw new IllegalStateException("LAPACK dposv rejected argument " + (-info) + " (rank " + k + ")");
        }
        if (info > 0) {
            throw new SingularSystemException(r, k, n, penalty);
        }
        // dposv leaves the Cholesky factor in the triangle it read; its diagonal holds the pivots.
        for (int p = 0; p < k; p++) {
            double u = systemView.get(p * ld + p);
            if (!LeastSquaresStep.pivotHolds(u * u, diagonal[p])) {
                throw new SingularSystemException(r, k, n, penalty);
            }
        }
        systemView.get(k * ld, solution, 0, k);
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(solution[c])) {
                throw new SingularSystemException(r, k, n, penalty);
            }
        }
        System.arraycopy(solution, 0, out, r * k, k);
    }

    /**
     * {@link GramMethod#BLAS_SYRK}: gather {@code [f_j, a_rj]} per entry, one dsyrk of order
     * k + 1 into the upper triangle, then the penalty on the diagonal.
     */
    private void gramBySyrk(SparseView observed, double[] fixed, int r, int n, double penalty) {
        ensureGatherRows(n);
        DoubleBuffer g = gatherView;
        int at = 0;
        int start = observed.start(r);
        int end = observed.end(r);
        // Usually cache hits: the previous row touched this one's first rows before its dsyrk.
        sink += Prefetch.touch(observed, fixed, k, start, end);
        for (int e = start; e < end; e++) {
            g.put(at, fixed, observed.index(e) * k, k);
            g.put(at + k, observed.value(e));
            at += ld;
        }
        if (r + 1 < observed.rows()) {
            // The next row's misses get under way while dsyrk works on this one.
            int next = observed.start(r + 1);
            sink += Prefetch.touch(observed, fixed, k, next, Math.min(observed.end(r + 1), next + PREFETCH_ROWS));
        }
        openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans,
                ld, n, 1.0, gatherPointer, ld, 0.0, matrix, ld);
        for (int p = 0; p < k; p++) {
            int d = p * ld + p;
            double v = systemView.get(d) + penalty;
            systemView.put(d, v);
            diagonal[p] = v;
        }
    }

    /**
     * {@link GramMethod#JAVA_LOOP}: accumulate with the API's {@link NormalEquation} (its
     * rank-4 updates vectorise), then copy each upper row p into column p of the lower
     * triangle, and the right-hand side into column k.
     */
    private void gramByJavaLoop(SparseView observed, FactorMatrix fixed, int r, double penalty) {
        NormalEquation ne = equation;
        ne.reset();
        ne.addRow(observed, r, fixed);
        ne.finish(penalty);
        double[][] upper = ne.upperRows();
        for (int p = 0; p < k; p++) {
            systemView.put(p * ld + p, upper[p], p, k - p);
        }
        systemView.put(k * ld, ne.atb(), 0, k);
        System.arraycopy(ne.diagonal(), 0, diagonal, 0, k);
    }

    private void ensureGatherRows(int n) {
        if (n <= gatherRows) {
            return;
        }
        int rows = (int) Math.min(Integer.MAX_VALUE / ld, Math.max(n, (long) Math.ceil(gatherRows * GROWTH)));
        if (gather != null) {
            gather.close();
        }
        gather = new OffHeapArray(Math.multiplyExact(rows, ld));
        gatherView = gather.buffer();
        gatherPointer = gather.pointer(0);
        gatherRows = rows;
    }

    private void clearSystem() {
        for (int i = 0; i < system.length(); i++) {
            systemView.put(i, 0);
        }
    }

    /** Rows the gather buffer currently holds, for tests. */
    int gatherCapacityRows() {
        return gatherRows;
    }

    /** Address of the system workspace, for tests of the alignment. */
    long systemAddress() {
        return system.address();
    }

    @Override
    public void close() {
        system.close();
        if (gather != null) {
            gather.close();
            gather = null;
            gatherRows = 0;
        }
    }
}
