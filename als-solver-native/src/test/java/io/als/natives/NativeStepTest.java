package io.als.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The native step's own paths, beyond the conformance kit: the eight systems factored side by
 * side at small ranks (which row is reported when several fail, and that a row's result does
 * not depend on the rows solved with it), and the two ways of reading the fixed side (padded
 * once per half-step, or each row's factor rows copied when the half-step is small).
 */
class NativeStepTest {

    private static FactorMatrix factors(int rows, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FactorMatrix f = new FactorMatrix(rows, rank);
        for (int i = 0; i < f.data().length; i++) {
            f.data()[i] = rnd.nextDouble(-1, 1);
        }
        return f;
    }

    /** Rows given as arrays of column indices, every value 3. */
    private static SparseView view(int cols, int[]... rows) {
        int[] ptr = new int[rows.length + 1];
        for (int r = 0; r < rows.length; r++) {
            ptr[r + 1] = ptr[r] + rows[r].length;
        }
        int[] idx = new int[ptr[rows.length]];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, idx, ptr[r], rows[r].length);
        }
        double[] val = new double[idx.length];
        Arrays.fill(val, 3);
        return SparseView.copyOf(rows.length, cols, ptr, idx, val);
    }

    /** Columns 0..n-1: a full-rank row when n is at least the rank. */
    private static int[] first(int n) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i;
        }
        return c;
    }

    /**
     * A fixed side of rank 4 whose rows 20-29 are all the same vector: a row whose entries are
     * all among them has a normal matrix of rank 1, which fails the pivot test without a
     * penalty although it has more entries than the rank (so it is not refused by the count).
     */
    private static FactorMatrix withRepeatedRows() {
        FactorMatrix f = factors(40, 4, 7);
        for (int r = 21; r < 30; r++) {
            System.arraycopy(f.data(), 20 * 4, f.data(), r * 4, 4);
        }
        return f;
    }

    private static final int[] DEGENERATE = {20, 21, 22, 23, 24, 25};

    private static int failingRow(SparseView observed, FactorMatrix fixed) {
        try (LeastSquaresStep step = new NativeSolver().newStep(4, 1)) {
            return assertThrows(SingularSystemException.class,
                    () -> step.solve(observed, fixed, Regularizer.none(), null, new FactorMatrix(observed.rows(), 4)))
                    .row();
        }
    }

    @Test
    void theFirstFailingRowInOrderIsReportedWhateverMadeItFail() {
        FactorMatrix fixed = withRepeatedRows();
        // Two failed pivots in one group of eight: the earlier one.
        assertEquals(3, failingRow(view(40, first(6), first(7), first(8), DEGENERATE, first(9), DEGENERATE), fixed));
        // A failed pivot waiting in its group, then a row with too few entries: the pivot's row.
        assertEquals(2, failingRow(view(40, first(6), first(7), DEGENERATE, first(5), first(2), first(8)), fixed));
        // Too few entries first, a failed pivot after it: the first.
        assertEquals(1, failingRow(view(40, first(6), first(3), first(8), DEGENERATE, first(9)), fixed));
        // In a later group of eight (rows 8-15), after a full first group.
        int[][] rows = new int[12][];
        Arrays.fill(rows, first(10));
        rows[10] = DEGENERATE;
        assertEquals(10, failingRow(view(40, rows), fixed));
    }

    @Test
    void aRowsSolutionDoesNotDependOnTheRowsSolvedBesideIt() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int rank : new int[] {3, 8, 10, 13, 16, 24}) {
            FactorMatrix fixed = factors(300, rank, rank);
            int[][] rows = new int[21][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = rnd.ints(0, 300).distinct().limit(rank + rnd.nextInt(60)).sorted().toArray();
            }
            FactorMatrix together = new FactorMatrix(rows.length, rank);
            try (LeastSquaresStep step = new NativeSolver().newStep(rank, 2)) {
                step.solve(view(300, rows), fixed, Regularizer.weighted(0.1), null, together);
                for (int r = 0; r < rows.length; r++) {
                    FactorMatrix alone = new FactorMatrix(1, rank);
                    step.solve(view(300, rows[r]), fixed, Regularizer.weighted(0.1), null, alone);
                    assertArrayEquals(alone.data(), Arrays.copyOfRange(together.data(), r * rank, (r + 1) * rank),
                            0.0, "rank " + rank + ", row " + r);
                }
            }
        }
    }

    @Test
    void readingTheFixedSidePaddedOrCopiedGivesTheSameRows() {
        // A half-step with fewer entries than fixed rows copies each row's factor rows; with
        // more, the fixed side is padded once. The arithmetic is the same either way.
        SplittableRandom rnd = new SplittableRandom(5);
        for (int rank : new int[] {5, 10, 12, 20}) {
            FactorMatrix fixed = factors(2000, rank, rank);
            int[][] many = new int[80][];
            for (int r = 0; r < many.length; r++) {
                many[r] = rnd.ints(0, 2000).distinct().limit(30 + rnd.nextInt(40)).sorted().toArray();
            }
            SparseView big = view(2000, many);
            SparseView small = view(2000, many[0], many[1]);
            assertTrue(big.nnz() >= fixed.rows() && small.nnz() < fixed.rows());
            for (boolean cg : new boolean[] {false, true}) {
                FactorMatrix all = factors(many.length, rank, 3);
                FactorMatrix two = new FactorMatrix(2, rank);
                System.arraycopy(all.data(), 0, two.data(), 0, 2 * rank);
                try (LeastSquaresStep step = new NativeSolver().newStep(rank, 2)) {
                    if (cg) {
                        step.solveConjugateGradient(big, fixed, Regularizer.l2(0.5), null, all, 3);
                        step.solveConjugateGradient(small, fixed, Regularizer.l2(0.5), null, two, 3);
                    } else {
                        step.solve(big, fixed, Regularizer.l2(0.5), null, all);
                        step.solve(small, fixed, Regularizer.l2(0.5), null, two);
                    }
                }
                assertArrayEquals(two.data(), Arrays.copyOfRange(all.data(), 0, 2 * rank), 0.0,
                        "rank " + rank + (cg ? ", cg" : ", cholesky"));
            }
        }
    }
    /**
     * A step remembers the row penalties of the last two (view, penalty) pairs: a third view, or
     * the same view under another penalty, must be worked out afresh. Each solve is compared
     * with a new step's (bit for bit), in an order that reuses, evicts and comes back.
     */
    @Test
    void rememberedPenaltiesFollowTheViewAndThePenalty() {
        int rank = 6;
        FactorMatrix fixed = factors(40, rank, 3);
        SparseView a = view(40, first(7), first(12), first(20));
        SparseView b = view(40, first(9), first(30));
        SparseView c = view(40, first(6), first(6), first(40), first(8));
        Regularizer light = Regularizer.weighted(0.01);
        Regularizer heavy = Regularizer.weighted(50);
        Object[][] order = {{a, light}, {b, light}, {a, light}, {a, heavy}, {b, light}, {c, light}, {a, heavy},
            {a, light}, {c, heavy}, {b, light}};
        try (LeastSquaresStep step = new NativeSolver().newStep(rank, 2)) {
            for (int n = 0; n < order.length; n++) {
                SparseView v = (SparseView) order[n][0];
                Regularizer reg = (Regularizer) order[n][1];
                FactorMatrix got = new FactorMatrix(v.rows(), rank);
                step.solve(v, fixed, reg, got);
                FactorMatrix expected = new FactorMatrix(v.rows(), rank);
                try (LeastSquaresStep fresh = new NativeSolver().newStep(rank, 2)) {
                    fresh.solve(v, fixed, reg, expected);
                }
                assertArrayEquals(expected.data(), got.data(), 0.0, "solve " + n);
            }
        }
    }
}
