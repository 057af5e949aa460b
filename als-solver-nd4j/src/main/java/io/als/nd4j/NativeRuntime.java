package io.als.nd4j;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-time set-up of ND4J and the OpenBLAS it ships, shared by every step in the JVM.
 *
 * <ul>
 *   <li><b>Precision:</b> ND4J defaults to FLOAT; it is switched to DOUBLE for both the
 *       default and the floating-point type, so any ND4J array made in this JVM is double.</li>
 *   <li><b>Threads, one owner:</b> OpenBLAS would start its own pool (one thread per core)
 *       inside every call. The step already runs one Java worker per configured thread, so a
 *       second layer of BLAS threads only oversubscribes the cores (LensKit lkpy #257 saw a
 *       150x slowdown from exactly this). OpenBLAS is therefore pinned to one thread, for the
 *       whole process, and {@code AlsConfig.threads} alone decides the parallelism.</li>
 *   <li><b>Output:</b> nothing here writes to stdout; ND4J reports its start-up through
 *       SLF4J at INFO (route {@code org.nd4j} to WARN, as the CLI's logback.xml does).</li>
 * </ul>
 * Loading the native libraries is the slow part (see docs/nd4j.md), so it happens only when a
 * step is created, never when the solver is constructed or registered.
 */
final class NativeRuntime {
    /** OpenBLAS threads per call: the row-parallel workers own all the cores. */
    static final int BLAS_THREADS = 1;

    private static boolean loaded;

    private NativeRuntime() {
    }

    /**
     * Loads ND4J and OpenBLAS if needed and (re)asserts double precision and single-threaded
     * BLAS. Cheap after the first call; called for every new step, so another component that
     * changed either setting in between cannot leave the solver in the wrong state.
     */
    static synchronized void prepare() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        if (!loaded) {
            Loader.load(openblas.class);
            loaded = true;
        }
        if (openblas.blas_get_num_threads() != BLAS_THREADS) {
            openblas.blas_set_num_threads(BLAS_THREADS);
        }
    }

    /** The number of threads OpenBLAS uses per call, as it reports it. */
    static int blasThreads() {
        return openblas.blas_get_num_threads();
    }
}
