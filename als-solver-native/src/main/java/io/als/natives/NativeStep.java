package io.als.natives;

import io.als.api.Regularizer;
import io.als.api.SingularSystemException;
import io.als.internal.Checks;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.OptionalDouble;

/**
 * The native backend's step. A half-step works out every row's penalty in one pass, pads the
 * fixed side ({@link FixedSide}), then cuts the rows into blocks of
 * {@link RowwiseLeastSquaresStep#BLOCK_ROWS} on {@link RowParallel}; a worker hands its whole
 * block to the kernels in one call ({@link NativeKernels#solveBlock}), which also handle empty
 * and unsolvable rows. No Java code runs per row inside the parallel part, so there is little
 * for the JIT compiler to compile while a fit runs: its compiler threads would take a core
 * from the fit's first iterations (seen in the JIT's log), which a backend compiled ahead of
 * time is meant to avoid.
 */
final class NativeStep implements LeastSquaresStep {
    private static final int BLOCK = RowwiseLeastSquaresStep.BLOCK_ROWS;

    private final int rank;
    private final RowParallel parallel;
    private final FixedSide fixedSide;
    private final Worker[] workers;
    /**
     * Every row's penalty, for the last two (view, penalty) pairs seen: a fit alternates
     * between two, whose penalties never change, so each is worked out once per fit. (Working
     * them out every half-step also made the JIT compile that loop during a cold fit's first
     * iterations, on a core the fit's threads were using.)
     */
    private final Penalties[] known = {new Penalties(), new Penalties()};
    private boolean closed;

    NativeStep(int rank, int threads) {
        this.rank = Checks.positive("rank", rank);
        this.parallel = new RowParallel(threads);
        this.fixedSide = new FixedSide(rank);
        this.workers = new Worker[threads];
        for (int w = 0; w < threads; w++) {
            workers[w] = new Worker();
        }
    }

    @Override
    public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target) {
        run(observed, fixed, reg, shared, target, 0);
    }

    @Override
    public void solveConjugateGradient(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                       FactorMatrix target, int steps) {
        run(observed, fixed, reg, shared, target, Checks.positive("steps", steps));
    }

    private void run(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared, FactorMatrix target,
                     int steps) {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        LeastSquaresStep.checkShapes(observed, fixed, shared, target);
        if (fixed.rank() != rank) {
            throw new IllegalArgumentException("fixed must have rank " + rank + " but had " + fixed.rank());
        }
        int rows = observed.rows();
        Penalties p = penaltiesOf(observed, reg);
        double[] rowPenalties = p.values;
        int longest = p.longest;
        fixedSide.prepare(observed, fixed);
        int copied = fixedSide.padded(fixed) ? 0 : longest;
        try {
            parallel.run(rows, BLOCK, (worker, from, to) ->
                    workers[worker].solve(observed, from, to, fixed, rowPenalties, copied, shared, target, steps));
        } finally {
            fixedSide.done();
        }
    }

    /** The rows' penalties under {@code reg}: remembered, or worked out into the older slot. */
    private Penalties penaltiesOf(SparseView observed, Regularizer reg) {
        for (Penalties p : known) {
            if (p.view == observed && p.reg == reg) {
                return p;
            }
        }
        Penalties p = known[1];
        known[1] = known[0];
        known[0] = p;
        if (p.values.length < observed.rows()) {
            p.values = new double[observed.rows()];
        }
        p.view = null;
        p.longest = penalties(observed, reg, p.values);
        p.view = observed;
        p.reg = reg;
        return p;
    }

    /** One view's row penalties under one regulariser, and its longest row. */
    private static final class Penalties {
        SparseView view;
        Regularizer reg;
        double[] values = new double[0];
        int longest;
    }

    /**
     * Every row's penalty into {@code out} (0 for an empty row); returns the most entries of a
     * row.
     */
    private static int penalties(SparseView observed, Regularizer reg, double[] out) {
        int longest = 0;
        for (int r = 0; r < observed.rows(); r++) {
            int n = observed.count(r);
            out[r] = n == 0 ? 0 : reg.penalty(n);
            longest = Math.max(longest, n);
        }
        return longest;
    }

    /**
     * The squared errors by the native kernels ({@link NativeKernels#squaredErrors}), in blocks
     * of {@link RowwiseLeastSquaresStep#BLOCK_ROWS} rows on the step's threads, added in block
     * order: the same bits for any thread count. The fixed side is padded as for a half-step.
     * Empty for factors wider than the step's rank (a biased fit's augmented rows), for ranks
     * above {@link NativeKernels#MAX_SQUARED_ERRORS_RANK}, and when the kernels could not read an
     * array in place: the driver sums those.
     */
    @Override
    public OptionalDouble squaredErrors(SparseView observed, FactorMatrix rows, FactorMatrix fixed) {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        LeastSquaresStep.checkShapes(observed, fixed, rows);
        if (fixed.rank() != rank || rank > NativeKernels.MAX_SQUARED_ERRORS_RANK) {
            return OptionalDouble.empty();
        }
        int n = observed.rows();
        double[] part = new double[(n + BLOCK - 1) / BLOCK];
        fixedSide.prepare(observed, fixed);
        try {
            double[] data = fixedSide.data(fixed);
            int stride = fixedSide.stride(fixed);
            double[] x = rows.data();
            parallel.run(n, BLOCK, (worker, from, to) -> part[from / BLOCK] = observed.read((ptr, idx, val, wgt) ->
                    NativeKernels.squaredErrors(rank, ptr, idx, val, data, stride, x, from, to)));
        } finally {
            fixedSide.done();
        }
        double total = 0;
        for (double p : part) {
            total += p;
        }
        // NaN: an array could not be read in place (finite factors and values never sum to NaN);
        // the driver then sums them itself.
        return Double.isNaN(total) ? OptionalDouble.empty() : OptionalDouble.of(total);
    }

    /**
     * {@code F^T F} on the step's threads, as the pure-Java backend computes it
     * ({@link RowwiseLeastSquaresStep#gram(FactorMatrix, RowParallel)}): once per half-step of
     * an implicit fit, a small share of its time.
     */
    @Override
    public Gram gram(FactorMatrix f) {
        if (closed) {
            throw new IllegalStateException("step was closed");
        }
        return RowwiseLeastSquaresStep.gram(f, parallel);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Penalties p : known) {
            p.view = null;
            p.reg = null;
            p.values = new double[0];
        }
        fixedSide.release();
        parallel.close();
    }

    /** One worker's workspace and dense copy of the shared term. */
    private final class Worker {
        private double[] work = new double[0];
        private Gram sharedSeen;
        private double[] sharedDense;

        /** Rows {@code [from, to)}, in one call; {@code longest}: the entries of the copied factor rows' room. */
        void solve(SparseView observed, int from, int to, FactorMatrix fixed, double[] penalties, int longest,
                   Gram shared, FactorMatrix target, int steps) {
            long need = NativeKernels.workspace(rank, longest);
            if (need > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("a row of " + longest + " entries needs a workspace beyond a Java array");
            }
            if (work.length < need) {
                work = new double[(int) need];
            }
            double[] dense = dense(shared);
            double[] data = fixedSide.data(fixed);
            int stride = fixedSide.stride(fixed);
            double[] space = work;
            int status = observed.read((ptr, idx, val, wgt) -> NativeKernels.solveBlock(rank, ptr, idx, val, wgt,
                    data, stride, dense, from, to - from, penalties, target.data(), steps, space, longest));
            if (status >= 0) {
                int r = from + status;
                throw new SingularSystemException(r, rank, observed.count(r), penalties[r]);
            }
            if (status < -1) {
                throw new InternalError("the native kernels could not read the JVM's arrays in place (status "
                        + status + ")");
            }
        }

        private double[] dense(Gram shared) {
            if (shared == null) {
                return null;
            }
            if (shared != sharedSeen) {
                if (shared.rank() != rank) {
                    throw new IllegalArgumentException("shared Gram must have rank " + rank + " but had "
                            + shared.rank());
                }
                sharedDense = shared.toDense();
                sharedSeen = shared;
            }
            return sharedDense;
        }
    }
}
