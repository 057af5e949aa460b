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
