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
     * returns when all are done. When blocks throw, the exception of the first of them in row
     * order is rethrown, the same one for every thread count: blocks are handed out in row
     * order and once one fails no new block is started, but every block handed out before it
     * (so every block before it in row order) runs to its end.
     */
    public void run(int rows, int blockSize, Block block) {
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
            futures.add(pool.submit(() -> drain(worker, rows, blockSize, blocks, next, failure, block)));
        }
        drain(0, rows, blockSize, blocks, next, failure, block);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // drain records every throwable it meets; only a bug in this class lands here.
                failure.record(-1, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while solving rows", e);
            }
        }
        failure.rethrow();
    }

    private static void drain(int worker, int rows, int blockSize, int blocks,
                              AtomicInteger next, Failure failure, Block block) {
        for (int b = next.getAndIncrement(); b < blocks && !failure.seen(); b = next.getAndIncrement()) {
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
        private volatile boolean seen;
        private int block = Integer.MAX_VALUE;
        private Throwable thrown;

        boolean seen() {
            return seen;
        }

        synchronized void record(int b, Throwable t) {
            if (thrown == null || b < block) {
                block = b;
                thrown = t;
            }
            seen = true;
        }

        synchronized void rethrow() {
            if (thrown instanceof RuntimeException re) {
                throw re;
            }
            if (thrown != null) {
                // An Error (an assertion in a test's block, say) goes out wrapped, as it always has.
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
