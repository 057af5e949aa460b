package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.conformance.Problems;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The step's {@code gram}, computed through ND4J, against the Java sum {@link Gram#of}. */
class Nd4jGramTest {

    @ParameterizedTest(name = "{0} rows, rank {1}")
    @CsvSource({"1, 1", "7, 3", "200, 10", "3706, 64", "500, 128", "0, 5"})
    void agreesWithTheJavaSumWithinRoundingAndIsExactlySymmetric(int rows, int rank) {
        FactorMatrix f = Problems.factors(rows, rank, 17L * rows + rank);
        double[] before = f.data().clone();
        Gram want = Gram.of(f);
        Gram got;
        try (LeastSquaresStep step = new Nd4jSolver().newStep(rank, 2)) {
            got = step.gram(f);
            assertEquals(got, step.gram(f), "deterministic: the same bits twice");
        }
        assertTrue(java.util.Arrays.equals(before, f.data()), "f is not modified");
        assertEquals(rank, got.rank());
        for (int p = 0; p < rank; p++) {
            for (int q = 0; q < rank; q++) {
                assertEquals(got.get(p, q), got.toDense()[q * rank + p], 0.0, "symmetric at " + p + ", " + q);
                // |(F^T F)_pq| <= sqrt(G_pp G_qq): the natural scale of each entry's rounding.
                double scale = Math.sqrt(want.get(p, p) * want.get(q, q));
                assertEquals(want.get(p, q), got.get(p, q), 1e-12 * scale, "entry " + p + ", " + q);
            }
        }
    }

    @Test
    void blocksOfRowsGiveTheSameSumAsOneBlock() {
        // 1003 rows at rank 12 in blocks of 100 rows: ten full blocks and a remainder of 3.
        int rank = 12;
        FactorMatrix f = Problems.factors(1003, rank, 3);
        Gram want = Gram.of(f);
        Gram got;
        try (LeastSquaresStep step = new Nd4jSolver().newStep(rank, 1)) {
            got = Nd4jGram.of(f, 100 * rank);
        }
        for (int p = 0; p < rank; p++) {
            for (int q = 0; q < rank; q++) {
                double scale = Math.sqrt(want.get(p, p) * want.get(q, q));
                assertEquals(want.get(p, q), got.get(p, q), 1e-12 * scale, "entry " + p + ", " + q);
            }
        }
    }

    @Test
    void isDoubleWhateverTheDefaultType() {
        DataType before = Nd4j.dataType();
        DataType floatingBefore = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        try (LeastSquaresStep step = new Nd4jSolver().newStep(4, 1)) {
            FactorMatrix f = FactorMatrix.of(2, 4, 1, 1e-9, 3, 4, 0.1, 0.2, 0.3, 1 + 1e-12);
            Gram got = step.gram(f);
            // 1 + 1e-12 squared is not representable in single precision.
            assertEquals((1 + 1e-12) * (1 + 1e-12) + 16, got.get(3, 3), 1e-15);
            assertEquals(Gram.of(f).get(0, 1), got.get(0, 1), 1e-15);
        } finally {
            Nd4j.setDefaultDataTypes(before, floatingBefore);
        }
    }
}
