package io.als.spi.rowwise;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.Gram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link LeastSquaresStep} that solves rows one at a time. There are two ways to plug in:
 * <ul>
 *   <li>a {@link Kernel}: each row's {@link NormalEquation} is accumulated in pure Java and
 *       handed to the kernel to solve. A backend with a fast small dense solver supplies
 *       only this;</li>
 *   <li>a {@link RowSolver}: the backend accumulates and solves the row itself, in its own
 *       workspace layout (the {@code vector} solver does, with SIMD tiles).</li>
 * </ul>
 * A backend that can batch many rows (BLAS-3) implements {@link LeastSquaresStep} directly
 * instead.
 *
 * <p>Rows are split into blocks and run on {@link RowParallel}, with one workspace per
 * worker, so nothing is allocated per row. This class handles what every row solver needs
 * alike: empty rows, rows that cannot be solved without a penalty, and non-finite results.
 */
public class RowwiseLeastSquaresStep implements LeastSquaresStep {

    /** Rows per block handed to a worker: small enough to balance skewed row lengths. */
    public static final int BLOCK_ROWS = 64;

    /**
     * Solves one finished normal equation. One kernel serves one worker thread; it may keep
     * workspaces between calls.
     */
    public interface Kernel {
        /**
         * Solves {@code A x = b} for a symmetric {@code A}.
         *
         * @param a row-major {@code k x k}, symmetric. May be overwritten (the caller rebuilds it per row).
         * @param b length {@code k}. May be overwritten.
         * @param x receives the solution. Modified.
         * @return false when {@code A} is not numerically positive definite
         */
        boolean solve(double[] a, double[] b, double[] x);

        /**
         * Solves a finished normal equation. The default hands the dense symmetric copy
         * ({@link NormalEquation#ata()}) to {@link #solve(double[], double[], double[])}; a
         * kernel that works on the upper triangle rows ({@link NormalEquation#upperRows()})
         * overrides this to skip the copy.
         *
         * @param ne the finished equation; its arrays may be overwritten
         * @param x  receives the solution. Modified.
         * @return false when the matrix is not numerically positive definite
         */
        default boolean solve(NormalEquation ne, double[] x) {
            return solve(ne.ata(), ne.atb(), x);
        }
    }

    /** Makes one kernel per worker for a given rank. */
    @FunctionalInterface
    public interface KernelFactory {
        Kernel create(int rank);
    }

    /**
     * Accumulates and solves one row's normal equation in a workspace of its own. One row
     * solver serves one worker thread. A row solver that holds resources (native memory, for
     * example) implements {@link AutoCloseable} as well; the step closes it when it is closed.
     */
    public interface RowSolver {
        /**
         * Solves {@code (G + F^T W F + penalty I) x = F^T v} for row {@code r} of
         * {@code observed}, where {@code F} holds the rows of {@code fixed} that the row's
         * entries name, {@code W} their weights ({@link SparseView#weight}), {@code v} their
         * values and {@code G} the shared term (none when null). The row has at least one entry.
         *
         * @param shared the shared Gram term, or null. Not modified.
         * @param x      receives the solution (length: the rank). Modified.
         * @return false when the matrix is not numerically positive definite
         */
        boolean solve(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x);

        /**
         * How many rows {@link #solveRows} takes at once. 1, the default, means one row at a
         * time through {@link #solve}; a solver that factors several systems in lockstep (the
         * {@code vector} solver at small ranks, one system per SIMD lane) says how many.
         */
        default int batchRows() {
            return 1;
        }

        /**
         * Solves rows {@code rows[0..count)} of {@code observed} (each with at least one entry,
         * {@code count <= batchRows()}), row {@code rows[i]} with penalty {@code penalties[i]},
         * into {@code xs[i * rank ..]}; each solution must be what {@link #solve} gives for the
         * row alone, bit for bit, so that a row's result does not depend on its companions. The
         * default solves them one by one.
         *
         * @return -1, or the position in {@code rows} of the first row whose matrix is not
         *         numerically positive definite (the solutions of the others are then unspecified)
         */
        default int solveRows(SparseView observed, int[] rows, int count, FactorMatrix fixed, Gram shared,
                              double[] penalties, double[] xs) {
            int rank = fixed.rank();
            double[] x = new double[rank];
            for (int i = 0; i < count; i++) {
                if (!solve(observed, rows[i], fixed, shared, penalties[i], x)) {
                    return i;
                }
                System.arraycopy(x, 0, xs, i * rank, rank);
            }
            return -1;
        }
    }

    /** Makes one row solver per worker for a given rank. */
    @FunctionalInterface
    public interface RowSolverFactory {
        RowSolver create(int rank);
    }

    /**
     * A few steps of conjugate gradient on one row, warm-started (see
     * {@link LeastSquaresStep#solveConjugateGradient}). One serves one worker thread.
     * {@link ConjugateGradient} is the plain-Java one; a backend may supply its own.
     */
    public interface CgRowSolver {
        /**
         * Runs {@code steps} steps on row {@code r} of {@code observed} from {@code x}.
         *
         * @param x the starting point on entry, the last iterate on return. Modified.
         * @return false when the iterate is not finite
         */
        boolean iterate(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x,
                        int steps);
    }

    /** Makes one conjugate-gradient row solver per worker for a given rank. */
    @FunctionalInterface
    public interface CgFactory {
        CgRowSolver create(int rank);
    }

    /** The plain-Java conjugate gradient, {@link ConjugateGradient}. */
    public static final CgFactory JAVA_CG = k -> new ConjugateGradient(k)::iterate;

    /**
     * Conjugate gradient on a block of consecutive rows at once (see
     * {@link LeastSquaresStep#solveConjugateGradient}), for a backend that runs several rows in
     * lockstep so that their products with the shared term become one matrix-matrix product.
     * One serves one worker thread; one that holds resources implements {@link AutoCloseable}
     * and is closed with the step.
     */
    public interface CgBlockSolver {
        /**
         * Runs {@code steps} steps on every row {@code r} in {@code [from, to)} of
         * {@code observed}, starting from and writing to row {@code r} of {@code target}, with
         * the row handling of {@link #conjugateGradientRow}: an empty row becomes zero, a row
         * with no penalty, no shared term and fewer entries than the rank, or a non-finite
         * result, throws {@link SingularSystemException}. A row's result must depend only on its
         * own inputs, never on the other rows of the block (nor so on how rows are blocked).
         */
        void iterate(SparseView observed, int from, int to, FactorMatrix fixed, Regularizer reg, Gram shared,
                     FactorMatrix target, int steps);

        /**
         * Whether {@link #iterate(SparseView, int, int, FactorMatrix, Regularizer, Gram, FactorMatrix, int, boolean)}
         * can run in single precision ({@link LeastSquaresStep#solveConjugateGradient(SparseView, FactorMatrix,
         * Regularizer, Gram, FactorMatrix, int, boolean)}). The default: no.
         */
        default boolean singlePrecision() {
            return false;
        }

        /**
         * As {@link #iterate(SparseView, int, int, FactorMatrix, Regularizer, Gram, FactorMatrix, int)}, in
         * single precision where {@code singlePrecision} is true (see {@link #singlePrecision()}).
         */
        default void iterate(SparseView observed, int from, int to, FactorMatrix fixed, Regularizer reg, Gram shared,
                             FactorMatrix target, int steps, boolean singlePrecision) {
            if (singlePrecision) {
                throw new UnsupportedOperationException("no single-precision conjugate gradient");
            }
            iterate(observed, from, to, fixed, reg, shared, target, steps);
        }
    }

    /** Makes one block conjugate-gradient solver per worker for a given rank. */
    @FunctionalInterface
    public interface CgBlockFactory {
        CgBlockSolver create(int rank);
    }

    private final int rank;
    private final RowParallel parallel;
    private final RowSolver[] rowSolvers;
    private final CgRowSolver[] cgSolvers;
    /** Per worker, when the backend runs conjugate gradient a block at a time; else null. */
    private final CgBlockSolver[] cgBlocks;
    private final double[][] solutions;
    private final Batch[] batches;
    private boolean closed;

    /** Rows accumulated by {@link NormalEquation} and solved by the factory's kernels. */
    public RowwiseLeastSquaresStep(int rank, int threads, KernelFactory kernels) {
        this(rank, threads, (RowSolverFactory) k -> viaNormalEquation(k, kernels.create(k)), JAVA_CG);
    }

    /** Rows accumulated by {@link NormalEquation} and solved by the factory's kernels; conjugate gradient by {@code cg}. */
    public RowwiseLeastSquaresStep(int rank, int threads, KernelFactory kernels, CgFactory cg) {
        this(rank, threads, (RowSolverFactory) k -> viaNormalEquation(k, kernels.create(k)), cg);
    }

    /**
     * A step whose rows are accumulated and solved by the factory's row solvers. (A factory
     * method, not a constructor, so that a lambda argument is never ambiguous between the
     * two factory types.)
     */
    public static RowwiseLeastSquaresStep ofRowSolvers(int rank, int threads, RowSolverFactory rowSolvers) {
        return new RowwiseLeastSquaresStep(rank, threads, rowSolvers, JAVA_CG);
    }

    /** As {@link #ofRowSolvers(int, int, RowSolverFactory)}, with the backend's own conjugate gradient. */
    public static RowwiseLeastSquaresStep ofRowSolvers(int rank, int threads, RowSolverFactory rowSolvers,
                                                       CgFactory cg) {
        return new RowwiseLeastSquaresStep(rank, threads, rowSolvers, cg);
    }

    /**
     * As {@link #ofRowSolvers(int, int, RowSolverFactory)}, with conjugate gradient run a block
     * of rows ({@link #BLOCK_ROWS}) at a time by the backend's {@link CgBlockSolver}s.
     */
    public static RowwiseLeastSquaresStep ofRowSolversAndBlockCg(int rank, int threads, RowSolverFactory rowSolvers,
                                                                 CgBlockFactory cg) {
        return new RowwiseLeastSquaresStep(rank, threads, rowSolvers, null, cg);
    }

    private RowwiseLeastSquaresStep(int rank, int threads, RowSolverFactory rowSolvers, CgFactory cg) {
        this(rank, threads, rowSolvers, cg, null);
    }

    private RowwiseLeastSquaresStep(int rank, int threads, RowSolverFactory rowSolvers, CgFactory cg,
                                    CgBlockFactory blocks) {
        this.rank = Checks.positive("rank", rank);
        this.parallel = new RowParallel(threads);
        this.rowSolvers = new RowSolver[threads];
        this.cgSolvers = new CgRowSolver[threads];
        this.cgBlocks = blocks == null ? null : new CgBlockSolver[threads];
        this.solutions = new double[threads][rank];
        this.batches = new Batch[threads];
        for (int w = 0; w < threads; w++) {
            this.rowSolvers[w] = rowSolvers.create(rank);
            this.batches[w] = new Batch(this.rowSolvers[w]);
            if (blocks == null) {
                this.cgSolvers[w] = cg.create(rank);
            } else {
                this.cgBlocks[w] = blocks.create(rank);
            }
        }
    }

    private static RowSolver viaNormalEquation(int rank, Kernel kernel) {
        NormalEquation ne = new NormalEquation(rank);
        return (observed, r, fixed, shared, penalty, x) -> {
            ne.reset();
            ne.addRow(observed, r, fixed);
            ne.finish(penalty, shared);
            return kernel.solve(ne, x);
        };
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target) {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        LeastSquaresStep.checkShapes(observed, fixed, shared, target);
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed must have rank " + rank + " but had " + fixed.rank());
        }
        double[] out = target.data();
        // Each worker takes the non-empty rows of its block in order, a batch at a time
        // (RowSolver.batchRows: usually one row), after the checks every row needs.
        parallel.run(observed.rows(), BLOCK_ROWS, (worker, from, to) -> {
            Batch batch = batches[worker];
            batch.count = 0; // a row check that threw in an earlier call may have left rows behind
            for (int r = from; r < to; r++) {
                int n = observed.count(r);
                if (n == 0) {
                    Arrays.fill(out, r * rank, (r + 1) * rank, 0);
                    continue;
                }
                double penalty = reg.penalty(n);
                if (penalty == 0 && n < rank && shared == null) {
                    // The rows before it come first: one of them may fail too, and the first
                    // failing row is the one reported, however the rows are batched.
                    if (batch.count > 0) {
                        batch.solve(observed, fixed, shared, out);
                    }
                    throw new SingularSystemException(r, rank, n, penalty);
                }
                if (batch.add(r, penalty)) {
                    batch.solve(observed, fixed, shared, out);
                }
            }
            if (batch.count > 0) {
                batch.solve(observed, fixed, shared, out);
            }
        });
    }

    /** One worker's rows waiting to be solved together, with their penalties and solutions. */
    private final class Batch {
        final RowSolver solver;
        final int[] rows;
        final double[] penalties;
        final double[] xs;
        int count;

        Batch(RowSolver solver) {
            this.solver = solver;
            int size = Math.max(1, solver.batchRows());
            this.rows = new int[size];
            this.penalties = new double[size];
            this.xs = new double[size * rank];
        }

        /** Adds a row; true when the batch is full. */
        boolean add(int r, double penalty) {
            rows[count] = r;
            penalties[count] = penalty;
            return ++count == rows.length;
        }

        /** Solves the rows added since the last call into {@code out}, or throws for the first that fails. */
        void solve(SparseView observed, FactorMatrix fixed, Gram shared, double[] out) {
            int failed = rows.length == 1
                    ? (solver.solve(observed, rows[0], fixed, shared, penalties[0], xs) ? -1 : 0)
                    : solver.solveRows(observed, rows, count, fixed, shared, penalties, xs);
            int n = count;
            count = 0;
            if (failed >= 0) {
                throw new SingularSystemException(rows[failed], rank, observed.count(rows[failed]), penalties[failed]);
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < rank; c++) {
                    if (!Double.isFinite(xs[i * rank + c])) {
                        throw new SingularSystemException(rows[i], rank, observed.count(rows[i]), penalties[i]);
                    }
                }
                System.arraycopy(xs, i * rank, out, rows[i] * rank, rank);
            }
        }
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps) {
        solveConjugateGradient(observed, fixed, reg, shared, target, steps, false);
    }

    /** True when the backend's block solvers run single-precision passes ({@link CgBlockSolver#singlePrecision}). */
    @Override
    public boolean singlePrecisionCg() {
        return cgBlocks != null && cgBlocks[0].singlePrecision();
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps, boolean singlePrecision) {
        if (singlePrecision && !singlePrecisionCg()) {
            throw new UnsupportedOperationException("this backend has no single-precision conjugate gradient");
        }
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        LeastSquaresStep.checkShapes(observed, fixed, shared, target);
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed must have rank " + rank + " but had " + fixed.rank());
        }
        Checks.positive("steps", steps);
        if (cgBlocks != null) {
            parallel.run(observed.rows(), BLOCK_ROWS, (worker, from, to) ->
                    cgBlocks[worker].iterate(observed, from, to, fixed, reg, shared, target, steps, singlePrecision));
            return;
        }
        parallel.run(observed.rows(), BLOCK_ROWS, (worker, from, to) -> {
            CgRowSolver cg = cgSolvers[worker];
            double[] x = solutions[worker];
            for (int r = from; r < to; r++) {
                conjugateGradientRow(cg, observed, r, fixed, reg, shared, target, x, steps);
            }
        });
    }

    /**
     * Rows of the fixed factor matrix per partial sum of {@link #gram}. Fixed, so that the
     * result does not depend on the number of threads.
     */
    public static final int GRAM_CHUNK_ROWS = 1024;

    /**
     * {@code F^T F} on the step's threads: the rows are cut into chunks of
     * {@value #GRAM_CHUNK_ROWS}, each chunk's upper triangle is summed in row order by rank-4
     * updates that C2 vectorises (one array per triangle row, as in {@link NormalEquation}),
     * and the chunks' sums are added in chunk order. The chunks and both orders depend only on
     * the matrix, so the result is the same for every thread count; it agrees with
     * {@link Gram#of} to rounding. Small matrices (one chunk), and any with a non-finite sum,
     * go to {@link Gram#of}. (The driver asks for it once per half-step of an implicit fit;
     * on one thread it took about 0.4 s for 359,000 rows of rank 64.)
     */
    @Override
    public Gram gram(FactorMatrix f) {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        return gram(f, parallel);
    }

    /**
     * {@code F^T F} as {@link #gram(FactorMatrix)} computes it, on the given workers: partial
     * sums over fixed chunks of {@link #GRAM_CHUNK_ROWS} rows, added in chunk order, so the
     * result is the same for every thread count.
     */
    public static Gram gram(FactorMatrix f, RowParallel parallel) {
        int k = f.rank();
        int rows = f.rows();
        int chunks = (rows + GRAM_CHUNK_ROWS - 1) / GRAM_CHUNK_ROWS;
        if (chunks <= 1) {
            return Gram.of(f);
        }
        double[][][] partial = new double[chunks][][];
        parallel.run(chunks, 1, (worker, from, to) -> {
            for (int c = from; c < to; c++) {
                partial[c] = upperGram(f, c * GRAM_CHUNK_ROWS, Math.min(rows, (c + 1) * GRAM_CHUNK_ROWS));
            }
        });
        double[][] sum = partial[0];
        for (int c = 1; c < chunks; c++) {
            double[][] part = partial[c];
            for (int p = 0; p < k; p++) {
                double[] dst = sum[p];
                double[] src = part[p];
                for (int q = p; q < k; q++) {
                    dst[q] += src[q];
                }
            }
        }
        double[] dense = new double[k * k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                double v = sum[p][q];
                if (!Double.isFinite(v)) {
                    return Gram.of(f);
                }
                dense[p * k + q] = v;
                dense[q * k + p] = v;
            }
        }
        return Gram.ofDense(k, dense);
    }

    /** The upper triangle of {@code sum_r f_r f_r^T} over rows {@code [from, to)}, in row order. */
    private static double[][] upperGram(FactorMatrix f, int from, int to) {
        int k = f.rank();
        double[] d = f.data();
        double[][] u = new double[k][k];
        double[] x0 = new double[k];
        double[] x1 = new double[k];
        double[] x2 = new double[k];
        double[] x3 = new double[k];
        int r = from;
        for (; r + 4 <= to; r += 4) {
            System.arraycopy(d, r * k, x0, 0, k);
            System.arraycopy(d, (r + 1) * k, x1, 0, k);
            System.arraycopy(d, (r + 2) * k, x2, 0, k);
            System.arraycopy(d, (r + 3) * k, x3, 0, k);
            for (int p = 0; p < k; p++) {
                double s0 = x0[p];
                double s1 = x1[p];
                double s2 = x2[p];
                double s3 = x3[p];
                double[] row = u[p];
                for (int q = p; q < k; q++) {
                    row[q] += s0 * x0[q] + s1 * x1[q] + s2 * x2[q] + s3 * x3[q];
                }
            }
        }
        for (; r < to; r++) {
            System.arraycopy(d, r * k, x0, 0, k);
            for (int p = 0; p < k; p++) {
                double s0 = x0[p];
                double[] row = u[p];
                for (int q = p; q < k; q++) {
                    row[q] += s0 * x0[q];
                }
            }
        }
        return u;
    }

    /**
     * One row of {@link LeastSquaresStep#solveConjugateGradient}: empty rows become zero,
     * unsolvable rows and non-finite results throw, as in {@link #solve}.
     *
     * @param x a workspace of the rank. Modified.
     */
    public static void conjugateGradientRow(CgRowSolver cg, SparseView observed, int r, FactorMatrix fixed,
                                            Regularizer reg, Gram shared, FactorMatrix target, double[] x, int steps) {
        int k = target.rank();
        double[] out = target.data();
        int n = observed.count(r);
        if (n == 0) {
            Arrays.fill(out, r * k, (r + 1) * k, 0);
            return;
        }
        double penalty = reg.penalty(n);
        if (penalty == 0 && n < k && shared == null) {
            throw new SingularSystemException(r, k, n, penalty);
        }
        System.arraycopy(out, r * k, x, 0, k);
        if (!cg.iterate(observed, r, fixed, shared, penalty, x, steps)) {
            throw new SingularSystemException(r, k, n, penalty);
        }
        System.arraycopy(x, 0, out, r * k, k);
    }

    /** As {@link #conjugateGradientRow(CgRowSolver, SparseView, int, FactorMatrix, Regularizer, Gram, FactorMatrix, double[], int)} with the plain-Java solver. */
    public static void conjugateGradientRow(ConjugateGradient cg, SparseView observed, int r, FactorMatrix fixed,
                                            Regularizer reg, Gram shared, FactorMatrix target, double[] x, int steps) {
        conjugateGradientRow((CgRowSolver) cg::iterate, observed, r, fixed, reg, shared, target, x, steps);
    }

    /**
     * Stops the worker threads and closes every row solver that is {@link AutoCloseable}
     * (all of them, even if one fails; the first failure is rethrown with the others
     * suppressed). A second call does nothing; {@link #solve} after closing throws.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parallel.close();
        RuntimeException failure = null;
        List<Object> owned = new ArrayList<>(Arrays.asList(rowSolvers));
        if (cgBlocks != null) {
            owned.addAll(Arrays.asList(cgBlocks));
        }
        for (Object s : owned) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    RuntimeException re = e instanceof RuntimeException r ? r
                            : new IllegalStateException("closing a row solver failed", e);
                    if (failure == null) {
                        failure = re;
                    } else {
                        failure.addSuppressed(re);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
