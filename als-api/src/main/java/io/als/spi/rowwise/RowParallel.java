package io.als.spi.rowwise;

import io.als.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocks of rows on a fixed number of threads. Each thread has a worker number in
 * {@code [0, threads)}, so callers can keep one workspace per worker and allocate nothing
 * per row. Blocks are handed out dynamically (rows differ a lot in cost), but because a
 * row's result never depends on which worker ran it, the outcome is the same for every
 * thread count. The calling thread works too, as worker 0. Close to stop the pool.
 */
public final class RowParallel implements AutoCloseable {

    /** Work on rows {@code [from, to)} by worker {@code worker}. */
    @FunctionalInterface
    public interface Block {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    public RowParallel(int threads) {
        this.threads = Checks.positive("threads", threads);
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "als-rows");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code block} over {@code [0, rows)} in blocks of {@code blockSize} rows and
     * returns when all are done. When blocks throw, the throwable of the first of them in row
     * order is rethrown as it is, the same one for every thread count: blocks are handed out in
     * row order, and a block runs unless one before it in row order has already failed, so the
     * first failing block always runs (blocks after a failure are skipped).
     */
    public void run(int rows, int blockSize, Block block) {
        run(rows, blockSize, block, b -> { });
    }

    /** {@link #run(int, int, Block)}, calling {@code taken} with each block as a worker takes it (tests pause there). */
    void run(int rows, int blockSize, Block block, java.util.function.IntConsumer taken) {
        Checks.positive("blockSize", blockSize);
        int blocks = (rows + blockSize - 1) / blockSize;
        if (pool == null || blocks <= 1) {
            for (int b = 0; b < blocks; b++) {
                block.run(0, b * blockSize, Math.min(rows, (b + 1) * blockSize));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Failure failure = new Failure();
        int helpers = Math.min(threads - 1, blocks - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int w = 1; w <= helpers; w++) {
            int worker = w;
            futures.add(pool.submit(() -> drain(worker, rows, blockSize, blocks, next, failure, block, taken)));
        }
        drain(0, rows, blockSize, blocks, next, failure, block, taken);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // drain records every throwable it meets; only a bug in this class lands here.
                failure.record(Integer.MIN_VALUE, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while solving rows", e);
            }
        }
        failure.rethrow();
    }

    private static void drain(int worker, int rows, int blockSize, int blocks, AtomicInteger next, Failure failure,
                              Block block, java.util.function.IntConsumer taken) {
        while (true) {
            int b = next.getAndIncrement();
            if (b >= blocks) {
                return;
            }
            taken.accept(b);
            // A block is skipped only when one before it failed: every block before the first
            // failing one runs, whichever worker took it and however late it starts.
            if (b >= failure.lowest()) {
                return;
            }
            try {
                block.run(worker, b * blockSize, Math.min(rows, (b + 1) * blockSize));
            } catch (RuntimeException | Error e) {
                failure.record(b, e);
                return;
            }
        }
    }

    /** The throwable of the lowest-numbered failed block, kept across the workers. */
    private static final class Failure {
        /** The lowest failed block so far; {@code Integer.MAX_VALUE} while none has. */
        private volatile int lowest = Integer.MAX_VALUE;
        private Throwable thrown;

        int lowest() {
            return lowest;
        }

        synchronized void record(int b, Throwable t) {
            if (thrown == null || b < lowest) {
                lowest = b;
                thrown = t;
            }
        }

        synchronized void rethrow() {
            if (thrown instanceof RuntimeException re) {
                throw re;
            }
            if (thrown instanceof Error e) {
                // As one thread throws it (an OutOfMemoryError reaches the command's handler as itself).
                throw e;
            }
            if (thrown != null) {
                throw new RuntimeException(thrown);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
