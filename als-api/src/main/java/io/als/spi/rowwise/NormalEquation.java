package io.als.spi.rowwise;

import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.SparseView;
import io.als.spi.Gram;
import java.util.Arrays;

/**
 * One row's normal equation {@code (G + F^T W F + lambda I) x = F^T v}, accumulated in a
 * reusable workspace: {@code F} the gathered factor rows, {@code W} the entries' weights
 * (1 when the view has none), {@code v} their values and {@code G} an optional shared Gram
 * term (see {@link io.als.spi.LeastSquaresStep}). Not thread-safe: one per worker.
 *
 * <h2>Layout</h2>
 * The matrix is accumulated as its upper triangle in {@link #upperRows()}: one
 * {@code double[k]} per row {@code p}, entries {@code q >= p} meaningful, the rest
 * unspecified. {@link #finish} adds the penalty to the diagonal. Kernels that understand this
 * layout read it directly; {@link #ata()} also provides the classic dense, symmetric,
 * row-major {@code k x k} copy, built on request.
 *
 * <h2>Why separate row arrays</h2>
 * The hot loop is {@code row_p[q] += s0 x0[q] + s1 x1[q] + s2 x2[q] + s3 x3[q]}: a rank-4
 * update of the triangle by four gathered factor rows at a time. HotSpot's C2 compiler
 * (JDK 17) turns that loop into AVX vector code only when every array in it is indexed by
 * the same expression; with one flat array, the differing row offsets defeat the vectoriser
 * and the loop runs scalar, 3-5x slower (measurements in docs/design-notes.md). So each
 * triangle row and each gathered factor row is its own array, all indexed by {@code q}.
 * Four rows per pass also cut the loads and stores of the triangle to a quarter.
 *
 * <h2>Weights</h2>
 * An entry's weight multiplies its gathered scalar {@code s = w x[p]} before the update; a
 * weight of 1 leaves {@code s} exactly as it was, so an unweighted row and the same row with
 * weights of 1 give bit-identical sums.
 *
 * <h2>Determinism</h2>
 * The order of every sum depends only on the row's entries (taken four at a time, in
 * index order, the leftover one at a time), never on the thread or the workspace, so a
 * row's result is bit-identical wherever it is computed.
 */
public final class NormalEquation {
    /** Factor rows folded into the triangle per pass of the inner loop. */
    static final int BATCH = 4;

    /**
     * Factor rows gathered ahead of the arithmetic, a multiple of {@link #BATCH} so that the
     * rank-4 batches, and so every sum, are the same as without chunks.
     */
    static final int CHUNK = 128;

    private final int k;
    private final double[][] upper;
    private final double[] atb;
    private final double[] diagonal;
    private final double[][] gathered;
    private final double[] dense;
    private boolean denseValid;
    /** Where {@link Prefetch} leaves its sums, so that the compiler keeps its loads. */
    private double sink;
    private int count;

    public NormalEquation(int rank) {
        this.k = Checks.positive("rank", rank);
        this.upper = new double[rank][rank];
        this.atb = new double[rank];
        this.diagonal = new double[rank];
        this.gathered = new double[CHUNK][rank];
        this.dense = new double[rank * rank];
    }

    public int rank() {
        return k;
    }

    /** Clears the workspace for a new row. */
    public void reset() {
        for (double[] row : upper) {
            Arrays.fill(row, 0);
        }
        Arrays.fill(atb, 0);
        denseValid = false;
        count = 0;
    }

    /** Adds one observation: value {@code a} against row {@code j} of {@code fixed}, weight 1 (rank-1 update). */
    public void add(double[] fixed, int j, double a) {
        add(fixed, j, a, 1.0);
    }

    /** Adds one entry: value {@code v} and weight {@code w} against row {@code j} of {@code fixed}. */
    public void add(double[] fixed, int j, double v, double w) {
        double[] g = gathered[0];
        System.arraycopy(fixed, j * k, g, 0, k);
        addOne(g, v, w);
        count++;
        denseValid = false;
    }

    /**
     * Adds every observation of row {@code r} of {@code observed}: the factor rows are gathered
     * four at a time and folded in by rank-4 updates; a leftover of one to three rows by
     * rank-1 updates.
     */
    public void addRow(SparseView observed, int r, FactorMatrix fixed) {
        double[] f = fixed.data();
        double[][] rows = gathered;
        int start = observed.start(r);
        int end = observed.end(r);
        boolean prefetch = Prefetch.worthIt(f);
        if (prefetch) {
            sink += Prefetch.touch(observed, f, k, start, Math.min(end, start + CHUNK));
        }
        for (int from = start; from < end; from += CHUNK) {
            int to = Math.min(end, from + CHUNK);
            // Gather the whole chunk first: the copies are independent, so when the factor
            // matrix is larger than the caches their memory accesses overlap instead of
            // waiting one batch at a time behind the arithmetic.
            for (int e = from; e < to; e++) {
                System.arraycopy(f, observed.index(e) * k, rows[e - from], 0, k);
            }
            if (prefetch) {
                sink += Prefetch.touchNext(observed, r, from, CHUNK, f, k);
            }
            int e = from;
            for (; e + BATCH <= to; e += BATCH) {
                int i = e - from;
                addFour(rows[i], rows[i + 1], rows[i + 2], rows[i + 3],
                        observed.value(e), observed.value(e + 1), observed.value(e + 2), observed.value(e + 3),
                        observed.weight(e), observed.weight(e + 1), observed.weight(e + 2), observed.weight(e + 3));
            }
            for (; e < to; e++) {
                addOne(rows[e - from], observed.value(e), observed.weight(e));
            }
        }
        count += observed.count(r);
        denseValid = false;
    }

    /** The rank-4 update by the gathered rows {@code x0..x3} with values {@code a0..a3} and weights {@code w0..w3}. */
    private void addFour(double[] x0, double[] x1, double[] x2, double[] x3,
                         double a0, double a1, double a2, double a3,
                         double w0, double w1, double w2, double w3) {
        for (int p = 0; p < k; p++) {
            double s0 = w0 * x0[p];
            double s1 = w1 * x1[p];
            double s2 = w2 * x2[p];
            double s3 = w3 * x3[p];
            double[] row = upper[p];
            for (int q = p; q < k; q++) {
                row[q] += s0 * x0[q] + s1 * x1[q] + s2 * x2[q] + s3 * x3[q];
            }
        }
        double[] b = atb;
        for (int q = 0; q < k; q++) {
            b[q] += a0 * x0[q] + a1 * x1[q] + a2 * x2[q] + a3 * x3[q];
        }
    }

    /** The rank-1 update by the gathered row {@code g} with value {@code a} and weight {@code w}. */
    private void addOne(double[] g, double a, double w) {
        for (int p = 0; p < k; p++) {
            double s = w * g[p];
            double[] row = upper[p];
            for (int q = p; q < k; q++) {
                row[q] += s * g[q];
            }
        }
        double[] b = atb;
        for (int q = 0; q < k; q++) {
            b[q] += a * g[q];
        }
    }

    /**
     * Adds {@code penalty} to the diagonal and records the finished diagonal (see
     * {@link #diagonal()}). Call once per row, after the last {@code add}.
     */
    public void finish(double penalty) {
        finish(penalty, null);
    }

    /**
     * Adds the shared Gram term (when not null), then {@code penalty} on the diagonal, and
     * records the finished diagonal. Call once per row, after the last {@code add}.
     */
    public void finish(double penalty, Gram shared) {
        if (shared != null) {
            shared.addUpperTo(upper);
        }
        for (int p = 0; p < k; p++) {
            upper[p][p] += penalty;
            diagonal[p] = upper[p][p];
        }
        denseValid = false;
    }

    /** Number of observations added since the last reset. */
    public int count() {
        return count;
    }

    /**
     * The upper triangle, one array per row: entry {@code q >= p} of row {@code p}. Kernels
     * may overwrite it (for example with a Cholesky factor); it is rebuilt for every row.
     */
    public double[][] upperRows() {
        return upper;
    }

    /** The diagonal as {@link #finish} left it (penalty included), untouched by kernels. */
    public double[] diagonal() {
        return diagonal;
    }

    /**
     * The {@code k x k} matrix, dense, row-major and symmetric (both triangles filled),
     * copied from the upper triangle on the first call after a change. Callers may overwrite it.
     */
    public double[] ata() {
        if (!denseValid) {
            for (int p = 0; p < k; p++) {
                double[] row = upper[p];
                dense[p * k + p] = row[p];
                for (int q = p + 1; q < k; q++) {
                    dense[p * k + q] = row[q];
                    dense[q * k + p] = row[q];
                }
            }
            denseValid = true;
        }
        return dense;
    }

    /** The right-hand side {@code F^T a}. Kernels may overwrite it. */
    public double[] atb() {
        return atb;
    }
}
