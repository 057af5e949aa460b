package io.als.spi.rowwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.als.api.Regularizer;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing a step releases the row solvers that hold resources. */
class RowwiseLeastSquaresStepTest {

    /** Solves every row to zero and counts how often it is closed. */
    private static final class Closeable implements RowwiseLeastSquaresStep.RowSolver, AutoCloseable {
        int closes;
        RuntimeException onClose;

        @Override
        public boolean solve(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x) {
            java.util.Arrays.fill(x, 0);
            return true;
        }

        @Override
        public void close() {
            closes++;
            if (onClose != null) {
                throw onClose;
            }
        }
    }

    @Test
    void closingTheStepClosesEveryCloseableRowSolverOnce() {
        List<Closeable> made = new ArrayList<>();
        RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolvers(2, 3, k -> {
            Closeable c = new Closeable();
            made.add(c);
            return c;
        });
        SparseView one = SparseView.copyOf(1, 1, new int[] {0, 1}, new int[] {0}, new double[] {1});
        step.solve(one, new FactorMatrix(1, 2), Regularizer.l2(1), new FactorMatrix(1, 2));
        step.close();
        step.close();
        assertEquals(3, made.size());
        for (Closeable c : made) {
            assertEquals(1, c.closes, "closed exactly once");
        }
        assertThrows(IllegalStateException.class,
                () -> step.solve(one, new FactorMatrix(1, 2), Regularizer.l2(1), new FactorMatrix(1, 2)));
    }

    @Test
    void aFailingCloseDoesNotKeepTheOthersOpen() {
        List<Closeable> made = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolvers(1, 2, k -> {
            Closeable c = new Closeable();
            if (made.isEmpty()) {
                c.onClose = boom;
            }
            made.add(c);
            return c;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, step::close));
        assertEquals(1, made.get(1).closes, "the second row solver is closed although the first failed");
    }

    /**
     * Takes three rows at a time, writes {@code (row, penalty)} as each row's solution, and
     * fails the row {@code failing} (through the default {@code solveRows}).
     */
    private static final class Batching implements RowwiseLeastSquaresStep.RowSolver {
        final List<Integer> batchSizes = new ArrayList<>();
        int failing = -1;

        @Override
        public boolean solve(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x) {
            x[0] = r;
            x[1] = penalty;
            return r != failing;
        }

        @Override
        public int batchRows() {
            return 3;
        }

        @Override
        public int solveRows(SparseView observed, int[] rows, int count, FactorMatrix fixed, Gram shared,
                             double[] penalties, double[] xs) {
            batchSizes.add(count);
            return RowwiseLeastSquaresStep.RowSolver.super.solveRows(observed, rows, count, fixed, shared, penalties,
                    xs);
        }
    }

    @Test
    void batchesSkipEmptyRowsAndReportTheFailingRow() {
        // Rows 0-7; rows 2 and 5 are empty. Batches of three non-empty rows: (0, 1, 3), (4, 6, 7).
        int[] ptr = {0, 1, 3, 3, 4, 6, 6, 7, 9};
        int[] idx = {0, 0, 1, 1, 0, 1, 0, 0, 1};
        double[] val = new double[idx.length];
        java.util.Arrays.fill(val, 1);
        SparseView view = SparseView.copyOf(8, 2, ptr, idx, val);
        Batching solver = new Batching();
        RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolvers(2, 1, k -> solver);
        FactorMatrix target = FactorMatrix.filled(8, 2, 9);
        step.solve(view, new FactorMatrix(2, 2), Regularizer.weighted(0.5), target);
        assertEquals(List.of(3, 3), solver.batchSizes);
        for (int r = 0; r < 8; r++) {
            boolean empty = r == 2 || r == 5;
            assertEquals(empty ? 0 : r, target.get(r, 0), "row " + r);
            // weighted(0.5): the penalty is 0.5 times the row's count of entries
            assertEquals(empty ? 0 : 0.5 * view.count(r), target.get(r, 1), "row " + r);
        }
        solver.failing = 6;
        io.als.api.SingularSystemException e = assertThrows(io.als.api.SingularSystemException.class,
                () -> step.solve(view, new FactorMatrix(2, 2), Regularizer.weighted(0.5), new FactorMatrix(8, 2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row 6"), e.getMessage());
    }

    @Test
    void batchesEndWithTheBlockAndNothingIsLeftOverAfterAFailure() {
        // 150 rows of 1 or 2 entries at rank 2 (row r has 2 entries when r % 3 != 0): blocks of
        // 64 rows, so batches of three end early at each block's end. Without a penalty, row 0
        // (one entry, fewer than the rank) is refused; solved again with a penalty, every row
        // must come out, none taken from the failed call's leftovers.
        int rows = 150;
        int[] ptr = new int[rows + 1];
        List<Integer> idx = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            idx.add(0);
            if (r % 3 != 0) {
                idx.add(1);
            }
            ptr[r + 1] = idx.size();
        }
        double[] val = new double[idx.size()];
        java.util.Arrays.fill(val, 1);
        SparseView view = SparseView.copyOf(rows, 2, ptr, idx.stream().mapToInt(Integer::intValue).toArray(), val);
        Batching solver = new Batching();
        RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolvers(2, 1, k -> solver);
        io.als.api.SingularSystemException e = assertThrows(io.als.api.SingularSystemException.class,
                () -> step.solve(view, new FactorMatrix(2, 2), Regularizer.none(), new FactorMatrix(rows, 2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        solver.batchSizes.clear();
        FactorMatrix target = new FactorMatrix(rows, 2);
        step.solve(view, new FactorMatrix(2, 2), Regularizer.l2(1), target);
        for (int r = 0; r < rows; r++) {
            assertEquals(r, target.get(r, 0), "row " + r);
        }
        // Blocks of 64, 64 and 22 rows: 21 full batches and a batch of one, twice, then 7 and 1.
        int ones = (int) solver.batchSizes.stream().filter(n -> n == 1).count();
        assertEquals(3, ones, solver.batchSizes.toString());
        assertEquals(rows, solver.batchSizes.stream().mapToInt(Integer::intValue).sum());
    }

    /** A block solver that records the blocks it was given and writes each row's index into it. */
    private static final class RecordingBlocks implements RowwiseLeastSquaresStep.CgBlockSolver, AutoCloseable {
        final List<int[]> blocks = new ArrayList<>();
        int closes;

        @Override
        public void iterate(SparseView observed, int from, int to, FactorMatrix fixed, Regularizer reg, Gram shared,
                            FactorMatrix target, int steps) {
            synchronized (blocks) {
                blocks.add(new int[] {from, to});
            }
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(target.data(), r * target.rank(), (r + 1) * target.rank(), r);
            }
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void blockConjugateGradientCoversEveryRowInFixedBlocksAndIsClosed() {
        List<RecordingBlocks> made = new ArrayList<>();
        RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolversAndBlockCg(2, 2, k -> new Closeable(), k -> {
            RecordingBlocks b = new RecordingBlocks();
            made.add(b);
            return b;
        });
        int rows = 2 * RowwiseLeastSquaresStep.BLOCK_ROWS + 5;
        int[] ptr = new int[rows + 1];
        SparseView empty = SparseView.copyOf(rows, 1, ptr, new int[0], new double[0]);
        FactorMatrix target = new FactorMatrix(rows, 2);
        step.solveConjugateGradient(empty, new FactorMatrix(1, 2), Regularizer.l2(1), null, target, 3);
        step.close();
        List<int[]> all = new ArrayList<>();
        for (RecordingBlocks b : made) {
            all.addAll(b.blocks);
            assertEquals(1, b.closes, "closed exactly once");
        }
        all.sort(java.util.Comparator.comparingInt(b -> b[0]));
        assertEquals(3, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i * RowwiseLeastSquaresStep.BLOCK_ROWS, all.get(i)[0]);
            assertEquals(Math.min(rows, (i + 1) * RowwiseLeastSquaresStep.BLOCK_ROWS), all.get(i)[1]);
        }
        for (int r = 0; r < rows; r++) {
            assertEquals(r, target.row(r)[1], 0.0);
        }
    }

    @Test
    void theChunkedGramAgreesWithGramOfAndIsTheSameForEveryThreadCount() {
        int rows = 2 * RowwiseLeastSquaresStep.GRAM_CHUNK_ROWS + 7;
        int k = 5;
        FactorMatrix f = new FactorMatrix(rows, k);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < f.data().length; i++) {
            f.data()[i] = rnd.nextDouble() - 0.5;
        }
        double[] expected = Gram.of(f).toDense();
        double[] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (RowwiseLeastSquaresStep step = RowwiseLeastSquaresStep.ofRowSolvers(k, threads, r -> new Closeable())) {
                double[] got = step.gram(f).toDense();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(expected[i], got[i], 1e-12 * rows);
                }
                if (first == null) {
                    first = got;
                } else {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(first, got, 0.0, threads + " threads");
                }
            }
        }
    }
}
