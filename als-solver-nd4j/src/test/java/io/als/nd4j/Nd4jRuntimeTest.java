package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.spi.LeastSquaresStep;
import org.bytedeco.openblas.global.openblas;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Double precision and single-threaded BLAS hold once a step exists. */
class Nd4jRuntimeTest {

    @Test
    void creatingAStepMakesDoubleTheDefaultType() {
        LeastSquaresStep step = new Nd4jSolver().newStep(8, 2);
        try {
            assertEquals(DataType.DOUBLE, Nd4j.dataType());
            assertEquals(DataType.DOUBLE, Nd4j.defaultFloatingPointType());
            INDArray a = Nd4j.rand(3, 3);
            assertEquals(DataType.DOUBLE, a.dataType());
            assertEquals(DataType.DOUBLE, Nd4j.create(new double[] {1, 2, 3}).dataType());
        } finally {
            step.close();
        }
    }

    @Test
    void doubleIsRestoredIfSomethingElseSwitchedToFloat() {
        new Nd4jSolver().newStep(4, 1).close();
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        LeastSquaresStep step = new Nd4jSolver().newStep(4, 1);
        try {
            assertEquals(DataType.DOUBLE, Nd4j.dataType());
            assertEquals(DataType.DOUBLE, Nd4j.defaultFloatingPointType());
        } finally {
            step.close();
        }
    }

    @Test
    void openBlasRunsOneThreadPerCallWhateverTheWorkerCount() {
        new Nd4jSolver().newStep(1, 1).close();
        // Something else in the JVM asks OpenBLAS for a thread per core; the next step takes it back.
        openblas.blas_set_num_threads(Runtime.getRuntime().availableProcessors() + 1);
        LeastSquaresStep step = new Nd4jSolver().newStep(16, 8);
        try {
            assertEquals(NativeRuntime.BLAS_THREADS, NativeRuntime.blasThreads());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        } finally {
            step.close();
        }
    }
}
