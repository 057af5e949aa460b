package io.als.spi;

import io.als.api.Ratings;
import io.als.internal.Checks;
import java.util.Arrays;

/**
 * A read-only compressed sparse view of a ratings matrix: compressed rows (CSR) when
 * obtained from {@link Ratings#byUser()}, compressed columns (CSC, presented as the rows
 * of the transpose) when obtained from {@link Ratings#byItem()}.
 *
 * <p>Row {@code r} holds the entries {@code k} in {@code [start(r), end(r))}; entry
 * {@code k} has column {@link #index(int) index(k)}, value {@link #value(int) value(k)} and
 * weight {@link #weight(int) weight(k)}. A view without weights ({@link #weighted()} false)
 * has weight 1 on every entry; see {@link LeastSquaresStep} for what the two mean to a solve.
 * Within a row the column indices are strictly increasing. The arrays behind a view are
 * never given out to be written, so a view is immutable and safe to share between threads; a
 * backend that hands them to native code reads them in place through {@link #read}.
 */
public final class SparseView {
    private final int rows;
    private final int cols;
    private final int[] ptr;
    private final int[] idx;
    private final double[] val;
    /** One weight per entry, or null for weight 1 everywhere. */
    private final double[] wgt;

    private SparseView(int rows, int cols, int[] ptr, int[] idx, double[] val, double[] wgt) {
        this.rows = rows;
        this.cols = cols;
        this.ptr = ptr;
        this.idx = idx;
        this.val = val;
        this.wgt = wgt;
    }

    /**
     * Wraps compressed arrays without copying or checking them, for code that has just built
     * them correctly (the ratings loader, a partitioner). The caller hands over ownership:
     * it must not change the arrays afterwards, and they must have the structure that
     * {@link #copyOf} checks. Everyone else uses {@link #copyOf}.
     */
    public static SparseView adopt(int rows, int cols, int[] ptr, int[] idx, double[] val) {
        return new SparseView(rows, cols, ptr, idx, val, null);
    }

    /**
     * Builds a view from copies of compressed arrays, checking their structure.
     *
     * @param rows number of rows
     * @param cols number of columns (the range of the column indices)
     * @param ptr  row pointers, length {@code rows + 1}, non-decreasing, from 0 to nnz. Not modified.
     * @param idx  column index of each entry, strictly increasing within a row. Not modified.
     * @param val  value of each entry, finite. Not modified.
     */
    public static SparseView copyOf(int rows, int cols, int[] ptr, int[] idx, double[] val) {
        Checks.nonNegative("rows", rows);
        Checks.nonNegative("cols", cols);
        if (ptr.length != rows + 1) {
            throw new IllegalArgumentException("ptr.length must be rows + 1 = " + (rows + 1) + " but was " + ptr.length);
        }
        if (ptr[0] != 0 || ptr[rows] != idx.length || idx.length != val.length) {
            throw new IllegalArgumentException("ptr must run from 0 to nnz = idx.length = val.length but was "
                    + ptr[0] + ".." + ptr[rows] + " with idx.length " + idx.length + ", val.length " + val.length);
        }
        for (int r = 0; r < rows; r++) {
            if (ptr[r + 1] < ptr[r]) {
                throw new IllegalArgumentException("ptr must be non-decreasing but ptr[" + (r + 1) + "] < ptr[" + r + "]");
            }
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                if (idx[k] < 0 || idx[k] >= cols || (k > ptr[r] && idx[k] <= idx[k - 1])) {
                    throw new IllegalArgumentException("column indices of row " + r
                            + " must be strictly increasing within [0, " + cols + ") but entry " + k + " was " + idx[k]);
                }
                Checks.finite("value of row " + r + ", column " + idx[k], val[k]);
            }
        }
        return new SparseView(rows, cols, ptr.clone(), idx.clone(), val.clone(), null);
    }

    /**
     * The same sparsity pattern with other values (used, for example, to fit residuals
     * after removing biases). The structure arrays and the weights are shared; {@code values}
     * is copied.
     *
     * @param values one finite value per entry, in entry order. Not modified.
     */
    public SparseView withValues(double[] values) {
        if (values.length != val.length) {
            throw new IllegalArgumentException("values.length must be nnz = " + val.length + " but was " + values.length);
        }
        return new SparseView(rows, cols, ptr, idx, values.clone(), wgt);
    }

    /**
     * The same entries and values with a weight on each entry (confidences in implicit
     * feedback, or any weighted least-squares problem). The structure and value arrays are
     * shared; {@code weights} is copied.
     *
     * @param weights one finite, non-negative weight per entry, in entry order. Not modified.
     */
    public SparseView withWeights(double[] weights) {
        if (weights.length != val.length) {
            throw new IllegalArgumentException("weights.length must be nnz = " + val.length + " but was " + weights.length);
        }
        for (int e = 0; e < weights.length; e++) {
            if (!(weights[e] >= 0) || Double.isInfinite(weights[e])) {
                throw new IllegalArgumentException("weight of entry " + e + " must be finite and >= 0 but was "
                        + weights[e]);
            }
        }
        return new SparseView(rows, cols, ptr, idx, val, weights.clone());
    }

    /** Whether the entries carry weights; false means weight 1 on every entry. */
    public boolean weighted() {
        return wgt != null;
    }

    /** Weight of entry {@code k}: 1 for a view without weights. */
    public double weight(int k) {
        return wgt == null ? 1.0 : wgt[k];
    }

    /** The transpose, as a view whose rows are this view's columns. */
    public SparseView transpose() {
        int[] tptr = new int[cols + 1];
        for (int k = 0; k < idx.length; k++) {
            tptr[idx[k] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            tptr[c + 1] += tptr[c];
        }
        int[] fill = Arrays.copyOf(tptr, cols);
        int[] tidx = new int[idx.length];
        double[] tval = new double[idx.length];
        double[] twgt = wgt == null ? null : new double[idx.length];
        for (int r = 0; r < rows; r++) {
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                int at = fill[idx[k]]++;
                tidx[at] = r;
                tval[at] = val[k];
                if (twgt != null) {
                    twgt[at] = wgt[k];
                }
            }
        }
        return new SparseView(cols, rows, tptr, tidx, tval, twgt);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nnz() {
        return idx.length;
    }

    /** First entry of row {@code r}. */
    public int start(int r) {
        return ptr[r];
    }

    /** One past the last entry of row {@code r}. */
    public int end(int r) {
        return ptr[r + 1];
    }

    /** Number of observed entries in row {@code r}. */
    public int count(int r) {
        return ptr[r + 1] - ptr[r];
    }

    /** Column index of entry {@code k}. */
    public int index(int k) {
        return idx[k];
    }

    /** Value of entry {@code k}. */
    public double value(int k) {
        return val[k];
    }

    /**
     * What {@link #read} hands the arrays behind a view to: the row pointers, column indices,
     * values and weights (null when the view has none).
     */
    @FunctionalInterface
    public interface Reader<T> {
        T read(int[] pointers, int[] indices, double[] values, double[] weights);
    }

    /**
     * Hands the arrays behind this view, not copies, to {@code reader} and returns what it
     * returns: for a backend that passes them to native code, where copying them for every
     * call would cost more than the arithmetic. The reader must never modify the arrays, and
     * must not keep them after it returns unless what keeps them is as immutable as the view
     * (a fitted model shares its training pattern this way).
     */
    public <T> T read(Reader<T> reader) {
        return reader.read(ptr, idx, val, wgt);
    }

    /** A copy of the row pointers. */
    public int[] pointersCopy() {
        return ptr.clone();
    }

    /** A copy of the column indices. */
    public int[] indicesCopy() {
        return idx.clone();
    }

    /** A copy of the values. */
    public double[] valuesCopy() {
        return val.clone();
    }

    /** Bytes held by the arrays behind this view. */
    public long bytes() {
        return 4L * ptr.length + 4L * idx.length + 8L * val.length + (wgt == null ? 0 : 8L * wgt.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseView v && rows == v.rows && cols == v.cols
                && Arrays.equals(ptr, v.ptr) && Arrays.equals(idx, v.idx) && Arrays.equals(val, v.val)
                && Arrays.equals(wgt, v.wgt);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ptr) + Arrays.hashCode(val);
    }
}
