package io.als.natives;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import java.util.Optional;

/**
 * The hand-written native backend: each row's normal equation is accumulated and solved by
 * Cholesky, or iterated by conjugate gradient, in C kernels reached through JNI
 * ({@link NativeKernels}), a block of rows per call. Its code is compiled ahead of time, so a
 * fit runs at full speed from its first iteration, where a JVM backend first waits for the JIT
 * compiler. Built for Linux on x86-64 (the kernels choose AVX-512, AVX2 or baseline code when
 * loaded); elsewhere {@link #unavailableBecause()} says so.
 */
public final class NativeSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "native";

    @Override
    public String name() {
        return NAME;
    }

    /** Whether the kernels' library is loaded in this JVM. */
    public static boolean available() {
        return NativeKernels.unavailableBecause().isEmpty();
    }

    @Override
    public Optional<String> unavailableBecause() {
        return NativeKernels.unavailableBecause();
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        Optional<String> missing = unavailableBecause();
        if (missing.isPresent()) {
            throw new IllegalStateException("solver '" + NAME + "' " + missing.get() + "; choose another solver");
        }
        return new NativeStep(rank, threads);
    }
}
