package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code F^T F} of a whole factor matrix through ND4J's own API: whole-matrix work, where an
 * ND4J op's fixed cost (tens of microseconds) is nothing next to the arithmetic. The rows
 * are taken in blocks of at most {@value #BLOCK_DOUBLES} doubles, so the off-heap copy stays
 * bounded for large matrices; each block's {@code X^T X} is one {@code Nd4j.gemm}, and the
 * blocks' upper triangles are summed in Java in block order. The lower triangle is then set
 * from the upper, so the result is exactly symmetric, and every step is in a fixed order (the
 * GEMM runs on one OpenBLAS thread while the step is open), so it is deterministic.
 *
 * <p>Every array is created as {@link DataType#DOUBLE} explicitly; ND4J's default data type
 * is neither read nor changed.
 */
final class Nd4jGram {
    /** Doubles per block of rows copied to ND4J: 4 Mi, 32 MiB. */
    static final int BLOCK_DOUBLES = 1 << 22;

    private Nd4jGram() {
    }

    /** {@code F^T F}; agrees with {@link Gram#of} to rounding. Not modified: {@code f}. */
    static Gram of(FactorMatrix f) {
        return of(f, BLOCK_DOUBLES);
    }

    /** {@link #of(FactorMatrix)} with blocks of at most {@code blockDoubles} doubles (at least one row), for tests. */
    static Gram of(FactorMatrix f, int blockDoubles) {
        int k = f.rank();
        int rows = f.rows();
        if (rows == 0) {
            return Gram.of(f);
        }
        double[] d = f.data();
        double[] sum = new double[k * k];
        int block = Math.max(1, blockDoubles / k);
        for (int from = 0; from < rows; from += block) {
            int n = Math.min(block, rows - from);
            double[] slice = from == 0 && n == rows ? d : Arrays.copyOfRange(d, from * k, (from + n) * k);
            try (INDArray x = Nd4j.create(slice, new long[] {n, k}, DataType.DOUBLE);
                 INDArray g = Nd4j.gemm(x, x, true, false)) {
                if (g.dataType() != DataType.DOUBLE) {
                    throw new IllegalStateException("ND4J returned " + g.dataType() + " for a DOUBLE product");
                }
                double[][] part = g.toDoubleMatrix();
                for (int p = 0; p < k; p++) {
                    for (int q = p; q < k; q++) {
                        sum[p * k + q] += part[p][q];
                    }
                }
            }
        }
        for (int p = 0; p < k; p++) {
            for (int q = p + 1; q < k; q++) {
                sum[q * k + p] = sum[p * k + q];
            }
        }
        return Gram.ofDense(k, sum);
    }
}
