package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitializationTest {

    @Test
    void onesIsAllOnes() {
        FactorMatrix m = new FactorMatrix(3, 2);
        Initialization.ONES.fill(m, 42);
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, m.data(), 0.0);
    }

    @Test
    void randomRowsArePositiveUnitVectorsThatDependOnTheSeedAndTheRowOnly() {
        FactorMatrix few = new FactorMatrix(5, 4);
        FactorMatrix many = new FactorMatrix(400, 4);
        Initialization.RANDOM.fill(few, 7);
        Initialization.RANDOM.fill(many, 7);
        // One stream per row, split in row order: the first rows do not depend on how many follow.
        assertArrayEquals(few.data(), Arrays.copyOf(many.data(), few.data().length), 0.0);
        for (int r = 0; r < many.rows(); r++) {
            assertEquals(1, many.squaredNorm(r), 1e-12, "row " + r);
            for (double v : many.row(r)) {
                assertTrue(v >= 0, "row " + r);
            }
        }
        for (int r = 1; r < many.rows(); r++) {
            assertFalse(Arrays.equals(many.row(r - 1), many.row(r)), "rows " + (r - 1) + " and " + r);
        }
        FactorMatrix again = new FactorMatrix(400, 4);
        Initialization.RANDOM.fill(again, 7);
        assertEquals(many, again, "the same seed");
        FactorMatrix other = new FactorMatrix(400, 4);
        Initialization.RANDOM.fill(other, 8);
        assertFalse(Arrays.equals(many.row(0), other.row(0)), "another seed");
    }

    @Test
    void fillRowsGivesEachAskedRowWhatFillGivesIt() {
        FactorMatrix all = new FactorMatrix(50, 3);
        Initialization.RANDOM.fill(all, 9);
        int[] rows = {0, 4, 5, 31, 49};
        FactorMatrix some = new FactorMatrix(rows.length, 3);
        Initialization.RANDOM.fillRows(some, 9, rows);
        for (int r = 0; r < rows.length; r++) {
            assertArrayEquals(all.row(rows[r]), some.row(r), 0.0, "row " + rows[r]);
        }
        FactorMatrix ones = new FactorMatrix(2, 3);
        Initialization.ONES.fillRows(ones, 9, new int[] {3, 7});
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, ones.data(), 0.0);
        FactorMatrix none = new FactorMatrix(0, 3);
        Initialization.RANDOM.fillRows(none, 9, new int[0]);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Initialization.RANDOM.fillRows(new FactorMatrix(2, 3), 9, new int[] {5, 5}));
    }

    @Test
    void drawingOnThreadsGivesTheSameRowsBitForBit() {
        // 1,100 rows: two full blocks of the fill's 512 and a part-filled one. fillRows splits the
        // row streams and draws each row in one loop, a separate code path from the shared-out fill.
        int n = 1100;
        int[] every = new int[n];
        for (int r = 0; r < n; r++) {
            every[r] = r;
        }
        FactorMatrix expected = new FactorMatrix(n, 5);
        Initialization.RANDOM.fillRows(expected, 11, every);
        for (int threads = 1; threads <= 3; threads++) {
            FactorMatrix m = new FactorMatrix(n, 5);
            try (io.als.spi.rowwise.RowParallel parallel = new io.als.spi.rowwise.RowParallel(threads)) {
                Initialization.RANDOM.fill(m, 11, parallel);
            }
            assertEquals(expected, m, threads + " thread(s)");
        }
        FactorMatrix sequential = new FactorMatrix(n, 5);
        Initialization.RANDOM.fill(sequential, 11);
        assertEquals(expected, sequential, "fill without threads");
    }

    @Test
    void randomRowsAreNormalDraws() {
        // A row of rank 2 is (|z1|, |z2|) / ||z|| for independent standard normals, so its first
        // entry squared, z1^2 / (z1^2 + z2^2), follows Beta(1/2, 1/2): mean 1/2, variance 1/8.
        FactorMatrix m = new FactorMatrix(40_000, 2);
        Initialization.RANDOM.fill(m, 3);
        double sum = 0;
        double below = 0;
        for (int r = 0; r < m.rows(); r++) {
            double share = m.get(r, 0) * m.get(r, 0);
            sum += share;
            // Its distribution function is (2/pi) asin(sqrt(x)): P(x1^2 <= 1/4) = (2/pi) asin(1/2) = 1/3.
            below += share <= 0.25 ? 1 : 0;
        }
        // Standard errors: sqrt(1/8 / 40000) = 0.0018 for the mean, sqrt(2/9 / 40000) = 0.0024 for
        // the fraction; allow five.
        assertEquals(0.5, sum / m.rows(), 0.009);
        assertEquals(1.0 / 3, below / m.rows(), 0.012);
    }
}
