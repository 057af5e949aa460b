package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.Prefetch;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * One worker's off-heap workspace and the per-row pipeline: build the normal equation
 * {@code (G + F^T W F + lambda I) x = F^T v} of a row (see {@link GramMethod}), add the
 * shared term and the penalty, and solve it in place with LAPACK's Cholesky solver
 * {@code dposv}. The row loop around it (empty rows, rows that cannot be solved without a
 * penalty, non-finite results, threads) is the toolkit's {@link RowwiseLeastSquaresStep}.
 *
 * <p>Layout of the system workspace, leading dimension {@code ld = k + 1}, column-major:
 * <pre>
 *   columns 0..k-1, rows 0..k-1 : A = G + F^T W F + lambda I
 *   column  k,      rows 0..k-1 : b = F^T v, overwritten by the solution x
 * </pre>
 * {@link GramMethod#BLAS_SYRK} fills the upper triangle of A (and, for an unweighted row, a
 * by-product {@code v^T v} in row k of column k); {@link GramMethod#JAVA_LOOP} fills the
 * lower triangle, because the upper rows of {@link NormalEquation} are exactly the lower
 * columns of the column-major matrix and copy over contiguously. {@code dposv} is told which
 * triangle to read.
 *
 * <p><b>Weights with dsyrk.</b> An unweighted row gathers {@code [f_e, v_e]} and one dsyrk of
 * order k+1 yields both {@code F^T F} and {@code F^T v}. With weights that trick would give
 * {@code sum w_e v_e f_e}, so a row with any weight other than 1 gathers
 * {@code sqrt(w_e) f_e} (weights are at least 0), forms {@code F^T W F} with a dsyrk of order
 * k, and sums the right-hand side {@code sum v_e f_e} in Java from the unscaled factor rows.
 * A row whose weights are all 1 takes the unweighted path unchanged, so weights of 1 are
 * bit-identical to no weights. {@link GramMethod#JAVA_LOOP} handles weights and the shared
 * term inside {@link NormalEquation}.
 *
 * <p>Nothing is allocated per row: the gather buffer grows (geometrically) only when a row
 * longer than any seen before arrives. A row that fails (not positive definite, or an
 * exception) clears the workspace, so the next row starts clean. Not thread-safe: one per
 * worker.
 */
final class BlasRowSolver implements RowwiseLeastSquaresStep.RowSolver, AutoCloseable {
    /** Growth factor of the gather buffer, so a skewed row-length order reallocates O(log n) times. */
    private static final double GROWTH = 1.5;

    private static final byte UPPER = (byte) 'U';
    private static final byte LOWER = (byte) 'L';

    /** Factor rows of the next row touched ahead, as the Java row solvers' chunk. */
    static final int PREFETCH_ROWS = 256;

    private final int k;
    private final int ld;
    private final GramMethod method;

    private final OffHeapArray system;
    private final DoubleBuffer systemView;
    private final DoublePointer matrix;
    private final DoublePointer rhs;

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
    /** The weighted dsyrk path's right-hand side, and one scaled factor row on its way off-heap. */
    private final double[] weightedRhs;
    private final double[] scaledRow;
    /** The shared term last seen (dsyrk path), and a dense symmetric copy of it. */
    private Gram sharedSeen;
    private double[] sharedDense;
    private boolean closed;

    BlasRowSolver(int rank, GramMethod method) {
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
        this.weightedRhs = new double[rank];
        this.scaledRow = new double[rank];
        clearSystem();
    }

    @Override
    public boolean solve(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x) {
        boolean solved = false;
        try {
            solved = solveRow(observed, r, fixed, shared, penalty, x);
            return solved;
        } finally {
            if (!solved) {
                // A failed factorisation may leave non-finite values behind; start the next row clean.
                clearSystem();
            }
        }
    }

    private boolean solveRow(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x) {
        if (method == GramMethod.BLAS_SYRK) {
            if (observed.weighted() && !allOnes(observed, r)) {
                gramByWeightedSyrk(observed, fixed.data(), r);
            } else {
                gramBySyrk(observed, fixed.data(), r);
            }
            if (shared != null) {
                addSharedUpper(shared);
            }
            for (int p = 0; p < k; p++) {
                int d = p * ld + p;
                double v = systemView.get(d) + penalty;
                systemView.put(d, v);
                diagonal[p] = v;
            }
        } else {
            gramByJavaLoop(observed, fixed, r, shared, penalty);
        }
        int info = openblas.LAPACKE_dposv_work(openblas.LAPACK_COL_MAJOR, triangle, k, 1, matrix, ld, rhs, ld);
        if (info < 0) {
            throw new IllegalStateException("LAPACK dposv rejected argument " + (-info) + " (rank " + k + ")");
        }
        if (info > 0) {
            return false;
        }
        // dposv leaves the Cholesky factor in the triangle it read; its diagonal holds the pivots.
        for (int p = 0; p < k; p++) {
            double u = systemView.get(p * ld + p);
            if (!LeastSquaresStep.pivotHolds(u * u, diagonal[p])) {
                return false;
            }
        }
        systemView.get(k * ld, solution, 0, k);
        for (int c = 0; c < k; c++) {
            if (!Double.isFinite(solution[c])) {
                return false;
            }
        }
        System.arraycopy(solution, 0, x, 0, k);
        return true;
    }

    private static boolean allOnes(SparseView observed, int r) {
        for (int e = observed.start(r); e < observed.end(r); e++) {
            if (observed.weight(e) != 1.0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link GramMethod#BLAS_SYRK}, unweighted: gather {@code [f_e, v_e]} per entry and make
     * one dsyrk of order k + 1 into the upper triangle; its last column is {@code F^T v}.
     */
    private void gramBySyrk(SparseView observed, double[] fixed, int r) {
        int n = observed.count(r);
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
        prefetchNextRow(observed, fixed, r);
        openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans,
                ld, n, 1.0, gatherPointer, ld, 0.0, matrix, ld);
    }

    /**
     * {@link GramMethod#BLAS_SYRK} with weights: gather {@code sqrt(w_e) f_e} (same layout,
     * the last slot unused), one dsyrk of order k into the upper triangle, and the
     * right-hand side {@code sum_e v_e f_e} from the unscaled rows, in entry order.
     */
    private void gramByWeightedSyrk(SparseView observed, double[] fixed, int r) {
        int n = observed.count(r);
        ensureGatherRows(n);
        DoubleBuffer g = gatherView;
        double[] b = weightedRhs;
        Arrays.fill(b, 0);
        int at = 0;
        int start = observed.start(r);
        int end = observed.end(r);
        sink += Prefetch.touch(observed, fixed, k, start, end);
        for (int e = start; e < end; e++) {
            int o = observed.index(e) * k;
            double s = Math.sqrt(observed.weight(e));
            double v = observed.value(e);
            double[] scaled = scaledRow;
            for (int q = 0; q < k; q++) {
                double f = fixed[o + q];
                scaled[q] = s * f;
                b[q] += v * f;
            }
            g.put(at, scaled, 0, k);
            at += ld;
        }
        prefetchNextRow(observed, fixed, r);
        openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans,
                k, n, 1.0, gatherPointer, ld, 0.0, matrix, ld);
        systemView.put(k * ld, b, 0, k);
    }

    /** The next row's cache misses get under way while dsyrk works on this one. */
    private void prefetchNextRow(SparseView observed, double[] fixed, int r) {
        if (r + 1 < observed.rows()) {
            int next = observed.start(r + 1);
            sink += Prefetch.touch(observed, fixed, k, next, Math.min(observed.end(r + 1), next + PREFETCH_ROWS));
        }
    }

    /**
     * Adds {@code G} to the upper triangle: column {@code q}, rows {@code 0..q}, column by
     * column. By symmetry those entries are row {@code q} of a dense copy of {@code G}, made
     * once per {@link Gram} instance.
     */
    private void addSharedUpper(Gram shared) {
        if (shared != sharedSeen) {
            sharedDense = shared.toDense();
            sharedSeen = shared;
        }
        double[] g = sharedDense;
        for (int q = 0; q < k; q++) {
            int col = q * ld;
            int row = q * k;
            for (int p = 0; p <= q; p++) {
                systemView.put(col + p, systemView.get(col + p) + g[row + p]);
            }
        }
    }

    /**
     * {@link GramMethod#JAVA_LOOP}: accumulate with the API's {@link NormalEquation} (weights
     * and the shared term included; its rank-4 updates vectorise), then copy each upper row p
     * into column p of the lower triangle, and the right-hand side into column k.
     */
    private void gramByJavaLoop(SparseView observed, FactorMatrix fixed, int r, Gram shared, double penalty) {
        NormalEquation ne = equation;
        ne.reset();
        ne.addRow(observed, r, fixed);
        ne.finish(penalty, shared);
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

    /** Frees the off-heap workspaces; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        system.close();
        if (gather != null) {
            gather.close();
            gather = null;
            gatherRows = 0;
        }
    }
}
