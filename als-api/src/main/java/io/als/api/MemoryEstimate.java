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
 * rated pattern (4 bytes per rating), and each worker thread its own workspace
 * ({@link #perThreadWorkspace}).
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

    /** Factor rows a {@code NormalEquation} gathers ahead of its arithmetic ({@code NormalEquation.CHUNK}). */
    static final int GATHERED_ROWS = 128;
    /** The header of an array object on a 64-bit JVM (with compressed pointers: 16 bytes). */
    static final long ARRAY_HEADER_BYTES = 16;

    private MemoryEstimate() {
    }

    /** Bytes a fit allocates beyond the ratings it is given, for systems as wide as the rank. */
    public static long forFit(int users, int items, long ratings, int rank, int threads) {
        return forFit(users, items, ratings, rank, threads, rank);
    }

    /**
     * Bytes a fit allocates beyond the ratings it is given.
     *
     * @param rank    columns of the model's factor matrices (rank times samples for a sampled model)
     * @param threads the threads the fit uses, each with its own workspace
     * @param solved  the width of the systems the workers solve (the rank, plus one when biased)
     */
    public static long forFit(int users, int items, long ratings, int rank, int threads, int solved) {
        long factors = ((long) users + items) * rank * Double.BYTES;
        long model = 2 * factors + ((long) users + 1 + ratings) * Integer.BYTES + ((long) users + items) * Double.BYTES;
        long workspaces = threads * perThreadWorkspace(solved);
        return factors + model + workspaces;
    }

    /**
     * Bytes one worker thread holds for systems of width {@code k}: the row-wise step's
     * {@code NormalEquation} (the upper triangle as {@code k} rows of {@code k}, the dense
     * {@code k x k} copy, the right-hand side and diagonal of {@code k} each, and
     * {@value #GATHERED_ROWS} gathered factor rows of {@code k}) and the worker's solution of
     * {@code k}: {@code 2k^2 + 131k} doubles, plus a 16-byte header for each of its
     * {@code k + 132} arrays.
     */
    public static long perThreadWorkspace(int k) {
        long doubles = 2L * k * k + (GATHERED_ROWS + 3L) * k;
        long arrays = k + GATHERED_ROWS + 4L;
        return doubles * Double.BYTES + arrays * ARRAY_HEADER_BYTES;
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
