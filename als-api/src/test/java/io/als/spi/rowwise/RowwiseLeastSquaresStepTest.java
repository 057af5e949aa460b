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
}
