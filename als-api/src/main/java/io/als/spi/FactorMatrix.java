package io.als.spi;

import io.als.internal.Checks;
import java.util.Arrays;

/**
 * A dense {@code rows x rank} matrix of latent factors, row-major in one {@code double[]}:
 * entry (r, c) is {@code data()[r * rank + c]}. Mutable: a {@link LeastSquaresStep} writes
 * its solutions here. Not thread-safe for concurrent writes to the same row.
 */
public final class FactorMatrix {
    private final int rows;
    private final int rank;
    private final double[] data;

    public FactorMatrix(int rows, int rank) {
        this(rows, rank, new double[Math.multiplyExact(Checks.nonNegative("rows", rows), Checks.positive("rank", rank))]);
    }

    private FactorMatrix(int rows, int rank, double[] data) {
        this.rows = rows;
        this.rank = rank;
        this.data = data;
    }

    /** A matrix over a copy of {@code values} (row-major, {@code rows * rank} long). */
    public static FactorMatrix of(int rows, int rank, double... values) {
        if (values.length != (long) rows * rank) {
            throw new IllegalArgumentException("values.length must be rows * rank = " + (long) rows * rank
                    + " but was " + values.length);
        }
        return new FactorMatrix(rows, rank, values.clone());
    }

    /** A matrix whose every entry is {@code value}. */
    public static FactorMatrix filled(int rows, int rank, double value) {
        FactorMatrix m = new FactorMatrix(rows, rank);
        Arrays.fill(m.data, value);
        return m;
    }

    public int rows() {
        return rows;
    }

    public int rank() {
        return rank;
    }

    /** The backing array, row-major. Writes go straight into the matrix. */
    public double[] data() {
        return data;
    }

    /**
     * Copies the rows into {@code target} {@code stride} apart ({@code stride >= rank}), with
     * zeros in each row's {@code stride - rank} padding columns: the layout of kernels that read
     * whole SIMD vectors of a row.
     *
     * @param target at least {@code rows * stride} long; the first {@code rows * stride} entries are written
     */
    public void copyPadded(double[] target, int stride) {
        if (stride < rank || target.length < (long) rows * stride) {
            throw new IllegalArgumentException("target must hold " + rows + " rows of stride >= " + rank
                    + " but had length " + target.length + " for stride " + stride);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data, r * rank, target, r * stride, rank);
            Arrays.fill(target, r * stride + rank, (r + 1) * stride, 0);
        }
    }

    public double get(int r, int c) {
        return data[r * rank + c];
    }

    public void set(int r, int c, double value) {
        data[r * rank + c] = value;
    }

    /** A copy of row {@code r}. */
    public double[] row(int r) {
        return Arrays.copyOfRange(data, r * rank, (r + 1) * rank);
    }

    /** Dot product of row {@code r} of this matrix with row {@code s} of {@code other}. */
    public double dot(int r, FactorMatrix other, int s) {
        double acc = 0;
        int a = r * rank;
        int b = s * other.rank;
        for (int c = 0; c < rank; c++) {
            acc += data[a + c] * other.data[b + c];
        }
        return acc;
    }

    /** Squared Euclidean norm of row {@code r}. */
    public double squaredNorm(int r) {
        double acc = 0;
        for (int c = r * rank; c < (r + 1) * rank; c++) {
            acc += data[c] * data[c];
        }
        return acc;
    }

    /** Index of the first row holding a NaN or infinite entry, or -1. */
    public int firstNonFiniteRow() {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                return k / rank;
            }
        }
        return -1;
    }

    public FactorMatrix copy() {
        return new FactorMatrix(rows, rank, data.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FactorMatrix m && rows == m.rows && rank == m.rank && Arrays.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < rank; c++) {
                sb.append(c == 0 ? "" : ", ").append(get(r, c));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
