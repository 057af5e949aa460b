package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.SparseView;
import io.als.conformance.Problems;
import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The per-worker pipeline: workspaces, both Gram methods, and the singular cases. */
class RowSolverTest {

    @BeforeAll
    static void loadNatives() {
        NativeRuntime.prepare();
    }

    @Test
    void offHeapArraysAreCacheLineAlignedAndSharedWithNativeCode() {
        for (int n : new int[] {1, 7, 65, 1000}) {
            try (OffHeapArray a = new OffHeapArray(n)) {
                assertEquals(0, a.address() % OffHeapArray.ALIGNMENT_BYTES, "length " + n);
                DoubleBuffer b = a.buffer();
                assertEquals(n, b.capacity());
                b.put(n - 1, 2.5);
                DoublePointer p = a.pointer(n - 1);
                assertEquals(2.5, p.get(), 0.0, "a value written from Java is seen at the native address");
                p.put(-1.25);
                assertEquals(-1.25, b.get(n - 1), 0.0, "and the other way round");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void bothMethodsMatchADirectSolve(GramMethod method) {
        int k = 5;
        SparseView observed = Problems.sparse(12, 20, 0.6, 11);
        FactorMatrix fixed = Problems.factors(20, k, 12);
        Regularizer reg = Regularizer.weighted(0.3);
        double[] out = new double[12 * k];
        try (RowSolver solver = new RowSolver(k, method)) {
            solver.solveRows(observed, fixed, reg, out, 0, 12);
        }
        for (int r = 0; r < 12; r++) {
            double[] want = directSolve(observed, fixed, reg, r);
            double[] got = java.util.Arrays.copyOfRange(out, r * k, (r + 1) * k);
            assertArrayEquals(want, got, 1e-12, "row " + r);
        }
    }

    @Test
    void gatherBufferGrowsOnlyForLongerRows() {
        // Row lengths 3, 10, 2, 10, 30: the buffer must grow at 3, 10 and 30 only.
        int[] lengths = {3, 10, 2, 10, 30};
        int cols = 40;
        int[] ptr = new int[lengths.length + 1];
        for (int r = 0; r < lengths.length; r++) {
            ptr[r + 1] = ptr[r] + lengths[r];
        }
        int[] idx = new int[ptr[lengths.length]];
        double[] val = new double[idx.length];
        for (int r = 0; r < lengths.length; r++) {
            for (int e = 0; e < lengths[r]; e++) {
                idx[ptr[r] + e] = e;
                val[ptr[r] + e] = 1 + e % 5;
            }
        }
        SparseView observed = SparseView.copyOf(lengths.length, cols, ptr, idx, val);
        FactorMatrix fixed = Problems.factors(cols, 4, 3);
        double[] out = new double[lengths.length * 4];
        try (RowSolver solver = new RowSolver(4, GramMethod.BLAS_SYRK)) {
            int capacity = 0;
            for (int r = 0; r < lengths.length; r++) {
                solver.solveRows(observed, fixed, Regularizer.l2(0.1), out, r, r + 1);
                int now = solver.gatherCapacityRows();
                assertTrue(now >= lengths[r], "row " + r + " of length " + lengths[r] + " fits in " + now);
                if (lengths[r] <= capacity) {
                    assertEquals(capacity, now, "row " + r + " fits, so nothing is reallocated");
                }
                capacity = now;
            }
            solver.solveRows(observed, fixed, Regularizer.l2(0.1), out, 0, lengths.length);
            assertEquals(capacity, solver.gatherCapacityRows(), "no growth on a second pass");
        }
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void linearlyDependentFactorsWithoutPenaltyAreSingularEvenWithEnoughRatings(GramMethod method) {
        // Three ratings for rank 2, but every fixed row is a multiple of (1, 2): F^T F has rank 1.
        FactorMatrix fixed = FactorMatrix.of(3, 2, 1, 2, 2, 4, -3, -6);
        SparseView observed = SparseView.copyOf(1, 3, new int[] {0, 3}, new int[] {0, 1, 2}, new double[] {1, 2, 3});
        try (RowSolver solver = new RowSolver(2, method)) {
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> solver.solveRows(observed, fixed, Regularizer.none(), new double[2], 0, 1));
            assertEquals(0, e.row());
            assertEquals(3, e.observations());
            assertEquals(0.0, e.penalty());
        }
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void overflowingInputsAreReportedNotWritten(GramMethod method) {
        FactorMatrix fixed = FactorMatrix.of(2, 2, 1e200, 0, 0, 1e200);
        SparseView observed = SparseView.copyOf(1, 2, new int[] {0, 2}, new int[] {0, 1}, new double[] {1, 1});
        double[] out = {7, 7};
        try (RowSolver solver = new RowSolver(2, method)) {
            assertThrows(SingularSystemException.class,
                    () -> solver.solveRows(observed, fixed, Regularizer.l2(0.1), out, 0, 1));
        }
        assertArrayEquals(new double[] {7, 7}, out, 0.0, "a failed row leaves its output untouched");
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void aWorkspaceIsCleanAgainAfterAFailure(GramMethod method) {
        int k = 3;
        FactorMatrix bad = FactorMatrix.of(3, k, 1e200, 1e200, 1e200, 1, 1, 1, 2, 2, 2);
        SparseView observed = Problems.sparse(6, 3, 1.0, 5);
        FactorMatrix good = Problems.factors(3, k, 6);
        Regularizer reg = Regularizer.l2(0.2);
        double[] fresh = new double[6 * k];
        try (RowSolver s = new RowSolver(k, method)) {
            s.solveRows(observed, good, reg, fresh, 0, 6);
        }
        double[] reused = new double[6 * k];
        try (RowSolver s = new RowSolver(k, method)) {
            assertThrows(SingularSystemException.class, () -> s.solveRows(observed, bad, reg, new double[6 * k], 0, 6));
            s.solveRows(observed, good, reg, reused, 0, 6);
        }
        assertArrayEquals(fresh, reused, 0.0);
    }

    /** Plain Gaussian elimination with partial pivoting on the row's normal equation. */
    private static double[] directSolve(SparseView observed, FactorMatrix fixed, Regularizer reg, int r) {
        int k = fixed.rank();
        double[][] a = new double[k][k + 1];
        for (int e = observed.start(r); e < observed.end(r); e++) {
            int j = observed.index(e);
            for (int p = 0; p < k; p++) {
                a[p][k] += observed.value(e) * fixed.get(j, p);
                for (int q = 0; q < k; q++) {
                    a[p][q] += fixed.get(j, p) * fixed.get(j, q);
                }
            }
        }
        for (int p = 0; p < k; p++) {
            a[p][p] += reg.penalty(observed.count(r));
        }
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int i = c + 1; i < k; i++) {
                if (Math.abs(a[i][c]) > Math.abs(a[pivot][c])) {
                    pivot = i;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int i = c + 1; i < k; i++) {
                double f = a[i][c] / a[c][c];
                for (int j = c; j <= k; j++) {
                    a[i][j] -= f * a[c][j];
                }
            }
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = a[i][k];
            for (int j = i + 1; j < k; j++) {
                s -= a[i][j] * x[j];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
