package io.als.ejml;

import io.als.java.UpperCholeskyKernel;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Cholesky solve of a finished rank-{@code k} normal equation by each kernel of the
 * ejml solver, including whatever copy the kernel needs (EJML works on a dense symmetric
 * copy; the in-place kernel on the accumulated rows). Each invocation first restores the
 * equation from a seeded original (an array copy of {@code k^2} doubles, the same for both
 * kernels). Lives in the solver's package to reach its package-private kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CholeskyBenchmark {
    @Param({"10", "32", "64", "128"})
    public int rank;

    @Param({"EJML", "UPPER_ROWS"})
    public String kernel;

    private double[][] original;
    private double[] originalRhs;
    private NormalEquation ne;
    private RowwiseLeastSquaresStep.Kernel solver;
    private double[] x;

    @Setup(Level.Trial)
    public void setUp() {
        int k = rank;
        int n = 3 * k;
        SplittableRandom rng = new SplittableRandom(5);
        ne = new NormalEquation(k);
        double[] fixed = new double[n * k];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = rng.nextDouble();
        }
        for (int j = 0; j < n; j++) {
            ne.add(fixed, j, 1 + rng.nextInt(5));
        }
        ne.finish(0.1 * n);
        original = new double[k][];
        for (int p = 0; p < k; p++) {
            original[p] = ne.upperRows()[p].clone();
        }
        originalRhs = ne.atb().clone();
        solver = kernel.equals("EJML") ? new EjmlSolver.CholeskyKernel(k) : new UpperCholeskyKernel(k);
        x = new double[k];
    }

    @Benchmark
    public double solve() {
        double[][] rows = ne.upperRows();
        for (int p = 0; p < rank; p++) {
            System.arraycopy(original[p], 0, rows[p], 0, rank);
        }
        System.arraycopy(originalRhs, 0, ne.atb(), 0, rank);
        // Rows were overwritten in place: tell the equation its dense copy is stale.
        ne.finish(0);
        if (!solver.solve(ne, x)) {
            throw new IllegalStateException("benchmark matrix must be positive definite");
        }
        return x[0];
    }
}
