package io.als.bench;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.spi.SparseView;
import io.als.api.SolverRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * One {@link LeastSquaresStep#solve} over {@link #rows} rows whose lengths are drawn (seeded)
 * from the row lengths of MovieLens 1M's training split, users and items pooled, against a
 * fixed factor matrix of MovieLens 1M's 6,040 users. Column indices and values are seeded
 * random. The benchmark method is exactly the production call: the step and every array are
 * made in {@link #setUp}, so it allocates only what the step itself allocates.
 *
 * <p>The solver is looked up by name in {@link SolverRegistry#discover()}, so every installed
 * backend can be named in {@link #solver}. Flops per call: {@link #flops}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class StepBenchmark {
    /** Rows of the fixed side: MovieLens 1M's users. */
    static final int FIXED_ROWS = 6_040;
    static final long SEED = 11L;
    /** Spark MLlib's default penalty, scaled by each row's count (ALS-WR). */
    static final double LAMBDA = 0.1;

    @Param({"java", "ejml", "nd4j"})
    public String solver;

    @Param({"8", "16", "32", "64", "128"})
    public int rank;

    @Param({"1", "2"})
    public int threads;

    @Param({"2048"})
    public int rows;

    private SparseView observed;
    private FactorMatrix fixed;
    private FactorMatrix target;
    private Regularizer reg;
    private LeastSquaresStep step;

    @Setup(Level.Trial)
    public void setUp() {
        observed = rows(rows, SEED);
        fixed = factors(FIXED_ROWS, rank, SEED + 1);
        target = new FactorMatrix(rows, rank);
        reg = Regularizer.weighted(LAMBDA);
        step = SolverRegistry.discover().get(solver).newStep(rank, threads);
    }

    @Benchmark
    public FactorMatrix solve() {
        step.solve(observed, fixed, reg, target);
        return target;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }

    /** Flops of one {@link #solve} by {@link Flops#FORMULA}. */
    public static double flops(int rows, int rank) {
        return Flops.halfStep(rows(rows, SEED), rank);
    }

    /** The benchmark's sparse rows (seeded): lengths from MovieLens 1M, random columns and ratings. */
    static SparseView rows(int rows, long seed) {
        int[] population = lengthPopulation();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ptr = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
            int n = Math.min(FIXED_ROWS, population[rng.nextInt(population.length)]);
            ptr[r + 1] = ptr[r] + n;
        }
        int[] idx = new int[ptr[rows]];
        double[] val = new double[ptr[rows]];
        int[] seen = new int[FIXED_ROWS];
        Arrays.fill(seen, -1);
        for (int r = 0; r < rows; r++) {
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                int j;
                do {
                    j = rng.nextInt(FIXED_ROWS);
                } while (seen[j] == r);
                seen[j] = r;
                idx[e] = j;
            }
            Arrays.sort(idx, ptr[r], ptr[r + 1]);
            for (int e = ptr[r]; e < ptr[r + 1]; e++) {
                val[e] = 1 + rng.nextInt(5);
            }
        }
        return SparseView.copyOf(rows, FIXED_ROWS, ptr, idx, val);
    }

    /** Seeded factors, uniform in [0, 1) like the driver's random initialisation. */
    static FactorMatrix factors(int rows, int rank, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[rows * rank];
        Arrays.setAll(v, i -> rng.nextDouble());
        return FactorMatrix.of(rows, rank, v);
    }

    /**
     * Row lengths of MovieLens 1M's training split (fold 0 of the seeded 5-fold split), or of
     * the synthetic generator at MovieLens 1M's size when the file is not there.
     */
    static int[] lengthPopulation() {
        Path file = Path.of(System.getProperty("als.bench.ml1m", Datasets.MOVIELENS_1M));
        Ratings r = Files.exists(file)
                ? FitBench.load("ml-1m")
                : Datasets.synthetic((long) Datasets.ML1M_RATINGS * 4 / 5, 7L);
        return Datasets.rowLengths(r);
    }
}
