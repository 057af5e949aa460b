package io.als.spi.rowwise;

import io.als.spi.SparseView;

/**
 * Brings factor rows into the cache ahead of their use. Java has no prefetch instruction;
 * the nearest thing is a short loop of independent loads, which lets the processor keep
 * dozens of cache misses in flight at once, where a copy loop meets them a few at a time.
 * Row solvers call it for their next chunk of ratings before the arithmetic on the current
 * one. It matters once the fixed factor matrix outgrows the caches (measured in
 * docs/design-notes.md, "Gathering ahead of the arithmetic").
 */
public final class Prefetch {
    private Prefetch() {
    }

    /**
     * Factor matrices up to this many doubles (1 MiB, half of a core's L2 cache on the
     * machine the benchmarks ran on) stay in the cache through a half-step, so touching their
     * rows ahead only adds loads: {@link #worthIt} says no.
     */
    public static final int CACHED_DOUBLES = 1 << 17;

    /**
     * Whether prefetching rows of {@code factors} can pay: only when the matrix is larger than
     * {@link #CACHED_DOUBLES}. (At ML-1M's rank 10 the touches were 4.6% of a Spark fit's
     * samples, with the factors in the cache.)
     */
    public static boolean worthIt(double[] factors) {
        return factors.length > CACHED_DOUBLES;
    }

    /**
     * Reads the first and last entry of the rows of {@code factors} (rank {@code k}) named by
     * entries {@code from..to-1} of {@code observed}: the cache lines holding a row's first
     * and last entries, which at ranks up to about 10 is the whole row. Larger rows are
     * compute-bound anyway. Returns a sum of what it read, which the caller must keep (for example add
     * to a field) so that the compiler cannot drop the loads.
     */
    public static double touch(SparseView observed, double[] factors, int k, int from, int to) {
        double t = 0;
        for (int e = from; e < to; e++) {
            int o = observed.index(e) * k;
            t += factors[o] + factors[o + k - 1];
        }
        return t;
    }

    /**
     * Touches the rows of the chunk after {@code [from, from + chunk)} in row {@code r}, or,
     * when that chunk was the row's last, the first chunk of row {@code r + 1}.
     */
    public static double touchNext(SparseView observed, int r, int from, int chunk, double[] factors, int k) {
        int end = observed.end(r);
        int next = from + chunk;
        if (next < end) {
            return touch(observed, factors, k, next, Math.min(end, next + chunk));
        }
        if (r + 1 < observed.rows()) {
            int start = observed.start(r + 1);
            return touch(observed, factors, k, start, Math.min(observed.end(r + 1), start + chunk));
        }
        return 0;
    }
}
