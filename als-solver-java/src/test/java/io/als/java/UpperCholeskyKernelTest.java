package io.als.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.eval.reference.TextbookSolver;
import io.als.spi.rowwise.NormalEquation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The in-place kernel against Gaussian elimination (TextbookSolver, an independent code path) on the same normal equations, every small rank and a few large. */
class UpperCholeskyKernelTest {

    @Test
    void agreesWithGaussianEliminationAtEveryRank() {
        for (int k : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 31, 33, 64, 67}) {
            NormalEquation a = equation(k, 2 * k + 3, k);
            NormalEquation b = equation(k, 2 * k + 3, k);
            double[] x = new double[k];
            double[] y = new double[k];
            assertTrue(new UpperCholeskyKernel(k).solve(a, x), "rank " + k);
            assertTrue(TextbookSolver.eliminate(k, b.ata(), b.atb(), y), "rank " + k);
            double scale = 0;
            for (double v : y) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(y, x, 1e-10 * scale, "rank " + k);
        }
    }

    @Test
    void denseEntryPointGivesTheSameAnswer() {
        int k = 13;
        NormalEquation a = equation(k, 40, 3);
        NormalEquation b = equation(k, 40, 3);
        double[] x = new double[k];
        double[] y = new double[k];
        assertTrue(new UpperCholeskyKernel(k).solve(a, x));
        assertTrue(new UpperCholeskyKernel(k).solve(b.ata().clone(), b.atb().clone(), y));
        assertArrayEquals(x, y, 0);
    }

    @Test
    void rankDeficientSystemsAreRejected() {
        int k = 6;
        NormalEquation ne = new NormalEquation(k);
        double[] f = new double[k];
        for (int p = 0; p < k; p++) {
            f[p] = p + 1;
        }
        ne.add(f, 0, 1);
        ne.add(f, 0, 2);
        ne.finish(0);
        assertFalse(new UpperCholeskyKernel(k).solve(ne, new double[k]));
    }

    private static NormalEquation equation(int k, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] fixed = new double[n * k];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = rng.nextDouble() - 0.3;
        }
        NormalEquation ne = new NormalEquation(k);
        for (int j = 0; j < n; j++) {
            ne.add(fixed, j, 1 + rng.nextInt(5));
        }
        ne.finish(0.05 * n);
        return ne;
    }
}
