package io.als.vector;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import java.util.Optional;

/**
 * The fastest backend on one machine: pure Java, with the Gram matrix and the Cholesky
 * factorisation written as explicit SIMD tiles ({@link VectorNormalEquation}) in the JDK's
 * Vector API, and conjugate gradient (implicit feedback) run four rows in lockstep
 * ({@link VectorBlockConjugateGradient}). In JDK 17 to 25 that API is an incubator module, so
 * the JVM must be started with {@code --add-modules jdk.incubator.vector} (and prints a one-line warning on stderr
 * saying so). Without it this solver is still listed but refuses to make a step, with a
 * message saying what to add; this class itself touches no incubator class, so the
 * registry can always load it.
 */
public final class VectorSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "vector";

    /** The JDK module the kernels need. */
    public static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return NAME;
    }

    /** Whether this JVM was started with the Vector API module. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    @Override
    public Optional<String> unavailableBecause() {
        return available() ? Optional.empty()
                : Optional.of("needs the JVM option --add-modules " + MODULE + " (the Vector API is an incubator module)");
    }

    /** Its conjugate gradient can run its passes in single precision ({@link SinglePrecisionPasses}). */
    @Override
    public boolean singlePrecisionCg() {
        return true;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        Optional<String> missing = unavailableBecause();
        if (missing.isPresent()) {
            throw new IllegalStateException("solver '" + NAME + "' " + missing.get() + "; start java with it (for ./als: "
                    + "ALS_JAVA_OPTS='--add-modules " + MODULE + "'), or choose another solver");
        }
        return new VectorStep(rank, threads);
    }
}
