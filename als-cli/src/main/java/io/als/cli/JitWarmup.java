package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.ImplicitFeedback;
import io.als.api.Objective;
import io.als.api.Ratings;
import io.als.api.Regularizer;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fit's half-step kernels on a small made-up problem on a second thread while the
 * command reads its data, so that the JIT compiler has compiled them (from a profile of the
 * same code at the same rank) before the first real half-step; for an explicit fit also the
 * pass that computes the loss (train ends with it, for the RMSE it prints), and for every fit
 * the initialisation. Reading the data keeps one
 * core busy and leaves the other idle, which is when this runs; it stops as soon as the data
 * is read ({@link #close()}), so it never competes with the fit. It touches nothing the fit
 * uses, and any failure in it is ignored (the fit then only starts cold).
 *
 * <p>{@code ALS_NO_WARMUP=1} turns it off.
 */
final class JitWarmup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JitWarmup.class);
    /**
     * Rows of the made-up problem: more than two of the step's blocks of rows
     * ({@link RowwiseLeastSquaresStep#BLOCK_ROWS}), so that two threads share a half-step as
     * in the fit, and a last block whose rows are not a multiple of eight, so that a batched
     * kernel also meets a part-filled batch (ML-1M's item half-step ends with one). The first row
     * has {@link #LONG_ROW} entries, more than the kernels' chunks of gathered rows, the others
     * 10 to 99. Every path the fit takes must be taken here: a path first met in the real fit
     * sends its compiled code back to the interpreter there. Rounds are small because
     * {@link #close()} waits for the current one: on a file read in a few milliseconds the
     * warm-up must not hold the command up.
     */
    static final int ROWS = 2 * RowwiseLeastSquaresStep.BLOCK_ROWS + 13;
    private static final int LONG_ROW = 700;
    private static final int FIXED = 1024;
    /** The largest rank warmed up. */
    static final int MAX_RANK = 512;
    /** Threads of a round's step: the fit's, but no more than the problem's blocks of rows. */
    static final int MAX_THREADS = 3;
    /** At most this many rounds, however long the data takes to read. */
    private static final int MAX_ROUNDS = 160_000;

    private final Thread thread;
    private volatile boolean stop;
    private volatile int rounds;

    private JitWarmup(AlsConfig config, Solver solver) {
        this.thread = new Thread(() -> run(config, solver), "als-warmup");
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MIN_PRIORITY);
    }

    /** Starts warming up for this fit, unless {@code ALS_NO_WARMUP} is set (then does nothing). */
    static JitWarmup start(AlsConfig config, Solver solver, Map<String, String> env) {
        JitWarmup w = new JitWarmup(config, solver);
        // Above MAX_RANK a half-step's arithmetic dwarfs compiling it, and the made-up problem
        // would itself be large (a fit the memory check is about to refuse must not fail here).
        if (env.getOrDefault("ALS_NO_WARMUP", "").isEmpty() && config.rank() <= MAX_RANK) {
            w.thread.start();
        }
        return w;
    }

    /** Rounds run so far (for tests). */
    int rounds() {
        return rounds;
    }

    /** Stops the warm-up and waits for its current round to end. */
    @Override
    public void close() {
        stop = true;
        if (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.debug("JIT warm-up: {} round(s) of {} rows while the data was read", rounds, ROWS);
    }

    private void run(AlsConfig config, Solver solver) {
        // A biased fit solves rows of rank + 1 (the bias as one more column).
        int k = config.rank() + (config.biased() && !config.isImplicit() ? 1 : 0);
        ImplicitFeedback implicit = config.isImplicit() ? config.implicit() : null;
        // As many threads as the fit's, and a new step each round whose first half-step meets
        // its workspaces empty and its second reuses them, as the fit's steps do: a warm-up on
        // one thread and one step left those branches untaken, and the kernels' compiled code
        // was thrown away at the fit's first half-step (seen in the JIT's log).
        int threads = Math.min(MAX_THREADS, Math.max(1, config.threads()));
        try (RowParallel inline = new RowParallel(1)) {
            SparseView view = problem(implicit);
            // An explicit fit ends with a pass over the ratings for its loss (train prints the RMSE).
            Ratings rated = implicit == null ? Ratings.of(view) : null;
            FactorMatrix fixed = new FactorMatrix(FIXED, k);
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < fixed.data().length; i++) {
                fixed.data()[i] = rnd.nextDouble(-0.5, 0.5);
            }
            FactorMatrix target = new FactorMatrix(ROWS, k);
            Regularizer reg = Regularizer.weighted(0.1);
            while (!stop && rounds < MAX_ROUNDS) {
                try (LeastSquaresStep step = solver.newStep(k, threads)) {
                    Gram shared = implicit == null ? null : step.gram(fixed);
                    for (int halfStep = 0; halfStep < 2; halfStep++) {
                        if (implicit != null && implicit.rowSolve().isCg()) {
                            step.solveConjugateGradient(view, fixed, reg, shared, target, implicit.cgSteps(),
                                    implicit.rowSolve() == ImplicitFeedback.RowSolve.CG_FLOAT);
                        } else {
                            step.solve(view, fixed, reg, shared, target);
                        }
                        // The driver's check of every solved factor, after each half-step.
                        if (target.firstNonFiniteRow() >= 0) {
                            throw new IllegalStateException("warm-up produced a non-finite factor");
                        }
                    }
                    if (rated != null) {
                        // With the step, as the fit's loss: its backend may sum the errors itself.
                        Objective.evaluate(rated, target, fixed, reg, inline, step);
                    }
                }
                config.init().fill(target, rounds, inline);
                rounds++;
            }
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // Its own arrays only: a heap too small for them leaves the fit to report its own need.
            LOG.debug("JIT warm-up stopped: {}", e.toString());
        }
    }

    /** {@link #ROWS} rows of distinct columns, values 1 to 5; weighted as an implicit fit's. */
    private static SparseView problem(ImplicitFeedback implicit) {
        SplittableRandom rnd = new SplittableRandom(2);
        int[] ptr = new int[ROWS + 1];
        int[][] rows = new int[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            int n = r == 0 ? LONG_ROW : 10 + rnd.nextInt(90);
            rows[r] = rnd.ints(0, FIXED).distinct().limit(n).sorted().toArray();
            ptr[r + 1] = ptr[r] + n;
        }
        int[] idx = new int[ptr[ROWS]];
        double[] val = new double[idx.length];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(rows[r], 0, idx, ptr[r], rows[r].length);
        }
        for (int e = 0; e < val.length; e++) {
            val[e] = 1 + rnd.nextInt(5);
        }
        SparseView view = SparseView.copyOf(ROWS, FIXED, ptr, idx, val);
        return implicit == null ? view : implicit.weighted(view, ImplicitFeedback.EntryContext.rowsAreUsers(view),
                ImplicitFeedback.Counts.of(view), e -> new IllegalStateException("negative"));
    }
}
