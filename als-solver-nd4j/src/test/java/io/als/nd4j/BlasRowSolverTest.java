package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.SparseView;
import io.als.conformance.Problems;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The per-worker pipeline: workspaces, both Gram methods with and without weights and a
 * shared term, and the singular cases (through a step, whose shared row loop reports them).
 */
class BlasRowSolverTest {

    @BeforeAll
    static void loadNatives() {
        NativeRuntime.acquire();
    }

    @AfterAll
    static void releaseNatives() {
        NativeRuntime.release();
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
        assertMatchesDirectSolve(method, 5, false, false);
        assertMatchesDirectSolve(method, 9, false, false);
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void weightedRowsAndASharedTermMatchADirectSolve(GramMethod method) {
        for (int k : new int[] {1, 5, 9, 32}) {
            assertMatchesDirectSolve(method, k, true, false);
            assertMatchesDirectSolve(method, k, false, true);
            assertMatchesDirectSolve(method, k, true, true);
        }
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void weightsOfOneAreBitIdenticalToNoWeights(GramMethod method) {
        for (int k : new int[] {2, 7, 33}) {
            SparseView plain = Problems.sparse(30, 60, 0.5, 100 + k);
            double[] ones = new double[plain.nnz()];
            Arrays.fill(ones, 1.0);
            FactorMatrix fixed = Problems.factors(60, k, 200 + k);
            Gram shared = Gram.of(Problems.factors(10, k, 300 + k));
            for (Gram g : new Gram[] {null, shared}) {
                FactorMatrix a = new FactorMatrix(30, k);
                FactorMatrix b = new FactorMatrix(30, k);
                try (LeastSquaresStep step = new Nd4jSolver(method).newStep(k, 2)) {
                    step.solve(plain, fixed, Regularizer.weighted(0.1), g, a);
                    step.solve(plain.withWeights(ones), fixed, Regularizer.weighted(0.1), g, b);
                }
                assertArrayEquals(a.data(), b.data(), 0.0, method + ", rank " + k + (g == null ? "" : ", shared term"));
            }
        }
    }

    /**
     * Rows of a generated problem solved one at a time by a row solver, against Gaussian
     * elimination on the dense system; weights (some zero) and a shared term on request.
     */
    private static void assertMatchesDirectSolve(GramMethod method, int k, boolean weighted, boolean withShared) {
        SparseView observed = Problems.sparse(12, 20, 0.6, 11);
        if (weighted) {
            double[] w = new double[observed.nnz()];
            for (int e = 0; e < w.length; e++) {
                w[e] = e % 5 == 0 ? 0 : 0.25 + 3.5 * ((e * 37) % 11) / 11.0;
            }
            observed = observed.withWeights(w);
        }
        Gram shared = withShared ? Gram.of(Problems.factors(7, k, 13)).scaled(0.5) : null;
        FactorMatrix fixed = Problems.factors(20, k, 12);
        Regularizer reg = Regularizer.weighted(0.3);
        double[] x = new double[k];
        try (BlasRowSolver solver = new BlasRowSolver(k, method)) {
            for (int r = 0; r < 12; r++) {
                if (observed.count(r) == 0) {
                    continue;
                }
                assertTrue(solver.solve(observed, r, fixed, shared, reg.penalty(observed.count(r)), x));
                double[] want = directSolve(observed, fixed, reg, shared, r);
                assertArrayEquals(want, x, 1e-12 * (1 + maxAbs(want)), method + ", rank " + k + ", row " + r
                        + (weighted ? ", weighted" : "") + (withShared ? ", shared term" : ""));
            }
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
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
        double[] x = new double[4];
        try (BlasRowSolver solver = new BlasRowSolver(4, GramMethod.BLAS_SYRK)) {
            int capacity = 0;
            for (int r = 0; r < lengths.length; r++) {
                assertTrue(solver.solve(observed, r, fixed, null, 0.1, x));
                int now = solver.gatherCapacityRows();
                assertTrue(now >= lengths[r], "row " + r + " of length " + lengths[r] + " fits in " + now);
                if (lengths[r] <= capacity) {
                    assertEquals(capacity, now, "row " + r + " fits, so nothing is reallocated");
                }
                capacity = now;
            }
            for (int r = 0; r < lengths.length; r++) {
                assertTrue(solver.solve(observed, r, fixed, null, 0.1, x));
            }
            assertEquals(capacity, solver.gatherCapacityRows(), "no growth on a second pass");
        }
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void linearlyDependentFactorsWithoutPenaltyAreSingularEvenWithEnoughRatings(GramMethod method) {
        // Three ratings for rank 2, but every fixed row is a multiple of (1, 2): F^T F has rank 1.
        FactorMatrix fixed = FactorMatrix.of(3, 2, 1, 2, 2, 4, -3, -6);
        SparseView observed = SparseView.copyOf(1, 3, new int[] {0, 3}, new int[] {0, 1, 2}, new double[] {1, 2, 3});
        try (LeastSquaresStep step = new Nd4jSolver(method).newStep(2, 1)) {
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> step.solve(observed, fixed, Regularizer.none(), new FactorMatrix(1, 2)));
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
        FactorMatrix out = FactorMatrix.of(1, 2, 7, 7);
        try (LeastSquaresStep step = new Nd4jSolver(method).newStep(2, 1)) {
            assertThrows(SingularSystemException.class, () -> step.solve(observed, fixed, Regularizer.l2(0.1), out));
        }
        assertArrayEquals(new double[] {7, 7}, out.data(), 0.0, "a failed row leaves its output untouched");
    }

    @ParameterizedTest
    @EnumSource(GramMethod.class)
    void aWorkspaceIsCleanAgainAfterAFailure(GramMethod method) {
        int k = 3;
        FactorMatrix bad = FactorMatrix.of(3, k, 1e200, 1e200, 1e200, 1, 1, 1, 2, 2, 2);
        SparseView observed = Problems.sparse(6, 3, 1.0, 5);
        FactorMatrix good = Problems.factors(3, k, 6);
        Regularizer reg = Regularizer.l2(0.2);
        double[] fresh;
        try (BlasRowSolver s = new BlasRowSolver(k, method)) {
            fresh = solveAll(s, observed, good, reg);
        }
        double[] reused;
        try (BlasRowSolver s = new BlasRowSolver(k, method)) {
            double[] x = new double[k];
            int failures = 0;
            for (int r = 0; r < 6; r++) {
                try {
                    if (!s.solve(observed, r, bad, null, reg.penalty(observed.count(r)), x)) {
                        failures++;
                    }
                } catch (RuntimeException e) {
                    failures++;
                }
            }
            assertTrue(failures > 0, "the overflowing factors make rows fail");
            reused = solveAll(s, observed, good, reg);
        }
        assertArrayEquals(fresh, reused, 0.0);
    }

    /** Solves every row (all must succeed) and returns the solutions, row-major. */
    private static double[] solveAll(BlasRowSolver s, SparseView observed, FactorMatrix fixed, Regularizer reg) {
        int k = fixed.rank();
        double[] out = new double[observed.rows() * k];
        double[] x = new double[k];
        for (int r = 0; r < observed.rows(); r++) {
            assertTrue(s.solve(observed, r, fixed, null, reg.penalty(observed.count(r)), x), "row " + r);
            System.arraycopy(x, 0, out, r * k, k);
        }
        return out;
    }

    /**
     * Plain Gaussian elimination with partial pivoting on the row's normal equation
     * {@code (G + sum_e w_e f_e f_e^T + lambda I) x = sum_e v_e f_e}.
     */
    private static double[] directSolve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, int r) {
        int k = fixed.rank();
        double[][] a = new double[k][k + 1];
        for (int e = observed.start(r); e < observed.end(r); e++) {
            int j = observed.index(e);
            for (int p = 0; p < k; p++) {
                a[p][k] += observed.value(e) * fixed.get(j, p);
                for (int q = 0; q < k; q++) {
                    a[p][q] += observed.weight(e) * fixed.get(j, p) * fixed.get(j, q);
                }
            }
        }
        for (int p = 0; p < k; p++) {
            a[p][p] += reg.penalty(observed.count(r));
            for (int q = 0; shared != null && q < k; q++) {
                a[p][q] += shared.get(p, q);
            }
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
