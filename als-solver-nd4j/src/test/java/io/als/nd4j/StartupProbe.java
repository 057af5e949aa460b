package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.api.Regularizer;
import io.als.spi.Solver;
import io.als.api.SolverRegistry;
import io.als.conformance.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Run in a fresh JVM by {@link QuietStartupTest} (or by hand, see docs/nd4j.md): discovers
 * the solvers, selects nd4j, and reports on stderr whether any native library was mapped
 * before the first step, how long creating that step took, and whether a small solve works.
 * It writes nothing to stdout itself, so anything found there came from ND4J or its natives.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    public static void main(String[] args) throws IOException {
        long t0 = System.nanoTime();
        Solver solver = SolverRegistry.discover().get(Nd4jSolver.NAME);
        long t1 = System.nanoTime();
        boolean before = nativesMapped();
        LeastSquaresStep step = solver.newStep(10, 2);
        long t2 = System.nanoTime();
        FactorMatrix x = new FactorMatrix(20, 10);
        step.solve(Problems.sparse(20, 30, 0.5, 1), Problems.factors(30, 10, 2), Regularizer.weighted(0.1), x);
        step.close();
        long t3 = System.nanoTime();
        System.err.printf(Locale.ROOT, "probe: natives-before-step=%s natives-after-step=%s registry-ms=%.0f"
                        + " first-step-ms=%.0f first-solve-ms=%.1f finite=%s%n",
                before, nativesMapped(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, x.firstNonFiniteRow() < 0);
    }

    /** Whether ND4J's or OpenBLAS's shared library is mapped into this process (Linux). */
    static boolean nativesMapped() throws IOException {
        String maps = Files.readString(Path.of("/proc/self/maps"));
        return maps.contains("libnd4jcpu") || maps.contains("libopenblas") || maps.contains("libjniopenblas");
    }
}
