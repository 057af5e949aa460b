package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.MatrixProducts;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Block scores through ND4J's own API: one {@code Nd4j.gemm} of the block of query rows by
 * the transposed item matrix, whole-matrix work where an ND4J op's fixed cost is small next to
 * the arithmetic (a block of 256 users against 3,706 items at rank 64 is 121 MFLOP). Every
 * array is created as {@link DataType#DOUBLE}. OpenBLAS runs one thread per call while the
 * product is computed ({@link NativeRuntime}), so callers parallelise over blocks without
 * oversubscribing the cores; the count is put back afterwards.
 */
final class Nd4jProducts implements MatrixProducts {

    @Override
    public void scores(FactorMatrix queries, int from, int to, FactorMatrix items, double[] out) {
        MatrixProducts.checkScores(queries, from, to, items, out);
        int k = queries.rank();
        int n = items.rows();
        int m = to - from;
        if (m == 0 || n == 0) {
            return;
        }
        double[] q = from == 0 && to == queries.rows() ? queries.data()
                : java.util.Arrays.copyOfRange(queries.data(), from * k, to * k);
        NativeRuntime.acquire();
        try (INDArray a = Nd4j.create(q, new long[] {m, k}, DataType.DOUBLE);
             INDArray b = Nd4j.create(items.data(), new long[] {n, k}, DataType.DOUBLE);
             INDArray c = Nd4j.gemm(a, b, false, true)) {
            if (c.dataType() != DataType.DOUBLE) {
                throw new IllegalStateException("ND4J returned " + c.dataType() + " for a DOUBLE product");
            }
            // c is m x n; its row-major (C order) data is exactly the layout of out.
            INDArray flat = c.ordering() == 'c' ? c : c.dup('c');
            try {
                System.arraycopy(flat.data().asDouble(), 0, out, 0, m * n);
            } finally {
                if (flat != c) {
                    flat.close();
                }
            }
        } finally {
            NativeRuntime.release();
        }
    }
}
