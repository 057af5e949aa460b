package io.als.nd4j;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.Initialization;
import io.als.api.Model;
import io.als.api.SolverRegistry;
import io.als.conformance.Problems;
import io.als.spi.Solver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in a fresh JVM by {@link RealFitUsesNd4jTest}: a host that has loaded OpenBLAS and set
 * its own thread count, but not touched ND4J, fits a small problem through
 * {@link AlternatingLeastSquares} with the solver chosen by name. Reports on stderr whether
 * ND4J's native library was mapped before and after the fit, which backend ND4J runs, the
 * OpenBLAS thread count and ND4J's default data type afterwards, and whether the fit is finite.
 */
public final class Nd4jFitProbe {
    static final int HOST_THREADS = 3;

    private Nd4jFitProbe() {
    }

    public static void main(String[] args) throws IOException {
        boolean nd4jBefore = nd4jMapped();
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(HOST_THREADS);
        int threadsBefore = openblas.blas_get_num_threads();
        Solver solver = SolverRegistry.discover().get(Nd4jSolver.NAME);
        AlsConfig config = AlsConfig.plain().rank(8).iterations(3).regularizer("weighted").lambda(0.1).seed(5)
                .init(Initialization.RANDOM).threads(2).build();
        Model m = new AlternatingLeastSquares(config, solver).fit(Problems.ratings(60, 40, 0.3, 9));
        boolean nd4jAfter = nd4jMapped();
        int threadsAfter = openblas.blas_get_num_threads();
        System.err.printf(Locale.ROOT, "probe: nd4j-before-fit=%s nd4j-after-fit=%s backend=%s threads-before=%d"
                        + " threads-after=%d default-type=%s finite=%s%n",
                nd4jBefore, nd4jAfter, Nd4j.getBackend().getClass().getSimpleName(), threadsBefore, threadsAfter,
                Nd4j.dataType(), m.userFactors().firstNonFiniteRow() < 0 && m.itemFactors().firstNonFiniteRow() < 0);
    }

    /** Whether ND4J's own native library (libnd4jcpu, libjnind4jcpu) is mapped into this process (Linux). */
    static boolean nd4jMapped() throws IOException {
        return Files.readString(Path.of("/proc/self/maps")).contains("nd4jcpu");
    }
}
