package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.ImplicitFeedback;
import io.als.api.SolverRegistry;
import java.util.Map;
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
