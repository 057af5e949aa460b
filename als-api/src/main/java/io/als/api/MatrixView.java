package io.als.api;

import io.als.spi.FactorMatrix;
import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * A read-only view of a dense {@code rows x cols} block of doubles: no copy is made, and
 * nothing can be written through it. {@link Model} hands these out over its own storage;
 * since a model never changes, neither does a view of it, and a view is safe to share
 * between threads.
 *
 * <p>Entry {@code (r, c)} sits at {@code offset + r * stride + c} of the backing array, so a
 * view can cover some of the columns of a wider matrix (one sample of a sampled model).
 */
public final class MatrixView {
    private final double[] data;
    private final int rows;
    private final int cols;
    private final int offset;
    private final int stride;

    MatrixView(double[] data, int rows, int cols, int offset, int stride) {
        if (rows < 0 || cols <= 0 || offset < 0 || stride < cols || offset + cols > stride
                || (long) rows * stride > data.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " view at offset " + offset + ", stride "
                    + stride + " does not fit " + data.length + " values");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.offset = offset;
        this.stride = stride;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int r, int c) {
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("(" + r + ", " + c + ") is outside " + rows + "x" + cols);
        }
        return data[offset + r * stride + c];
    }

    /** Row {@code r} as a read-only buffer over the model's storage (no copy). */
    public DoubleBuffer row(int r) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " is outside 0.." + (rows - 1));
        }
        return DoubleBuffer.wrap(data, offset + r * stride, cols).slice().asReadOnlyBuffer();
    }

    /** Dot product of row {@code r} of this view with row {@code s} of {@code other}, summed in column order. */
    public double dot(int r, MatrixView other, int s) {
        if (other.cols != cols) {
            throw new IllegalArgumentException("views must have the same columns but had " + cols + " and "
                    + other.cols);
        }
        double acc = 0;
        int a = offset + r * stride;
        int b = other.offset + s * other.stride;
        for (int c = 0; c < cols; c++) {
            acc += data[a + c] * other.data[b + c];
        }
        return acc;
    }

    /** A row-major copy of the entries. */
    public double[] toArray() {
        double[] out = new double[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data, offset + r * stride, out, r * cols, cols);
        }
        return out;
    }

    /** A mutable copy, as a {@link FactorMatrix}. */
    public FactorMatrix copy() {
        FactorMatrix m = new FactorMatrix(rows, cols);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data, offset + r * stride, m.data(), r * cols, cols);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatrixView v && rows == v.rows && cols == v.cols && Arrays.equals(toArray(), v.toArray());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toArray());
    }

    @Override
    public String toString() {
        return "MatrixView[" + rows + "x" + cols + "]";
    }
}
