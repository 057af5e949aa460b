package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.ImplicitFeedback;
import io.als.api.Regularizer;
import io.als.api.SolverRegistry;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The warm-up that runs the kernels while {@code train} reads its data: it runs for explicit
 * (plain and biased) and implicit (CG and exact) settings, stops when closed, and
 * {@code ALS_NO_WARMUP} turns it off.
 */
class JitWarmupTest {
    @Test
    void runsUntilClosedForEveryKindOfFit() throws InterruptedException {
        AlsConfig[] configs = {AlsConfig.plain().rank(5).build(), AlsConfig.builder().rank(5).build(),
            AlsConfig.builder().implicit(true).rank(7).build(),
            AlsConfig.builder().implicit(true).rank(7).rowSolve(ImplicitFeedback.RowSolve.CHOLESKY).build()};
        for (AlsConfig config : configs) {
            JitWarmup w = JitWarmup.start(config, SolverRegistry.discover().get("java"), Map.of());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (w.rounds() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            w.close();
            int after = w.rounds();
            assertTrue(after >= 3, config + ": " + after + " rounds");
            Thread.sleep(50);
            assertEquals(after, w.rounds(), "still running after close");
        }
    }

    /**
     * Each round runs the fit's shape of work: a new step on the fit's threads (at most
     * {@link JitWarmup#MAX_THREADS}), two half-steps on it (the first meets the step's
     * workspaces empty, the second reuses them), over more than two blocks of rows whose last
     * block leaves a batch of eight part-filled. A warm-up on one thread and one step, as
     * before, let the fit's first half-step throw the compiled kernels away.
     */
    @Test
    void eachRoundIsANewStepOnTheFitsThreadsWithTwoHalfSteps() throws InterruptedException {
        assertTrue(JitWarmup.ROWS > 2 * RowwiseLeastSquaresStep.BLOCK_ROWS, "two threads must share the rows");
        assertTrue(JitWarmup.ROWS % RowwiseLeastSquaresStep.BLOCK_ROWS % 8 != 0, "the last batch must be part-filled");
        int[][] fitAndWarmupThreads = {{1, 1}, {2, 2}, {3, 3}, {16, JitWarmup.MAX_THREADS}};
        for (int[] pair : fitAndWarmupThreads) {
            Recording recording = new Recording(SolverRegistry.discover().get("java"));
            JitWarmup w = JitWarmup.start(AlsConfig.plain().rank(4).threads(pair[0]).build(), recording, Map.of());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (w.rounds() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            w.close();
            int rounds = w.rounds();
            assertTrue(rounds >= 3, rounds + " rounds");
            assertEquals(rounds, recording.threads.size(), "one step per round");
            assertTrue(recording.threads.stream().allMatch(t -> t == pair[1]),
                    pair[0] + " fit threads: " + recording.threads);
            assertEquals(2 * rounds, recording.solves.get(), "two half-steps per step");
            assertEquals(rounds, recording.closed.get(), "every step closed");
            assertTrue(recording.rows.stream().allMatch(r -> r == JitWarmup.ROWS), recording.rows.toString());
        }
    }

    /** A backend that counts the warm-up's steps, their threads, half-steps and rows. */
    private static final class Recording implements Solver {
        final Solver inner;
        final List<Integer> threads = new CopyOnWriteArrayList<>();
        final List<Integer> rows = new CopyOnWriteArrayList<>();
        final AtomicInteger solves = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Recording(Solver inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public LeastSquaresStep newStep(int rank, int threadCount) {
            threads.add(threadCount);
            LeastSquaresStep step = inner.newStep(rank, threadCount);
            return new LeastSquaresStep() {
                @Override
                public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, Gram shared,
                                  FactorMatrix target) {
                    rows.add(observed.rows());
                    solves.incrementAndGet();
                    step.solve(observed, fixed, reg, shared, target);
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    step.close();
                }
            };
        }
    }

    /** Above its largest rank it does not start (the rank-100,000 fit the memory check refuses must not fail in it). */
    @Test
    void largeRanksAreNotWarmedUp() throws InterruptedException {
        JitWarmup w = JitWarmup.start(AlsConfig.plain().rank(JitWarmup.MAX_RANK + 1).build(),
                SolverRegistry.discover().get("java"), Map.of());
        Thread.sleep(200);
        w.close();
        assertEquals(0, w.rounds());
    }

    @Test
    void alsNoWarmupTurnsItOff() throws InterruptedException {
        JitWarmup w = JitWarmup.start(AlsConfig.builder().rank(5).build(), SolverRegistry.discover().get("java"),
                Map.of("ALS_NO_WARMUP", "1"));
        Thread.sleep(200);
        w.close();
        assertEquals(0, w.rounds());
    }
}
