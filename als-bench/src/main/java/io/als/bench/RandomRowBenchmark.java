package io.als.bench;

import io.als.eval.Permutations;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory side of the roofline for a rank-10 half-step: how long this machine takes to
 * bring in one factor row (80 bytes, always two cache lines) picked at random from a factor
 * matrix of a given size, as the row solvers do once per rating. Nanoseconds per row.
 * <ul>
 *   <li>{@code chase}: each row's address depends on the previous row's contents, so one
 *       row is in flight at a time: the load-to-use latency.</li>
 *   <li>{@code touch}: independent rows read as {@link io.als.spi.rowwise.Prefetch#touch} does, so
 *       the processor keeps as many misses in flight as it can: the best throughput Java
 *       code gets for this access pattern.</li>
 *   <li>{@code copy}: independent rows copied out with {@code System.arraycopy}, as the
 *       solvers gather them.</li>
 *   <li>{@code touchThenCopy}: blocks of {@value #BLOCK} rows touched, then copied, as the
 *       solvers touch a chunk ahead and gather it later: the time for both, per row. If the
 *       touched lines stayed in the core's caches, the copy part would cost what {@code copy}
 *       costs on a matrix that fits in L2.</li>
 * </ul>
 * {@code latency / touch x 2} is the number of cache lines in flight per core. At 1M
 * synthetic ratings the factor matrices are 0.3-0.5 MB; at 25M, 7.4 and 12 MB
 * (docs/benchmarks.md, "Scaling").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RandomRowBenchmark {
    static final int RANK = 10;
    static final int ACCESSES = 1 << 24;
    static final long SEED = 20261127L;
    static final int BLOCK = 1024;

    /** Size of the factor matrix in MB (10^6 bytes). */
    @Param({"0.5", "1", "4", "7.4", "12", "48", "192"})
    public double megabytes;

    private double[] factors;
    private int[] offsets;
    private double[] values;
    private double[] buffer;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = (int) (megabytes * 1e6 / (RANK * Double.BYTES));
        factors = new double[rows * RANK];
        SplittableRandom random = new SplittableRandom(SEED);
        // A single cycle through all rows in random order: entry 0 of each row names the
        // next row of the chase; the other entries are filler.
        int[] order = Permutations.shuffled(rows, random);
        for (int i = 0; i < rows; i++) {
            int row = order[i];
            factors[row * RANK] = order[(i + 1) % rows];
            for (int c = 1; c < RANK; c++) {
                factors[row * RANK + c] = random.nextDouble();
            }
        }
        offsets = new int[ACCESSES];
        for (int i = 0; i < ACCESSES; i++) {
            offsets[i] = random.nextInt(rows) * RANK;
        }
        values = new double[ACCESSES];
        for (int i = 0; i < ACCESSES; i++) {
            values[i] = random.nextDouble();
        }
        buffer = new double[BLOCK * RANK];
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public double chase() {
        double[] f = factors;
        int row = 0;
        double sum = 0;
        for (int i = 0; i < ACCESSES; i++) {
            int o = row * RANK;
            sum += f[o + RANK - 1];
            row = (int) f[o];
        }
        return sum + row;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public double touch() {
        double[] f = factors;
        int[] offs = offsets;
        double sum = 0;
        for (int i = 0; i < ACCESSES; i++) {
            int o = offs[i];
            sum += f[o] + f[o + RANK - 1];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public double touchCsr() {
        double[] f = factors;
        int[] offs = offsets;
        double[] v = values;
        double sum = 0;
        for (int i = 0; i < ACCESSES; i++) {
            int o = offs[i];
            sum += f[o] + f[o + RANK - 1] + v[i];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public double touchThenCopy() {
        double[] f = factors;
        int[] offs = offsets;
        double[] b = buffer;
        double sum = 0;
        for (int from = 0; from < ACCESSES; from += BLOCK) {
            for (int i = from; i < from + BLOCK; i++) {
                int o = offs[i];
                sum += f[o] + f[o + RANK - 1];
            }
            for (int i = from; i < from + BLOCK; i++) {
                System.arraycopy(f, offs[i], b, (i - from) * RANK, RANK);
            }
            sum += b[RANK - 1];
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public double copy() {
        double[] f = factors;
        int[] offs = offsets;
        double[] b = buffer;
        double sum = 0;
        for (int i = 0; i < ACCESSES; i++) {
            System.arraycopy(f, offs[i], b, 0, RANK);
            sum += b[RANK - 1];
        }
        return sum;
    }
}
