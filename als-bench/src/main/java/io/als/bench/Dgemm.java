package io.als.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The machine's floating-point ceiling as this build can reach it: double-precision DGEMM
 * ({@code C = A B}, {@code n x n}, {@code 2 n^3} flops) in the OpenBLAS that ND4J ships,
 * called through its JavaCPP bindings. OpenBLAS runs with whatever {@code OPENBLAS_CORETYPE}
 * the environment sets (on this machine Haswell, i.e. AVX2; never changed here).
 */
public final class Dgemm implements AutoCloseable {
    private final int n;
    private final DoublePointer a;
    private final DoublePointer b;
    private final DoublePointer c;

    /** Allocates and fills seeded {@code n x n} operands off-heap. */
    public Dgemm(int n, long seed) {
        Loader.load(openblas.class);
        this.n = n;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] fill = new double[n * n];
        Arrays.setAll(fill, i -> rng.nextDouble() - 0.5);
        this.a = new DoublePointer(fill);
        Arrays.setAll(fill, i -> rng.nextDouble() - 0.5);
        this.b = new DoublePointer(fill);
        this.c = new DoublePointer((long) n * n);
    }

    /** Sets the OpenBLAS thread count for the following calls (process-wide). */
    public static void threads(int threads) {
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(threads);
    }

    /** The current OpenBLAS thread count. */
    public static int threads() {
        Loader.load(openblas.class);
        return openblas.blas_get_num_threads();
    }

    /** One multiplication. */
    public void multiply() {
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                n, n, n, 1.0, a, n, b, n, 0.0, c, n);
    }

    /** Flops of one multiplication. */
    public double flops() {
        return 2.0 * n * n * n;
    }

    /**
     * GFLOP/s on {@code threads} OpenBLAS threads: the median of {@code runs} timed
     * multiplications after {@code warmups} untimed ones. Restores the previous thread count.
     */
    public double gflops(int threads, int warmups, int runs) {
        int before = threads();
        threads(threads);
        try {
            for (int w = 0; w < warmups; w++) {
                multiply();
            }
            double[] seconds = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                multiply();
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            return flops() / Stats.median(seconds) / 1e9;
        } finally {
            threads(before);
        }
    }

    @Override
    public void close() {
        a.deallocate();
        b.deallocate();
        c.deallocate();
    }
}
