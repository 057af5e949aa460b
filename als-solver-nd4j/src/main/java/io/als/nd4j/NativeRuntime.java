package io.als.nd4j;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loading of ND4J and its OpenBLAS, and the one process-wide setting the solver needs while
 * it works, held only as long as a step is open.
 *
 * <ul>
 *   <li><b>Loading:</b> the first {@link #acquire} loads OpenBLAS and initialises ND4J's CPU
 *       backend (ND4J's own one-time start-up, which happens in any program that uses ND4J).
 *       It is the slow part (see docs/nd4j.md), so it happens only when a step is created,
 *       never when the solver is constructed or registered.</li>
 *   <li><b>OpenBLAS threads, scoped to open steps:</b> OpenBLAS would start its own pool
 *       inside every call. A step already runs one Java worker per configured thread, so a
 *       second layer of BLAS threads only oversubscribes the cores (LensKit lkpy #257 saw a
 *       150x slowdown from exactly this). While at least one step is open, OpenBLAS runs
 *       {@value #BLAS_THREADS} thread per call. The count found when the first of them was
 *       created (read before ND4J's start-up, which sets a count of its own) is put back
 *       when the last one is closed. The count is process-wide, so code that calls OpenBLAS
 *       from other threads while a step is open sees one thread too; that is documented,
 *       not hidden.</li>
 *   <li><b>Precision:</b> nothing here touches ND4J's default data type. Every ND4J array
 *       the solver makes is created with an explicit {@code DataType.DOUBLE}.</li>
 *   <li><b>Output:</b> nothing here writes to stdout; ND4J reports its start-up through
 *       SLF4J at INFO (route {@code org.nd4j} to WARN, as the CLI's logback.xml does).</li>
 * </ul>
 */
final class NativeRuntime {
    /** OpenBLAS threads per call while a step is open: the row-parallel workers own the cores. */
    static final int BLAS_THREADS = 1;

    private static boolean loaded;
    /** Open steps. */
    private static int holders;
    /** OpenBLAS's thread count before the first of the open steps was created. */
    private static int threadsBefore;

    private NativeRuntime() {
    }

    /**
     * Called by every new step: loads the natives if needed, remembers OpenBLAS's thread
     * count if no step is open yet, and sets one thread per call. Setting it again for
     * every step means that a change made by other code in between cannot leave a new step
     * oversubscribed. Each call must be matched by one {@link #release}.
     */
    static synchronized void acquire() {
        if (!loaded) {
            Loader.load(openblas.class);
        }
        if (holders == 0) {
            threadsBefore = openblas.blas_get_num_threads();
        }
        if (!loaded) {
            // ND4J's BLAS sets OpenBLAS's thread count when it is created: let it happen now,
            // after the count to restore was read and before ours is set.
            Nd4j.factory().blas();
            loaded = true;
        }
        holders++;
        if (openblas.blas_get_num_threads() != BLAS_THREADS) {
            openblas.blas_set_num_threads(BLAS_THREADS);
        }
    }

    /** Called once by every closed step; the last one puts OpenBLAS's thread count back. */
    static synchronized void release() {
        if (holders <= 0) {
            throw new IllegalStateException("release without acquire");
        }
        holders--;
        if (holders == 0 && openblas.blas_get_num_threads() != threadsBefore) {
            openblas.blas_set_num_threads(threadsBefore);
        }
    }

    /** The number of threads OpenBLAS uses per call, as it reports it. */
    static int blasThreads() {
        return openblas.blas_get_num_threads();
    }

    /** Steps currently open, for tests. */
    static synchronized int openSteps() {
        return holders;
    }
}
