package io.als.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The SPI's value types: Gram matrices, sparse views and factor matrices, with figures worked by hand. */
class ValueTypesTest {

    @Test
    void aGramMatrixFromDenseValuesKeepsAndScalesThem() {
        // [[2, 1, 0], [1, 3, -1], [0, -1, 4]]: symmetric, read back by get on both triangles.
        double[] dense = {2, 1, 0, 1, 3, -1, 0, -1, 4};
        Gram g = Gram.ofDense(3, dense);
        assertEquals(3, g.rank());
        assertEquals(1, g.get(0, 1));
        assertEquals(1, g.get(1, 0));
        assertEquals(-1, g.get(2, 1));
        assertEquals(4, g.get(2, 2));
        assertArrayEquals(dense, g.toDense(), 0.0);
        Gram twice = g.scaled(2);
        assertArrayEquals(new double[] {4, 2, 0, 2, 6, -2, 0, -2, 8}, twice.toDense(), 0.0);
        assertArrayEquals(dense, g.toDense(), 0.0, "scaling makes a copy");
        assertEquals(g, Gram.ofDense(3, dense.clone()));
        assertEquals(g.hashCode(), Gram.ofDense(3, dense.clone()).hashCode());
        assertNotEquals(g, twice);
        assertNotEquals(g, "not a Gram");
        assertThrows(IllegalArgumentException.class, () -> g.scaled(Double.NaN));
    }

    @Test
    void aGramMatrixMustBeSquareFiniteAndSymmetric() {
        assertThrows(IllegalArgumentException.class, () -> Gram.ofDense(2, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Gram.ofDense(2, new double[] {1, 2, 3, 4, 5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gram.ofDense(2, new double[] {1, 2, 3, 4}));
        assertEquals("a Gram matrix must be symmetric but entry (0, 1) was 2.0 and entry (1, 0) 3.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gram.ofDense(2, new double[] {1, 0, 0, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Gram.ofDense(0, new double[0]));
        // The diagonal is checked too: a 1x1 matrix is symmetric whatever its entry.
        assertEquals(7, Gram.ofDense(1, new double[] {7}).get(0, 0));
    }

    @Test
    void aSparseViewCountsItsBytesAndComparesByContent() {
        // Rows [0: (0, 1.5), (2, 2)], [1: (1, 3)]: ptr 3 ints, idx 3 ints, val 3 doubles = 12 + 12 + 24 bytes.
        SparseView v = SparseView.copyOf(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1}, new double[] {1.5, 2, 3});
        assertEquals(48, v.bytes());
        assertFalse(v.weighted());
        assertEquals(1.0, v.weight(1));
        SparseView w = v.withWeights(new double[] {1, 0.5, 2});
        assertTrue(w.weighted());
        assertEquals(0.5, w.weight(1));
        assertEquals(48 + 24, w.bytes());
        assertThrows(IllegalArgumentException.class, () -> v.withWeights(new double[] {1, -0.5, 2}));
        assertThrows(IllegalArgumentException.class, () -> v.withWeights(new double[] {1, Double.NaN, 2}));
        assertThrows(IllegalArgumentException.class, () -> v.withWeights(new double[] {1, Double.POSITIVE_INFINITY, 2}));
        assertThrows(IllegalArgumentException.class, () -> v.withWeights(new double[] {1, 2}));
        SparseView same = SparseView.copyOf(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1}, new double[] {1.5, 2, 3});
        assertEquals(v, same);
        assertEquals(v.hashCode(), same.hashCode());
        assertNotEquals(v, w);
        assertNotEquals(v, v.withValues(new double[] {1.5, 2, 4}));
        assertNotEquals(v, SparseView.copyOf(2, 4, new int[] {0, 2, 3}, new int[] {0, 2, 1}, new double[] {1.5, 2, 3}));
        assertNotEquals(v.hashCode(), v.withValues(new double[] {1.5, 2, 4}).hashCode());
    }

    @Test
    void aSparseViewRefusesBadStructure() {
        assertThrows(IllegalArgumentException.class,
                () -> SparseView.copyOf(2, 3, new int[] {0, 2}, new int[] {0, 2}, new double[] {1, 2}));
        // Column index equal to cols, or a repeated column within a row.
        assertThrows(IllegalArgumentException.class,
                () -> SparseView.copyOf(1, 3, new int[] {0, 1}, new int[] {3}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> SparseView.copyOf(1, 3, new int[] {0, 2}, new int[] {1, 1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> SparseView.copyOf(1, 3, new int[] {0, 1}, new int[] {-1}, new double[] {1}));
        // The last column and the last row are fine.
        assertEquals(1, SparseView.copyOf(1, 3, new int[] {0, 1}, new int[] {2}, new double[] {1}).nnz());
    }

    @Test
    void aFactorMatrixPrintsRowsAndComparesByShapeAndContent() {
        FactorMatrix m = FactorMatrix.of(2, 2, 1, 2, 3, 4.5);
        assertEquals("[[1.0, 2.0], [3.0, 4.5]]", m.toString());
        assertEquals("[]", new FactorMatrix(0, 3).toString());
        assertEquals(m, m.copy());
        assertEquals(m.hashCode(), m.copy().hashCode());
        assertNotEquals(m, FactorMatrix.of(1, 4, 1, 2, 3, 4.5));
        assertNotEquals(m, FactorMatrix.of(2, 2, 1, 2, 3, 4));
        assertNotEquals(m.hashCode(), FactorMatrix.of(2, 2, 1, 2, 3, 4).hashCode());
        assertArrayEquals(new double[] {7, 7, 7, 7, 7, 7}, FactorMatrix.filled(3, 2, 7).data(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> FactorMatrix.of(2, 2, 1, 2, 3));
    }

    @Test
    void copyPaddedPutsRowsStrideApartWithZeroPadding() {
        FactorMatrix f = FactorMatrix.of(2, 3, 1, 2, 3, 4, 5, 6);
        double[] target = new double[9];
        java.util.Arrays.fill(target, 7); // stale values in the padding must be cleared
        f.copyPadded(target, 4);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3, 0, 4, 5, 6, 0, 7}, target, 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> f.copyPadded(target, 2));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> f.copyPadded(new double[7], 4));
    }
}
