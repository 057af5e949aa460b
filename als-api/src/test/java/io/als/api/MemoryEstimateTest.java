package io.als.api;

import io.als.spi.LeastSquaresStep;
import io.als.spi.Solver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

    @Test
    void aFitCountsBothFactorCopiesAndTheRatedPattern() {
        // 1000 users + 500 items at rank 10: factors 120,000 bytes; the model copies them (240,000),
        // keeps the rated pattern ((1000 + 1 + 20,000) x 4 = 84,004) and biases (1500 x 8 = 12,000);
        // one worker's workspace (its NormalEquation and solution) is (2 x 100 + 131 x 10) x 8 = 12,080 bytes
        // in 10 + 132 arrays of 16-byte headers (2,272).
        assertEquals(120_000 + 240_000 + 84_004 + 12_000 + 12_080 + 2_272, MemoryEstimate.forFit(1000, 500, 20_000, 10, 1));
    }

    @Test
    void tooLittleHeapFailsWithTheEstimateAndAHint() {
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> MemoryEstimate.require("a rank-500 fit", 3L << 30, 1L << 30));
        assertEquals(3L << 30, e.neededBytes());
        assertTrue(e.getMessage().startsWith("a rank-500 fit needs about 3072 MiB of heap but only 1024 MiB are"
                + " available; raise the heap, e.g. -Xmx5g"), e.getMessage());
        // Beyond the machine's memory a larger heap is no answer, and the message does not offer one.
        String beyond = new InsufficientMemoryException("a rank-10 fit", 64L << 30, 1L << 30, 24L << 30).getMessage();
        assertEquals("a rank-10 fit needs about 65536 MiB of heap but only 1024 MiB are available; that is more than"
                + " this machine's 24576 MiB of memory, so make the job smaller (rank, samples, threads or data)", beyond);
        assertTrue(new InsufficientMemoryException("a fit", 4L << 30, 1L << 30, 24L << 30).getMessage()
                .endsWith("raise the heap, e.g. -Xmx6g (for the als command: ALS_JAVA_OPTS=-Xmx6g)"));
        assertTrue(new InsufficientMemoryException("a fit", 64L << 30, 1L << 30, 0).getMessage()
                .contains("raise the heap"), "machine memory unknown");
    }

    @Test
    void theDriverRefusesAFitLargerThanTheHeapBeforeAllocating() {
        // 2 users x 3 items, but a rank so large that the factors alone exceed any test heap.
        Ratings r = Ratings.fromDense(new double[][] {{1, 2, 3}, {4, 5, 6}});
        int rank = Integer.MAX_VALUE / 8;
        AlsConfig config = AlsConfig.builder().rank(rank).threads(1).build();
        Solver never = new Solver() {
            @Override
            public String name() {
                return "never";
            }

            @Override
            public LeastSquaresStep newStep(int k, int threads) {
                throw new AssertionError("must fail before creating a step");
            }
        };
        assertThrows(InsufficientMemoryException.class, () -> new AlternatingLeastSquares(config, never).fit(r));
    }
}
