package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.als.conformance.Problems;
import io.als.spi.FactorMatrix;
import io.als.spi.MatrixProducts;
import org.junit.jupiter.api.Test;

/** Block scores through ND4J's gemm agree with the plain-Java dot products at recommender sizes. */
class Nd4jProductsTest {

    @Test
    void theSolversProductsRunThroughNd4j() {
        assertInstanceOf(Nd4jProducts.class, new Nd4jSolver().products());
    }

    @Test
    void aLargeBlockAgreesWithDotProducts() {
        int k = 64;
        FactorMatrix users = Problems.factors(300, k, 21);
        FactorMatrix items = Problems.factors(517, k, 22);
        int from = 37;
        int to = 293;
        double[] nd4j = new double[(to - from) * items.rows()];
        double[] java = new double[nd4j.length];
        new Nd4jSolver().products().scores(users, from, to, items, nd4j);
        MatrixProducts.JAVA.scores(users, from, to, items, java);
        for (int e = 0; e < java.length; e++) {
            // Entries of magnitude up to k (factors in (-1, 1)); the sums differ only in order.
            assertEquals(java[e], nd4j[e], 1e-12 * k, "entry " + e);
        }
    }
}
