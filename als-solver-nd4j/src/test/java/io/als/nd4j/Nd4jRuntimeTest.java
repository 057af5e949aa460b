package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.api.Regularizer;
import io.als.conformance.Problems;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import org.bytedeco.openblas.global.openblas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The solver leaves the process as it found it: ND4J's default data types are never changed,
 * and OpenBLAS runs one thread per call only while a step is open, the count found before
 * being restored when the last step closes. (The fresh-JVM version, where the count is read
 * before ND4J itself starts, is {@link RealFitUsesNd4jTest}.)
 */
class Nd4jRuntimeTest {
    private DataType defaultBefore;
    private DataType floatingBefore;
    private int threadsBefore;

    @BeforeEach
    void remember() {
        // Also loads ND4J, whose start-up sets an OpenBLAS count of its own: read ours after it.
        defaultBefore = Nd4j.dataType();
        floatingBefore = Nd4j.defaultFloatingPointType();
        threadsBefore = openblas.blas_get_num_threads();
        assertEquals(0, NativeRuntime.openSteps(), "another test left a step open");
    }

    @AfterEach
    void putBack() {
        Nd4j.setDefaultDataTypes(defaultBefore, floatingBefore);
        openblas.blas_set_num_threads(threadsBefore);
    }

    @Test
    void defaultTypeAndOpenBlasThreadsAreAsBeforeAfterAStepIsCreatedUsedAndClosed() {
        // Settings a host application might have chosen, neither of them the solver's own.
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int hostThreads = 3;
        openblas.blas_set_num_threads(hostThreads);
        assertEquals(hostThreads, openblas.blas_get_num_threads());

        LeastSquaresStep step = new Nd4jSolver().newStep(8, 2);
        try {
            assertEquals(NativeRuntime.BLAS_THREADS, openblas.blas_get_num_threads(), "one thread while the step is open");
            assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "ND4J's BLAS is the same OpenBLAS");
            use(step, 8);
            assertEquals(DataType.FLOAT, Nd4j.dataType(), "the step does not switch ND4J to double");
            assertEquals(DataType.FLOAT, Nd4j.defaultFloatingPointType());
        } finally {
            step.close();
        }
        assertEquals(hostThreads, openblas.blas_get_num_threads(), "OpenBLAS threads restored on close");
        assertEquals(DataType.FLOAT, Nd4j.dataType());
        assertEquals(DataType.FLOAT, Nd4j.defaultFloatingPointType());
        step.close();
        assertEquals(hostThreads, openblas.blas_get_num_threads(), "a second close changes nothing");
    }

    @Test
    void overlappingStepsHoldOneThreadUntilTheLastIsClosed() {
        openblas.blas_set_num_threads(2);
        LeastSquaresStep a = new Nd4jSolver().newStep(4, 1);
        LeastSquaresStep b = new Nd4jSolver().newStep(16, 2);
        assertEquals(2, NativeRuntime.openSteps());
        a.close();
        assertEquals(1, openblas.blas_get_num_threads(), "b is still open");
        use(b, 16);
        b.close();
        assertEquals(2, openblas.blas_get_num_threads(), "restored when the last step closed");
        assertEquals(0, NativeRuntime.openSteps());
    }

    @Test
    void aNewStepTakesBackOneThreadIfOtherCodeChangedItWhileAStepWasOpen() {
        openblas.blas_set_num_threads(2);
        LeastSquaresStep first = new Nd4jSolver().newStep(4, 1);
        // Something else in the JVM asks OpenBLAS for more threads; the next step takes it back.
        openblas.blas_set_num_threads(Runtime.getRuntime().availableProcessors() + 1);
        LeastSquaresStep second = new Nd4jSolver().newStep(16, 8);
        try {
            assertEquals(NativeRuntime.BLAS_THREADS, NativeRuntime.blasThreads());
        } finally {
            second.close();
            first.close();
        }
        assertEquals(2, openblas.blas_get_num_threads(), "the count from before the first step");
    }

    @Test
    void aClosedStepRefusesWork() {
        LeastSquaresStep step = new Nd4jSolver().newStep(3, 1);
        step.close();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> use(step, 3));
    }

    /** A weighted solve with a shared term and an ND4J Gram. */
    private static void use(LeastSquaresStep step, int k) {
        SparseView v = Problems.sparse(20, 30, 0.5, 1);
        double[] w = new double[v.nnz()];
        java.util.Arrays.fill(w, 2.0);
        FactorMatrix fixed = Problems.factors(30, k, 2);
        Gram g = step.gram(fixed);
        FactorMatrix x = new FactorMatrix(20, k);
        step.solve(v.withWeights(w), fixed, Regularizer.weighted(0.1), g, x);
        assertEquals(-1, x.firstNonFiniteRow());
    }
}
