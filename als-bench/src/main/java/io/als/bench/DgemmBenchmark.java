package io.als.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling: double-precision DGEMM of two {@code n x n} matrices ({@code 2 n^3} flops) in
 * the OpenBLAS that ND4J ships, on 1 and 2 OpenBLAS threads. See {@link Dgemm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DgemmBenchmark {
    @Param({"2000"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private Dgemm dgemm;

    @Setup(Level.Trial)
    public void setUp() {
        dgemm = new Dgemm(n, 3);
        Dgemm.threads(threads);
    }

    @Benchmark
    public void multiply() {
        dgemm.multiply();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dgemm.close();
    }
}
