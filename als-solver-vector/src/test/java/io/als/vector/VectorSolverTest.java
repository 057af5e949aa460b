package io.als.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.spi.SparseView;
import io.als.api.SolverRegistry;
import io.als.ejml.EjmlSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels against an independent implementation: the ejml solver (SuperWord Gram,
 * scalar-order in-place Cholesky) on the same half-steps. The kit checks the mathematics;
 * this checks the tiling at the shapes where tiling goes wrong: every rank around the vector
 * width, the tile height and the Cholesky block, and rows longer than a gathered chunk.
 */
class VectorSolverTest {

    @Test
    void registeredByNameThroughServiceLoaderAndGuice() {
        SolverRegistry registry = SolverRegistry.discover();
        assertTrue(registry.names().contains(VectorSolver.NAME), registry.names().toString());
        assertInstanceOf(VectorSolver.class, registry.get(VectorSolver.NAME));
        assertTrue(VectorSolver.available(), "surefire starts this JVM with --add-modules jdk.incubator.vector");
    }

    @Test
    void strideIsTheSmallestWholeNumberOfVectorsAndTileRows() {
        // The build runs this class at the machine's width and capped at 4 and 2 (pom.xml: MaxVectorSize 32, 16).
        int vl = VectorNormalEquation.VL;
        int unit = Math.max(vl, VectorNormalEquation.TILE_ROWS);
        for (int k = 1; k <= 130; k++) {
            int kp = VectorNormalEquation.stride(k);
            assertTrue(kp >= k && kp < k + unit, "rank " + k + ": stride " + kp);
            assertEquals(0, kp % vl, "rank " + k);
            assertEquals(0, kp % VectorNormalEquation.TILE_ROWS, "rank " + k);
        }
        System.out.println("vector width " + vl + " doubles, tile rows " + VectorNormalEquation.TILE_ROWS
                + ", stride at rank 10: " + VectorNormalEquation.stride(10));
    }

    @Test
    void agreesWithTheEjmlSolverAtEveryShapeOfTheTiles() {
        int vl = VectorNormalEquation.VL;
        List<Integer> ranks = new ArrayList<>(List.of(1, 2, 3, 4, 5, 7, 9, 15, 16, 17, 24, 31, 33, 64, 67, 100));
        for (int edge : new int[] {vl, 2 * vl, VectorNormalEquation.TILE_ROWS, VectorNormalEquation.CHOLESKY_BLOCK}) {
            ranks.add(edge - 1 > 0 ? edge - 1 : edge);
            ranks.add(edge);
            ranks.add(edge + 1);
        }
        for (int k : ranks) {
            SparseView rows = rows(60, 600, k);
            FactorMatrix fixed = random(600, k, k);
            Regularizer reg = Regularizer.weighted(0.1);
            FactorMatrix expected = new FactorMatrix(rows.rows(), k);
            FactorMatrix actual = new FactorMatrix(rows.rows(), k);
            try (LeastSquaresStep e = new EjmlSolver().newStep(k, 1);
                 LeastSquaresStep v = new VectorSolver().newStep(k, 2)) {
                e.solve(rows, fixed, reg, expected);
                v.solve(rows, fixed, reg, actual);
            }
            for (int r = 0; r < rows.rows(); r++) {
                double scale = 0;
                for (int c = 0; c < k; c++) {
                    scale = Math.max(scale, Math.abs(expected.get(r, c)));
                }
                for (int c = 0; c < k; c++) {
                    assertEquals(expected.get(r, c), actual.get(r, c), 1e-9 * scale,
                            "rank " + k + ", row " + r + " (" + rows.count(r) + " entries), column " + c);
                }
            }
        }
    }

    @Test
    void weightedRowsAndASharedTermAgreeWithTheEjmlSolverAtEveryShapeOfTheTiles() {
        for (int k : tileRanks()) {
            SparseView plain = rows(40, 600, 31L * k);
            SplittableRandom rng = new SplittableRandom(k);
            double[] w = new double[plain.nnz()];
            for (int e = 0; e < w.length; e++) {
                // Zero, fractional and large weights, so that the weighted copy really differs.
                w[e] = e % 7 == 0 ? 0 : rng.nextDouble(0.1, 40);
            }
            SparseView weighted = plain.withWeights(w);
            FactorMatrix fixed = random(600, k, k + 1);
            Gram shared = Gram.of(random(50, k, k + 2)).scaled(0.3);
            Regularizer reg = Regularizer.weighted(0.1);
            for (Gram g : new Gram[] {null, shared}) {
                for (SparseView view : new SparseView[] {plain, weighted}) {
                    FactorMatrix expected = new FactorMatrix(view.rows(), k);
                    FactorMatrix actual = new FactorMatrix(view.rows(), k);
                    try (LeastSquaresStep e = new EjmlSolver().newStep(k, 1);
                         LeastSquaresStep v = new VectorSolver().newStep(k, 2)) {
                        e.solve(view, fixed, reg, g, expected);
                        v.solve(view, fixed, reg, g, actual);
                    }
                    assertClose(expected, actual, "rank " + k + (view.weighted() ? ", weighted" : "")
                            + (g != null ? ", shared term" : ""));
                }
            }
        }
    }

    /**
     * The block conjugate gradient (four rows in lockstep, the passes over the entries held in
     * registers at padded ranks of four and eight vectors) against the plain-Java
     * {@link io.als.spi.rowwise.ConjugateGradient}, a separate implementation of the same
     * iteration, on an implicit-shaped half-step (weights, values {@code 1 + w}, a shared Gram),
     * from the same start, at every rank around those padded widths. The two sum in different
     * orders, so they agree to rounding, not bit for bit.
     */
    @Test
    void blockConjugateGradientAgreesWithThePlainJavaOneAtEveryPassShape() {
        int vl = VectorBlockConjugateGradient.VL;
        List<Integer> ranks = new ArrayList<>(List.of(1, 5, 10, 64));
        for (int edge : new int[] {vl, 4 * vl, 8 * vl}) {
            ranks.add(edge - 1);
            ranks.add(edge);
            ranks.add(edge + 1);
        }
        for (int k : ranks.stream().distinct().sorted().toList()) {
            SparseView view = implicit(rows(23, 600, 11L * k), k, 5);
            FactorMatrix fixed = random(600, k, k + 3L);
            for (int i = 0; i < fixed.data().length; i++) {
                fixed.data()[i] *= 0.3;
            }
            Gram shared = Gram.of(fixed);
            FactorMatrix start = random(view.rows(), k, k + 4L);
            FactorMatrix expected = new FactorMatrix(view.rows(), k);
            FactorMatrix actual = new FactorMatrix(view.rows(), k);
            System.arraycopy(start.data(), 0, expected.data(), 0, start.data().length);
            System.arraycopy(start.data(), 0, actual.data(), 0, start.data().length);
            try (LeastSquaresStep reference = io.als.spi.rowwise.RowwiseLeastSquaresStep.ofRowSolvers(k, 1,
                    VectorNormalEquation::new);
                 LeastSquaresStep v = new VectorSolver().newStep(k, 2)) {
                reference.solveConjugateGradient(view, fixed, Regularizer.weighted(0.1), shared, expected, 3);
                v.solveConjugateGradient(view, fixed, Regularizer.weighted(0.1), shared, actual, 3);
            }
            assertClose(expected, actual, "rank " + k + ", conjugate gradient");
        }
    }

    @Test
    void weightsOfOneAreBitIdenticalToNoWeightsWithAndWithoutASharedTerm() {
        for (int k : tileRanks()) {
            SparseView plain = rows(30, 600, 7L * k);
            double[] ones = new double[plain.nnz()];
            java.util.Arrays.fill(ones, 1.0);
            SparseView weighted = plain.withWeights(ones);
            FactorMatrix fixed = random(600, k, 3L * k);
            Gram shared = Gram.of(random(20, k, 5L * k));
            for (Gram g : new Gram[] {null, shared}) {
                FactorMatrix a = new FactorMatrix(plain.rows(), k);
                FactorMatrix b = new FactorMatrix(plain.rows(), k);
                try (LeastSquaresStep v = new VectorSolver().newStep(k, 2)) {
                    v.solve(plain, fixed, Regularizer.weighted(0.05), g, a);
                    v.solve(weighted, fixed, Regularizer.weighted(0.05), g, b);
                }
                assertArrayEquals(a.data(), b.data(), 0.0, "rank " + k + (g != null ? ", shared term" : ""));
            }
        }
    }

    @Test
    void aSharedTermMakesRowsWithFewEntriesSolvableWithoutPenalty() {
        // One entry, rank 6, no penalty: singular alone, regular with a positive definite G.
        int k = 6;
        FactorMatrix fixed = random(10, k, 9);
        SparseView one = SparseView.copyOf(1, 10, new int[] {0, 1}, new int[] {4}, new double[] {2.5});
        Gram shared = Gram.of(random(30, k, 10));
        FactorMatrix expected = new FactorMatrix(1, k);
        FactorMatrix actual = new FactorMatrix(1, k);
        try (LeastSquaresStep e = new EjmlSolver().newStep(k, 1);
             LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
            assertThrows(SingularSystemException.class, () -> v.solve(one, fixed, Regularizer.none(), actual));
            e.solve(one, fixed, Regularizer.none(), shared, expected);
            v.solve(one, fixed, Regularizer.none(), shared, actual);
        }
        assertClose(expected, actual, "one entry and a shared term");
    }

    @Test
    void rankDeficientRowsAreReportedNotSolved() {
        // Without a penalty, a row with as many ratings as the rank, against items whose
        // factor rows are all the same, has a rank-one Gram matrix and must fail the pivot
        // test rather than return a solution made of rounding error.
        int k = 12;
        int[] ptr = {0, k};
        int[] idx = new int[k];
        double[] val = new double[k];
        for (int e = 0; e < k; e++) {
            idx[e] = e;
            val[e] = 3;
        }
        SparseView sameItem = SparseView.copyOf(1, k, ptr, idx, val);
        FactorMatrix fixed = new FactorMatrix(k, k);
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < k; c++) {
                fixed.set(i, c, 0.1 * (c + 1));
            }
        }
        try (LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> v.solve(sameItem, fixed, Regularizer.none(), new FactorMatrix(1, k)));
            assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        }
    }

    @Test
    void aRowsSolutionDoesNotDependOnTheRowsSolvedBesideIt() {
        // At ranks up to 16 rows are factored eight at a time, one per lane; a row must get
        // the same bits whichever rows share its batch. Prepending one row shifts every row
        // into a different batch (and lane); the weighted copy (weights of one) takes the
        // row-at-a-time path, gather copy and scalar Cholesky, which must agree bit for bit too.
        for (int k : new int[] {1, 4, 8, 9, 10, 12, 15, 16, 17}) {
            SparseView plain = rows(40, 500, 11L * k);
            SparseView shifted = prepend(plain, 17);
            double[] ones = new double[plain.nnz()];
            java.util.Arrays.fill(ones, 1.0);
            FactorMatrix fixed = random(500, k, 13L * k);
            FactorMatrix a = new FactorMatrix(plain.rows(), k);
            FactorMatrix b = new FactorMatrix(shifted.rows(), k);
            FactorMatrix c = new FactorMatrix(plain.rows(), k);
            try (LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
                v.solve(plain, fixed, Regularizer.weighted(0.05), a);
                v.solve(shifted, fixed, Regularizer.weighted(0.05), b);
                v.solve(plain.withWeights(ones), fixed, Regularizer.weighted(0.05), c);
            }
            double[] tail = java.util.Arrays.copyOfRange(b.data(), k, b.data().length);
            assertArrayEquals(a.data(), tail, 0.0, "rank " + k + ", shifted by one row");
            assertArrayEquals(a.data(), c.data(), 0.0, "rank " + k + ", one row at a time");
        }
    }

    @Test
    void aSingularRowInsideABatchIsTheOneReported() {
        // Rank 10, no penalty: row 5 of 8 has fewer ratings than the rank, as rows 0-4 and 6-7
        // do not; the batch must name row 5 (its message says "row 5").
        int k = 10;
        int rows = 8;
        int[] ptr = new int[rows + 1];
        List<Integer> idx = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int n = r == 5 ? 3 : 40;
            for (int e = 0; e < n; e++) {
                idx.add(r + 2 * e);
            }
            ptr[r + 1] = idx.size();
        }
        int[] flat = new int[idx.size()];
        double[] val = new double[idx.size()];
        for (int e = 0; e < flat.length; e++) {
            flat[e] = idx.get(e);
            val[e] = 1 + e % 5;
        }
        SparseView view = SparseView.copyOf(rows, 100, ptr, flat, val);
        FactorMatrix fixed = random(100, k, 21);
        Gram tiny = Gram.ofDense(k, new double[k * k]);
        try (LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
            // A zero shared term gets the row past the step's early check (fewer entries than
            // the rank without a penalty), so the batch's own pivot test must catch it.
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> v.solve(view, fixed, Regularizer.none(), tiny, new FactorMatrix(rows, k)));
            assertTrue(e.getMessage().contains("row 5"), e.getMessage());
        }
    }

    @Test
    void theFirstFailingRowIsReportedWhenSeveralFailInOneBatch() {
        // Rank 10, no penalty. Row 0 has 6 ratings and fails its pivot test at column 6; row 1
        // has 3 and fails at column 3, earlier. Solved one at a time, row 0 is reported, so a
        // batch must report row 0 too. Second case: row 0 fails its pivot test (12 ratings of
        // one repeated factor row) while row 1, with 3 ratings and nothing to make it regular,
        // is refused before any solve; row 0 still comes first.
        int k = 10;
        FactorMatrix fixed = random(100, k, 23);
        Gram zero = Gram.ofDense(k, new double[k * k]);
        SparseView few = lengths(new int[] {6, 3, 40, 40, 40, 40, 40, 40});
        try (LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> v.solve(few, fixed, Regularizer.none(), zero, new FactorMatrix(few.rows(), k)));
            assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        }
        SparseView view = lengths(new int[] {12, 3, 40, 40, 40, 40, 40, 40});
        FactorMatrix repeated = random(100, k, 29);
        for (int i = 0; i < 12; i++) {
            // Row 0's entries are the first 12 columns: give them one and the same factor row.
            System.arraycopy(repeated.data(), 0, repeated.data(), i * k, k);
        }
        try (LeastSquaresStep v = new VectorSolver().newStep(k, 1)) {
            SingularSystemException e = assertThrows(SingularSystemException.class,
                    () -> v.solve(view, repeated, Regularizer.none(), new FactorMatrix(view.rows(), k)));
            assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        }
    }

    /** Rows with the given numbers of entries, row r on columns r + 2e (distinct, increasing), values 1 to 5. */
    private static SparseView lengths(int[] counts) {
        int[] ptr = new int[counts.length + 1];
        for (int r = 0; r < counts.length; r++) {
            ptr[r + 1] = ptr[r] + counts[r];
        }
        int[] idx = new int[ptr[counts.length]];
        double[] val = new double[idx.length];
        for (int r = 0; r < counts.length; r++) {
            for (int e = 0; e < counts[r]; e++) {
                idx[ptr[r] + e] = r == 0 ? e : r + 2 * e;
                val[ptr[r] + e] = 1 + (r + e) % 5;
            }
        }
        return SparseView.copyOf(counts.length, 100, ptr, idx, val);
    }

    /** {@code view} with one row of {@code n} entries (columns 0, 1, ...) in front. */
    private static SparseView prepend(SparseView view, int n) {
        int[] ptr = new int[view.rows() + 2];
        int[] idx = new int[view.nnz() + n];
        double[] val = new double[view.nnz() + n];
        for (int e = 0; e < n; e++) {
            idx[e] = e;
            val[e] = 2;
        }
        ptr[1] = n;
        for (int r = 0; r < view.rows(); r++) {
            for (int e = view.start(r); e < view.end(r); e++) {
                idx[n + e] = view.index(e);
                val[n + e] = view.value(e);
            }
            ptr[r + 2] = n + view.end(r);
        }
        return SparseView.copyOf(view.rows() + 1, view.cols(), ptr, idx, val);
    }

    /** Every rank around the vector width, the tile height and the Cholesky block, and a few larger ones. */
    private static List<Integer> tileRanks() {
        int vl = VectorNormalEquation.VL;
        List<Integer> ranks = new ArrayList<>(List.of(1, 3, 5, 16, 17, 33, 64));
        for (int edge : new int[] {vl, 2 * vl, VectorNormalEquation.TILE_ROWS, VectorNormalEquation.CHOLESKY_BLOCK}) {
            ranks.add(Math.max(1, edge - 1));
            ranks.add(edge);
            ranks.add(edge + 1);
        }
        return ranks.stream().distinct().sorted().toList();
    }

    /** Row by row, to 1e-9 of the row's largest expected entry. */
    private static void assertClose(FactorMatrix expected, FactorMatrix actual, String what) {
        int k = expected.rank();
        for (int r = 0; r < expected.rows(); r++) {
            double scale = 0;
            for (int c = 0; c < k; c++) {
                scale = Math.max(scale, Math.abs(expected.get(r, c)));
            }
            for (int c = 0; c < k; c++) {
                assertEquals(expected.get(r, c), actual.get(r, c), 1e-9 * scale, what + ", row " + r + ", column " + c);
            }
        }
    }

    /** {@code plain} as an implicit half-step poses it: weights {@code w} in [0, maxWeight), values {@code 1 + w}. */
    static SparseView implicit(SparseView plain, long seed, double maxWeight) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[plain.nnz()];
        double[] val = new double[plain.nnz()];
        for (int e = 0; e < w.length; e++) {
            w[e] = rng.nextDouble(0, maxWeight);
            val[e] = 1 + w[e];
        }
        return plain.withValues(val).withWeights(w);
    }

    /** Rows of lengths 1 to 600 (past the gathered chunk of 256), distinct columns, seeded. */
    static SparseView rows(int count, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ptr = new int[count + 1];
        List<int[]> idx = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int n = r == 0 ? cols : r == 1 ? 1 : r == 2 ? VectorNormalEquation.CHUNK + 3 : 1 + rng.nextInt(300);
            int[] picked = rng.ints(0, cols).distinct().limit(n).sorted().toArray();
            idx.add(picked);
            ptr[r + 1] = ptr[r] + picked.length;
        }
        int[] flatIdx = new int[ptr[count]];
        double[] val = new double[ptr[count]];
        for (int r = 0; r < count; r++) {
            System.arraycopy(idx.get(r), 0, flatIdx, ptr[r], idx.get(r).length);
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                val[e] = 1 + rng.nextInt(5);
            }
        }
        return SparseView.copyOf(count, cols, ptr, flatIdx, val);
    }

    static FactorMatrix random(int rows, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        FactorMatrix f = new FactorMatrix(rows, k);
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble(-1, 1);
        }
        return f;
    }
}
