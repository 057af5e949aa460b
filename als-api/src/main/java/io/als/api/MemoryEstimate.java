package io.als.api;

/**
 * Estimates of the heap a load or a fit needs, checked before allocating so that a job that
 * cannot fit fails at once with the figure and a {@code -Xmx} hint.
 *
 * <p>The per-rating figures count the arrays the code really allocates: while loading, the
 * builder's user, item and value arrays (4 + 4 + 8 bytes), its line numbers (8), the two
 * sort orders (4 + 4) and the finished CSR and CSC arrays (2 x (4 + 8)), about 56 bytes, with
 * room for the growth of the builder's arrays (up to 1.5x) and id maps: 80 bytes. A fit holds
 * both factor matrices twice (the working copy and the model's) and the model's copy of the
 * rated pattern (4 bytes per rating).
 */
public final class MemoryEstimate {
    /** Peak bytes per rating while reading and building {@link Ratings}. */
    public static final long LOAD_BYTES_PER_RATING = 80;
    /**
     * Bytes per line of a typical ratings file: MovieLens u.data averages 19.8, ratings.dat
     * 24.6, ratings.csv (25M) 27; a file of short lines is underestimated, so this is a guide
     * for failing early, not a bound.
     */
    static final long TYPICAL_BYTES_PER_LINE = 20;
    /** Heap that must stay free for everything else (JIT, logging, small objects). */
    static final long HEADROOM_BYTES = 64L << 20;

    private MemoryEstimate() {
    }

    /** Bytes a fit allocates beyond the ratings it is given. */
    public static long forFit(int users, int items, long ratings, int rank, int threads) {
        long factors = ((long) users + items) * rank * Double.BYTES;
        long model = 2 * factors + ((long) users + 1 + ratings) * Integer.BYTES + ((long) users + items) * Double.BYTES;
        long workspaces = (long) threads * ((long) rank * rank + 4L * rank) * Double.BYTES;
        return factors + model + workspaces;
    }

    /** An estimate of the bytes needed to load an uncompressed ratings file of this size. */
    public static long forLoading(long fileBytes) {
        return fileBytes / TYPICAL_BYTES_PER_LINE * LOAD_BYTES_PER_RATING;
    }

    /** Heap that can still be allocated: the maximum heap less what is in use, less headroom. */
    public static long available(Runtime rt) {
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - HEADROOM_BYTES;
    }

    /** Throws {@link InsufficientMemoryException} when {@code needed} exceeds {@code available}. */
    public static void require(String what, long needed, long available) {
        if (needed > available) {
            throw new InsufficientMemoryException(what, needed, Math.max(0, available));
        }
    }

    static long mib(long bytes) {
        return (bytes + (1L << 20) - 1) >> 20;
    }
}
