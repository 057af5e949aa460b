package io.als.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.ConfigurationException;
import io.als.api.FitListener;
import io.als.api.ImplicitFeedback;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.ejml.EjmlSolver;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code solve cg-float}: the vector backend's conjugate gradient with its passes over the
 * entries in single precision ({@link SinglePrecisionPasses}), against the same iteration in
 * double on the same step (an independent check of the float passes: only the rounding of the
 * fixed rows and of the sums differs), and as a fit option.
 */
class SinglePrecisionCgTest {
    @TempDir
    Path dir;

    /**
     * At every padded width the float passes have a path for (two and four float vectors, and
     * any other), on rows of 1 to 600 entries (past the 256 entries summed in float before
     * they are added in double), with weights up to 40: within 1e-4 of the double result,
     * relative to the row; not bit-identical to it (so the float path really ran); and
     * bit-identical for one and two threads.
     */
    @Test
    void agreesWithDoublePrecisionToFloatRoundingAndIsDeterministic() {
        int fvl = SinglePrecisionPasses.FVL;
        List<Integer> ranks = new ArrayList<>(List.of(1, 3, 10, 64));
        for (int edge : new int[] {fvl, 2 * fvl, 4 * fvl}) {
            ranks.add(edge - 1);
            ranks.add(edge);
            ranks.add(edge + 1);
        }
        for (int k : ranks.stream().distinct().sorted().toList()) {
            SparseView view = VectorSolverTest.implicit(VectorSolverTest.rows(21, 600, k), k, 40);
            FactorMatrix fixed = VectorSolverTest.random(600, k, 7L * k);
            for (int i = 0; i < fixed.data().length; i++) {
                fixed.data()[i] *= 0.3;
            }
            Gram shared = Gram.of(fixed);
            FactorMatrix start = VectorSolverTest.random(view.rows(), k, 5L * k);
            FactorMatrix exact = copy(start);
            FactorMatrix single = copy(start);
            FactorMatrix singleOneThread = copy(start);
            try (LeastSquaresStep two = new VectorSolver().newStep(k, 2);
                 LeastSquaresStep one = new VectorSolver().newStep(k, 1)) {
                assertTrue(two.singlePrecisionCg());
                two.solveConjugateGradient(view, fixed, Regularizer.weighted(0.1), shared, exact, 3);
                two.solveConjugateGradient(view, fixed, Regularizer.weighted(0.1), shared, single, 3, true);
                one.solveConjugateGradient(view, fixed, Regularizer.weighted(0.1), shared, singleOneThread, 3, true);
            }
            assertArrayEquals(single.data(), singleOneThread.data(), 0.0, "rank " + k + ": one and two threads");
            boolean differs = false;
            for (int r = 0; r < view.rows(); r++) {
                double scale = 0;
                for (int c = 0; c < k; c++) {
                    scale = Math.max(scale, Math.abs(exact.get(r, c)));
                }
                for (int c = 0; c < k; c++) {
                    assertEquals(exact.get(r, c), single.get(r, c), 1e-4 * scale,
                            "rank " + k + ", row " + r + " (" + view.count(r) + " entries), column " + c);
                    differs |= exact.get(r, c) != single.get(r, c);
                }
            }
            assertTrue(differs, "rank " + k + ": the float passes gave the double result bit for bit");
        }
    }

    @Test
    void aFitWithCgFloatIsCloseToTheDoubleFitAndSavesItsSetting() throws Exception {
        Ratings ratings = interactions();
        AlsConfig.Builder b = AlsConfig.builder().implicit(true).alpha(2).rank(8).iterations(4).seed(3L)
                .regularizer("weighted").lambda(0.1).threads(2);
        Model cg = new AlternatingLeastSquares(b.rowSolve(ImplicitFeedback.RowSolve.CG).build(), new VectorSolver())
                .fit(ratings, FitListener.NONE);
        Model cgFloat = new AlternatingLeastSquares(b.rowSolve(ImplicitFeedback.RowSolve.CG_FLOAT).build(),
                new VectorSolver()).fit(ratings, FitListener.NONE);
        double worst = 0;
        for (int u = 0; u < ratings.numUsers(); u++) {
            for (int i = 0; i < ratings.numItems(); i++) {
                worst = Math.max(worst, Math.abs(cg.predictIndex(u, i) - cgFloat.predictIndex(u, i)));
            }
        }
        assertTrue(worst > 0 && worst < 1e-3, "largest score difference " + worst);
        Path file = dir.resolve("f.als");
        ModelFile.write(cgFloat, file);
        ImplicitFeedback saved = ModelFile.read(file).trainingInfo().orElseThrow().implicit();
        assertEquals(ImplicitFeedback.RowSolve.CG_FLOAT, saved.rowSolve());
        assertTrue(saved.toString().contains("cg-float 3"), saved.toString());
    }

    @Test
    void aBackendWithoutItIsRefusedBeforeAnyData() {
        AlsConfig config = AlsConfig.builder().implicit(true).rowSolve(ImplicitFeedback.RowSolve.CG_FLOAT).build();
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new AlternatingLeastSquares(config, new EjmlSolver()));
        assertTrue(e.getMessage().contains("cg-float") && e.getMessage().contains("'ejml'"), e.getMessage());
        assertFalse(new EjmlSolver().singlePrecisionCg());
        try (LeastSquaresStep step = new EjmlSolver().newStep(2, 1)) {
            FactorMatrix target = new FactorMatrix(1, 2);
            assertThrows(UnsupportedOperationException.class, () -> step.solveConjugateGradient(
                    SparseView.copyOf(1, 1, new int[] {0, 1}, new int[] {0}, new double[] {1}), new FactorMatrix(1, 2),
                    Regularizer.l2(1), null, target, 1, true));
        }
    }

    /** 60 users by 40 items, about a third of the cells observed with counts 1 to 5. */
    private static Ratings interactions() {
        SplittableRandom rng = new SplittableRandom(11);
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 40; i++) {
                if (rng.nextInt(3) == 0) {
                    b.add(Integer.toString(u), Integer.toString(i), 1 + rng.nextInt(5));
                }
            }
        }
        return b.build();
    }

    private static FactorMatrix copy(FactorMatrix f) {
        return FactorMatrix.of(f.rows(), f.rank(), f.data().clone());
    }
}
