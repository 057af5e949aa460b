package io.als.vector;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.Prefetch;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import io.als.spi.SparseView;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One worker's workspace for a row's normal equation {@code (G + F^T W F + lambda I) x = F^T v}
 * (see {@link LeastSquaresStep}), accumulated and solved with explicit SIMD code from the
 * Vector API. Not thread-safe.
 *
 * <h2>Layout</h2>
 * The matrix is one flat row-major array with a padded stride {@code kp} (the rank rounded
 * up to a whole number of vectors). Only the upper triangle is meaningful; some entries
 * below the diagonal are written with values nobody reads, because the tiles start at a
 * vector boundary. The gathered factor rows use the same stride and their padding stays
 * zero, so padded columns of the matrix stay zero.
 *
 * <h2>The micro-kernel</h2>
 * {@link #tile8x2} keeps an 8 x (2 vectors) tile of the result in sixteen vector registers
 * while it runs over the factor rows, with one fused multiply-add per register per row:
 * 8 broadcasts and 2 vector loads feed 16 FMAs ({@link #tile4x2}, half the size, where
 * vectors are narrower and registers fewer). The SuperWord loop of the ejml solver loads
 * and stores its triangle row for every four ratings instead, and cannot use FMA; this tile
 * is what lifts the Gram from about 15-20 to 30-40 GFLOP/s per core at ranks 32-128
 * (docs/design-notes.md). The same tile does the trailing update of the blocked Cholesky.
 *
 * <h2>Weights and the shared term</h2>
 * For a weighted view the broadcast side of the Gram tiles is a second gathered copy whose
 * rows are multiplied by their entries' weights ({@code w_e f_e}); the loaded side stays
 * {@code f_e}, and the right-hand side uses the plain values. Multiplying by a weight of 1
 * changes no bit, and the tiles run the same operations in the same order, so weights of 1
 * give exactly the unweighted result. An unweighted view skips the copy: the choice is made
 * once per row. The shared term {@code G} is added to the finished accumulation, before the
 * penalty, from a padded copy made once per {@link Gram} instance.
 *
 * <h2>Determinism</h2>
 * Every sum runs in an order fixed by the row's entries and the rank (the chunks of
 * gathered rows in entry order, the Cholesky blocks in order), never by the thread, so a
 * row's result is bit-identical wherever it is computed. It can differ between machines with
 * different vector widths, as BLAS results do.
 */
final class VectorNormalEquation implements RowwiseLeastSquaresStep.RowSolver {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();

    /**
     * Rows of a tile: 8 where vectors hold 8 doubles (16 accumulators of 32 AVX-512
     * registers), else 4 (8 accumulators, which fits AVX2's 16 registers).
     */
    static final int TILE_ROWS = VL >= 8 ? 8 : 4;

    /**
     * Factor rows gathered per chunk: a tile's accumulators stay in registers over a whole
     * chunk. 256 measured faster than 64 and 128 at rank 64 (docs/design-notes.md).
     */
    static final int CHUNK = 256;

    /**
     * Ranks up to which the Cholesky factor and the two triangular solves run as plain scalar
     * loops ({@link #smallCholesky}): at such ranks the vector code's loads and stores of
     * whole padded rows, and its lane sums, cost more than the arithmetic (at rank 10 they
     * took about 40% of an explicit half-step on MovieLens 1M).
     */
    static final int SMALL_RANK = 16;

    /** Rows of the Cholesky factor finished per block before the trailing update. */
    static final int CHOLESKY_BLOCK = 8;

    private final int k;
    private final int kp;
    private final double[] a;
    private final double[] b;
    private final double[] diagonal;
    private final double[] gathered;
    /** The gathered rows times their weights, for weighted views; made on first use. */
    private double[] weightedRows;
    private final double[] ratings;
    /** The shared term last seen, and its upper triangle in this workspace's padded layout. */
    private Gram sharedSeen;
    private double[] sharedPadded;
    private final double[] lanes = new double[VL];
    /** The factor's reciprocal pivots, for {@link #smallCholesky}. */
    private final double[] pivotInverses;
    /** One row's solution, for {@link #oneByOne}. */
    private final double[] single;
    /** Where {@link Prefetch} leaves its sums, so that the compiler cannot drop the loads. */
    private double sink;
    /** The padded fixed side of the current half-step at a small rank, or null (see {@link #fused}). */
    private final PaddedFactors padded;

    VectorNormalEquation(int rank) {
        this(rank, null);
    }

    VectorNormalEquation(int rank, PaddedFactors padded) {
        this.padded = padded;
        this.k = rank;
        this.kp = stride(rank);
        this.a = new double[kp * kp];
        this.b = new double[kp];
        this.diagonal = new double[kp];
        this.pivotInverses = new double[kp];
        this.single = new double[rank];
        this.gathered = new double[CHUNK * kp];
        this.ratings = new double[CHUNK];
    }

    /** The padded stride: the rank rounded up to a multiple of the vector length and of the tile rows. */
    static int stride(int rank) {
        int unit = Math.max(VL, TILE_ROWS);
        return (rank + unit - 1) / unit * unit;
    }

    int rank() {
        return k;
    }

    /**
     * Accumulates row {@code r} of {@code observed} against {@code fixed}, adds the shared
     * term (when not null) and then {@code penalty} to the diagonal, and solves into
     * {@code x} (length at least the rank).
     *
     * @return false when the matrix is not numerically positive definite
     */
    @Override
    public boolean solve(SparseView observed, int r, FactorMatrix fixed, Gram shared, double penalty, double[] x) {
        Arrays.fill(a, 0);
        Arrays.fill(b, 0);
        double[] f = fixed.data();
        int start = observed.start(r);
        int end = observed.end(r);
        if (padded != null && !observed.weighted() && padded.holds(fixed)) {
            fused(observed, start, end, padded.data());
            return finish(shared, penalty, x);
        }
        // One test per row: an unweighted view keeps the plain path with no extra copy.
        double[] scaled = observed.weighted() ? weightedRows() : null;
        // Usually cache hits: the previous row, if this worker solved it, touched this
        // row's first chunk before its own arithmetic.
        boolean prefetch = Prefetch.worthIt(f);
        if (prefetch) {
            sink += Prefetch.touch(observed, f, k, start, Math.min(end, start + CHUNK));
        }
        for (int from = start; from < end; from += CHUNK) {
            int n = Math.min(end - from, CHUNK);
            for (int i = 0; i < n; i++) {
                System.arraycopy(f, observed.index(from + i) * k, gathered, i * kp, k);
                ratings[i] = observed.value(from + i);
            }
            if (scaled != null) {
                scale(observed, from, n, scaled);
            }
            // The next chunk's (or next row's) misses get under way before this chunk's arithmetic.
            if (prefetch) {
                sink += Prefetch.touchNext(observed, r, from, CHUNK, f, k);
            }
            accumulate(scaled != null ? scaled : gathered, n);
        }
        return finish(shared, penalty, x);
    }

    /** Adds the shared term and the penalty to the accumulated matrix, then factors and solves. */
    private boolean finish(Gram shared, double penalty, double[] x) {
        complete(shared, penalty);
        return k <= SMALL_RANK ? smallCholesky(x) : factor() && substitute(x);
    }

    /**
     * Adds the shared term (when not null) and {@code penalty} to the accumulated matrix, and
     * keeps its diagonal in {@link #diagonal} for the pivot test.
     */
    private void complete(Gram shared, double penalty) {
        if (shared != null) {
            addShared(shared);
        }
        for (int p = 0; p < k; p++) {
            a[p * kp + p] += penalty;
            diagonal[p] = a[p * kp + p];
        }
    }

    /**
     * Eight rows at a time where the fused kernels serve (see {@link #solveRows}), else one.
     */
    @Override
    public int batchRows() {
        // A padded copy exists only where the fused kernels apply (PaddedFactors.applies).
        return padded != null ? LOCKSTEP : 1;
    }

    /**
     * At ranks up to {@link #SMALL_RANK}, a lone row's Cholesky factor and solves are bound by
     * the latency of their chains of dependent operations (square root, division, the running
     * sums), not by arithmetic. So the rows of a batch are accumulated one by one as in
     * {@link #solve}, then their systems are laid side by side, one per lane
     * ({@link #lockstep}), and factored and solved together by the very same sequence of
     * operations as {@link #smallCholesky}, lane by lane: IEEE arithmetic rounds each lane as
     * it would round the scalar, so every row's solution is bit for bit the one it gets alone.
     */
    @Override
    public int solveRows(SparseView observed, int[] rows, int count, FactorMatrix fixed, Gram shared,
                         double[] penalties, double[] xs) {
        if (count < 2 || padded == null || observed.weighted() || !padded.holds(fixed)) {
            return oneByOne(observed, rows, count, fixed, shared, penalties, xs);
        }
        if (count > LOCKSTEP) {
            throw new IllegalArgumentException("at most " + LOCKSTEP + " rows at once, not " + count);
        }
        Lockstep l = lockstep();
        double[] m = a;
        for (int lane = 0; lane < LOCKSTEP; lane++) {
            if (lane < count) {
                int r = rows[lane];
                Arrays.fill(m, 0);
                fused(observed, observed.start(r), observed.end(r), padded.data());
                complete(shared, penalties[lane]);
                for (int p = 0; p < k; p++) {
                    for (int q = p; q < k; q++) {
                        l.u[(p * k + q) * LOCKSTEP + lane] = m[p * kp + q];
                    }
                    l.diagonal[p * LOCKSTEP + lane] = diagonal[p];
                    l.y[p * LOCKSTEP + lane] = b[p];
                }
            } else {
                // Idle lanes hold the identity, which factors without trouble.
                for (int p = 0; p < k; p++) {
                    for (int q = p; q < k; q++) {
                        l.u[(p * k + q) * LOCKSTEP + lane] = p == q ? 1 : 0;
                    }
                    l.diagonal[p * LOCKSTEP + lane] = 1;
                    l.y[p * LOCKSTEP + lane] = 0;
                }
            }
        }
        if (!l.solve(k)) {
            // Some lane failed its pivot test, at the earliest column; the row to report is the
            // first in order that fails, which one row at a time finds (a rare path).
            return oneByOne(observed, rows, count, fixed, shared, penalties, xs);
        }
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < k; p++) {
                xs[i * k + p] = l.x[p * LOCKSTEP + i];
            }
        }
        return -1;
    }

    /** {@link #solveRows} one row at a time, through {@link #solve}. */
    private int oneByOne(SparseView observed, int[] rows, int count, FactorMatrix fixed, Gram shared,
                         double[] penalties, double[] xs) {
        for (int i = 0; i < count; i++) {
            if (!solve(observed, rows[i], fixed, shared, penalties[i], single)) {
                return i;
            }
            System.arraycopy(single, 0, xs, i * k, k);
        }
        return -1;
    }

    /** Systems factored side by side in {@link #solveRows}: one per lane of an eight-double vector. */
    static final int LOCKSTEP = 8;

    private Lockstep lockstep;

    private Lockstep lockstep() {
        if (lockstep == null) {
            lockstep = new Lockstep(k);
        }
        return lockstep;
    }

    /**
     * {@link #LOCKSTEP} upper triangles interleaved entry by entry ({@code u[(p k + q) 8 + lane]}),
     * with their diagonals, right-hand sides and solutions, factored and solved by
     * {@link #smallCholesky}'s sequence of operations on whole vectors.
     */
    private static final class Lockstep {
        private static final VectorSpecies<Double> LANES = DoubleVector.SPECIES_512;
        final double[] u;
        final double[] diagonal;
        final double[] y;
        final double[] x;
        private final double[] inverse;

        Lockstep(int k) {
            u = new double[k * k * LOCKSTEP];
            diagonal = new double[k * LOCKSTEP];
            y = new double[k * LOCKSTEP];
            x = new double[k * LOCKSTEP];
            inverse = new double[k * LOCKSTEP];
        }

        /** @return false when some lane's pivot fails {@link LeastSquaresStep#pivotHolds} */
        boolean solve(int k) {
            final int w = LOCKSTEP;
            for (int j = 0; j < k; j++) {
                DoubleVector d = DoubleVector.fromArray(LANES, u, (j * k + j) * w);
                for (int i = 0; i < j; i++) {
                    DoubleVector v = DoubleVector.fromArray(LANES, u, (i * k + j) * w);
                    d = v.neg().fma(v, d);
                }
                DoubleVector floor = DoubleVector.fromArray(LANES, diagonal, j * w)
                        .mul(LeastSquaresStep.RELATIVE_PIVOT_FLOOR);
                VectorMask<Double> holds = d.compare(VectorOperators.GT, floor);
                if (!holds.allTrue()) {
                    return false;
                }
                DoubleVector pivot = d.sqrt();
                DoubleVector inv = DoubleVector.broadcast(LANES, 1.0).div(pivot);
                pivot.intoArray(u, (j * k + j) * w);
                inv.intoArray(inverse, j * w);
                for (int q = j + 1; q < k; q++) {
                    DoubleVector t = DoubleVector.fromArray(LANES, u, (j * k + q) * w);
                    for (int i = 0; i < j; i++) {
                        t = DoubleVector.fromArray(LANES, u, (i * k + j) * w).neg()
                                .fma(DoubleVector.fromArray(LANES, u, (i * k + q) * w), t);
                    }
                    t.mul(inv).intoArray(u, (j * k + q) * w);
                }
            }
            for (int i = 0; i < k; i++) {
                DoubleVector t = DoubleVector.fromArray(LANES, y, i * w);
                for (int p = 0; p < i; p++) {
                    t = DoubleVector.fromArray(LANES, u, (p * k + i) * w).neg()
                            .fma(DoubleVector.fromArray(LANES, y, p * w), t);
                }
                t.mul(DoubleVector.fromArray(LANES, inverse, i * w)).intoArray(y, i * w);
            }
            for (int i = k - 1; i >= 0; i--) {
                DoubleVector t = DoubleVector.fromArray(LANES, y, i * w);
                for (int q = i + 1; q < k; q++) {
                    t = DoubleVector.fromArray(LANES, u, (i * k + q) * w).neg()
                            .fma(DoubleVector.fromArray(LANES, x, q * w), t);
                }
                t.mul(DoubleVector.fromArray(LANES, inverse, i * w)).intoArray(x, i * w);
            }
            return true;
        }
    }

    private double[] weightedRows() {
        if (weightedRows == null) {
            weightedRows = new double[CHUNK * kp];
        }
        return weightedRows;
    }

    /**
     * Writes {@code w_e f_e} for the {@code n} gathered rows of entries {@code from..} into
     * {@code scaled} (padding stays zero, as in {@link #gathered}).
     */
    private void scale(SparseView observed, int from, int n, double[] scaled) {
        for (int i = 0; i < n; i++) {
            DoubleVector w = DoubleVector.broadcast(SPECIES, observed.weight(from + i));
            for (int q = i * kp, last = q + kp; q < last; q += VL) {
                DoubleVector.fromArray(SPECIES, gathered, q).mul(w).intoArray(scaled, q);
            }
        }
    }

    /**
     * {@code A[p][q] += G[p][q]} over the upper triangle, row by row in index order. The
     * padded copy of {@code G} is zero below the diagonal and past the rank, so whole vectors
     * from the boundary at or before the diagonal can be added: the entries they also touch
     * are either never read or stay zero.
     */
    private void addShared(Gram shared) {
        if (shared != sharedSeen) {
            if (shared.rank() != k) {
                throw new IllegalArgumentException("shared Gram must have rank " + k + " but had " + shared.rank());
            }
            double[] g = sharedPadded != null ? sharedPadded : new double[kp * kp];
            Arrays.fill(g, 0);
            for (int p = 0; p < k; p++) {
                for (int q = p; q < k; q++) {
                    g[p * kp + q] = shared.get(p, q);
                }
            }
            sharedPadded = g;
            sharedSeen = shared;
        }
        double[] g = sharedPadded;
        for (int p = 0; p < k; p++) {
            int row = p * kp;
            for (int q = p / VL * VL; q < kp; q += VL) {
                DoubleVector.fromArray(SPECIES, a, row + q)
                        .add(DoubleVector.fromArray(SPECIES, g, row + q))
                        .intoArray(a, row + q);
            }
        }
    }

    /**
     * Adds the outer products of the first {@code n} gathered rows, with {@code bs} as the
     * broadcast side ({@link #gathered} itself, or the weighted copy), and the values' share
     * of the right-hand side.
     */
    private void accumulate(double[] bs, int n) {
        upperUpdate(bs, gathered, 0, n, 0);
        for (int q = 0; q < kp; q += VL) {
            DoubleVector acc = DoubleVector.fromArray(SPECIES, b, q);
            for (int j = 0; j < n; j++) {
                acc = DoubleVector.fromArray(SPECIES, gathered, j * kp + q)
                        .fma(DoubleVector.broadcast(SPECIES, ratings[j]), acc);
            }
            acc.intoArray(b, q);
        }
    }

    /**
     * {@code A[p][q] += sum_j bs[j][p] src[j][q]} for {@code first <= p <= q}: the upper
     * triangle from row {@code first} on (a multiple of {@link #TILE_ROWS}), over {@code n}
     * rows of stride {@code kp}; those of {@code bs} (broadcast one entry at a time) start at
     * 0, those of {@code src} (loaded a vector at a time) at {@code srcOffset}. For the Gram
     * both are the gathered rows; for the Cholesky, {@code bs} holds the negated block rows
     * of the factor and {@code src} the rows themselves.
     */
    private void upperUpdate(double[] bs, double[] src, int srcOffset, int n, int first) {
        for (int p0 = first; p0 < k; p0 += TILE_ROWS) {
            int q = p0 / VL * VL;
            if (TILE_ROWS == 8) {
                for (; q + 2 * VL <= kp; q += 2 * VL) {
                    tile8x2(bs, src, srcOffset, n, p0, q);
                }
                if (q < kp) {
                    tile4x1(bs, src, srcOffset, n, p0, q);
                    tile4x1(bs, src, srcOffset, n, p0 + 4, q);
                }
            } else {
                for (; q + 2 * VL <= kp; q += 2 * VL) {
                    tile4x2(bs, src, srcOffset, n, p0, q);
                }
                if (q < kp) {
                    tile4x1(bs, src, srcOffset, n, p0, q);
                }
            }
        }
    }

    /** A 4-row by 2-vector tile of {@link #upperUpdate}, kept in registers over all {@code n} rows. */
    private void tile4x2(double[] bs, double[] src, int off, int n, int p0, int q) {
        double[] m = a;
        int r0 = p0 * kp + q;
        int r1 = r0 + kp;
        int r2 = r1 + kp;
        int r3 = r2 + kp;
        DoubleVector c00 = DoubleVector.fromArray(SPECIES, m, r0);
        DoubleVector c01 = DoubleVector.fromArray(SPECIES, m, r0 + VL);
        DoubleVector c10 = DoubleVector.fromArray(SPECIES, m, r1);
        DoubleVector c11 = DoubleVector.fromArray(SPECIES, m, r1 + VL);
        DoubleVector c20 = DoubleVector.fromArray(SPECIES, m, r2);
        DoubleVector c21 = DoubleVector.fromArray(SPECIES, m, r2 + VL);
        DoubleVector c30 = DoubleVector.fromArray(SPECIES, m, r3);
        DoubleVector c31 = DoubleVector.fromArray(SPECIES, m, r3 + VL);
        for (int j = 0, row = off; j < n; j++, row += kp) {
            DoubleVector v0 = DoubleVector.fromArray(SPECIES, src, row + q);
            DoubleVector v1 = DoubleVector.fromArray(SPECIES, src, row + q + VL);
            DoubleVector s0 = DoubleVector.broadcast(SPECIES, bs[row - off + p0]);
            DoubleVector s1 = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 1]);
            DoubleVector s2 = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 2]);
            DoubleVector s3 = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 3]);
            c00 = v0.fma(s0, c00);
            c01 = v1.fma(s0, c01);
            c10 = v0.fma(s1, c10);
            c11 = v1.fma(s1, c11);
            c20 = v0.fma(s2, c20);
            c21 = v1.fma(s2, c21);
            c30 = v0.fma(s3, c30);
            c31 = v1.fma(s3, c31);
        }
        c00.intoArray(m, r0);
        c01.intoArray(m, r0 + VL);
        c10.intoArray(m, r1);
        c11.intoArray(m, r1 + VL);
        c20.intoArray(m, r2);
        c21.intoArray(m, r2 + VL);
        c30.intoArray(m, r3);
        c31.intoArray(m, r3 + VL);
    }

    /** An 8-row by 2-vector tile of {@link #upperUpdate} (16 accumulators, for AVX-512). */
    private void tile8x2(double[] bs, double[] src, int off, int n, int p0, int q) {
        double[] m = a;
        int r0 = p0 * kp + q;
        DoubleVector c00 = DoubleVector.fromArray(SPECIES, m, r0);
        DoubleVector c01 = DoubleVector.fromArray(SPECIES, m, r0 + VL);
        DoubleVector c10 = DoubleVector.fromArray(SPECIES, m, r0 + kp);
        DoubleVector c11 = DoubleVector.fromArray(SPECIES, m, r0 + kp + VL);
        DoubleVector c20 = DoubleVector.fromArray(SPECIES, m, r0 + 2 * kp);
        DoubleVector c21 = DoubleVector.fromArray(SPECIES, m, r0 + 2 * kp + VL);
        DoubleVector c30 = DoubleVector.fromArray(SPECIES, m, r0 + 3 * kp);
        DoubleVector c31 = DoubleVector.fromArray(SPECIES, m, r0 + 3 * kp + VL);
        DoubleVector c40 = DoubleVector.fromArray(SPECIES, m, r0 + 4 * kp);
        DoubleVector c41 = DoubleVector.fromArray(SPECIES, m, r0 + 4 * kp + VL);
        DoubleVector c50 = DoubleVector.fromArray(SPECIES, m, r0 + 5 * kp);
        DoubleVector c51 = DoubleVector.fromArray(SPECIES, m, r0 + 5 * kp + VL);
        DoubleVector c60 = DoubleVector.fromArray(SPECIES, m, r0 + 6 * kp);
        DoubleVector c61 = DoubleVector.fromArray(SPECIES, m, r0 + 6 * kp + VL);
        DoubleVector c70 = DoubleVector.fromArray(SPECIES, m, r0 + 7 * kp);
        DoubleVector c71 = DoubleVector.fromArray(SPECIES, m, r0 + 7 * kp + VL);
        for (int j = 0, row = off; j < n; j++, row += kp) {
            DoubleVector v0 = DoubleVector.fromArray(SPECIES, src, row + q);
            DoubleVector v1 = DoubleVector.fromArray(SPECIES, src, row + q + VL);
            DoubleVector s;
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0]);
            c00 = v0.fma(s, c00); c01 = v1.fma(s, c01);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 1]);
            c10 = v0.fma(s, c10); c11 = v1.fma(s, c11);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 2]);
            c20 = v0.fma(s, c20); c21 = v1.fma(s, c21);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 3]);
            c30 = v0.fma(s, c30); c31 = v1.fma(s, c31);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 4]);
            c40 = v0.fma(s, c40); c41 = v1.fma(s, c41);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 5]);
            c50 = v0.fma(s, c50); c51 = v1.fma(s, c51);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 6]);
            c60 = v0.fma(s, c60); c61 = v1.fma(s, c61);
            s = DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 7]);
            c70 = v0.fma(s, c70); c71 = v1.fma(s, c71);
        }
        c00.intoArray(m, r0); c01.intoArray(m, r0 + VL);
        c10.intoArray(m, r0 + kp); c11.intoArray(m, r0 + kp + VL);
        c20.intoArray(m, r0 + 2 * kp); c21.intoArray(m, r0 + 2 * kp + VL);
        c30.intoArray(m, r0 + 3 * kp); c31.intoArray(m, r0 + 3 * kp + VL);
        c40.intoArray(m, r0 + 4 * kp); c41.intoArray(m, r0 + 4 * kp + VL);
        c50.intoArray(m, r0 + 5 * kp); c51.intoArray(m, r0 + 5 * kp + VL);
        c60.intoArray(m, r0 + 6 * kp); c61.intoArray(m, r0 + 6 * kp + VL);
        c70.intoArray(m, r0 + 7 * kp); c71.intoArray(m, r0 + 7 * kp + VL);
    }

    /** A 4-row by 1-vector tile, for the last column block when the stride is an odd number of vectors. */
    private void tile4x1(double[] bs, double[] src, int off, int n, int p0, int q) {
        double[] m = a;
        int r0 = p0 * kp + q;
        int r1 = r0 + kp;
        int r2 = r1 + kp;
        int r3 = r2 + kp;
        DoubleVector c0 = DoubleVector.fromArray(SPECIES, m, r0);
        DoubleVector c1 = DoubleVector.fromArray(SPECIES, m, r1);
        DoubleVector c2 = DoubleVector.fromArray(SPECIES, m, r2);
        DoubleVector c3 = DoubleVector.fromArray(SPECIES, m, r3);
        for (int j = 0, row = off; j < n; j++, row += kp) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, src, row + q);
            c0 = v.fma(DoubleVector.broadcast(SPECIES, bs[row - off + p0]), c0);
            c1 = v.fma(DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 1]), c1);
            c2 = v.fma(DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 2]), c2);
            c3 = v.fma(DoubleVector.broadcast(SPECIES, bs[row - off + p0 + 3]), c3);
        }
        c0.intoArray(m, r0);
        c1.intoArray(m, r1);
        c2.intoArray(m, r2);
        c3.intoArray(m, r3);
    }

    /**
     * The whole accumulation of an unweighted row at a rank of at most two vectors, in one
     * pass over its entries: each entry's factor row comes as whole vectors from the padded
     * copy {@code fp} and feeds every accumulator of the upper triangle and of the
     * right-hand side, all held in registers for the whole row. The sums are those of the
     * chunked tiles, term by term in the same order (each a fused multiply-add onto the
     * previous entry's, from zero), so the result is bit-identical; only the gather copy and
     * the tiles' loads and stores of the matrix are gone.
     */
    private void fused(SparseView o, int start, int end, double[] fp) {
        if (kp == VL) {
            fusedOne(o, start, end, fp);
        } else {
            fusedTwo(o, start, end, fp);
        }
    }

    /** {@link #fused} at a stride of one vector: eight row accumulators and the right-hand side. */
    private void fusedOne(SparseView o, int start, int end, double[] fp) {
        DoubleVector c0 = DoubleVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0,
                c7 = c0, rhs = c0;
        for (int e = start; e < end; e++) {
            int row = o.index(e) * VL;
            DoubleVector v = DoubleVector.fromArray(SPECIES, fp, row);
            c0 = v.fma(DoubleVector.broadcast(SPECIES, fp[row]), c0);
            c1 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 1]), c1);
            c2 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 2]), c2);
            c3 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 3]), c3);
            c4 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 4]), c4);
            c5 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 5]), c5);
            c6 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 6]), c6);
            c7 = v.fma(DoubleVector.broadcast(SPECIES, fp[row + 7]), c7);
            rhs = v.fma(DoubleVector.broadcast(SPECIES, o.value(e)), rhs);
        }
        double[] m = a;
        c0.intoArray(m, 0);
        c1.intoArray(m, VL);
        c2.intoArray(m, 2 * VL);
        c3.intoArray(m, 3 * VL);
        c4.intoArray(m, 4 * VL);
        c5.intoArray(m, 5 * VL);
        c6.intoArray(m, 6 * VL);
        c7.intoArray(m, 7 * VL);
        rhs.intoArray(b, 0);
    }

    /**
     * {@link #fused} at a stride of two vectors (ranks 9 to 16). The triangle is cut in three
     * parts so that few lanes are wasted: the block of rows and columns 0-7 (one accumulator
     * per row, over the first vector), the columns {@code q >= 8} of rows 0-7 (one accumulator
     * per column: the first vector times {@code f[q]}, stored down the column at the end),
     * and the rows {@code p >= 8} over the second vector. At rank 10 that is 12 multiply-adds
     * per entry, plus 2 for the right-hand side, where the square tiles take 24 (an 8 x 2 tile and
     * two 4 x 1 tiles) and 2 more. Each entry
     * of the matrix is still {@code f[p] f[q]} added onto the previous entry's sum by one
     * fused multiply-add, so the result is bit-identical to the tiles'.
     */
    private void fusedTwo(SparseView o, int start, int end, double[] fp) {
        DoubleVector z = DoubleVector.zero(SPECIES);
        DoubleVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z,
                e8 = z, e9 = z, e10 = z, e11 = z, e12 = z, e13 = z, e14 = z, e15 = z,
                d8 = z, d9 = z, d10 = z, d11 = z, d12 = z, d13 = z, d14 = z, d15 = z, r0 = z, r1 = z;
        int rank = k;
        for (int e = start; e < end; e++) {
            int row = o.index(e) * (2 * VL);
            DoubleVector v0 = DoubleVector.fromArray(SPECIES, fp, row);
            DoubleVector v1 = DoubleVector.fromArray(SPECIES, fp, row + VL);
            c0 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row]), c0);
            c1 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 1]), c1);
            c2 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 2]), c2);
            c3 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 3]), c3);
            c4 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 4]), c4);
            c5 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 5]), c5);
            c6 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 6]), c6);
            c7 = v0.fma(DoubleVector.broadcast(SPECIES, fp[row + 7]), c7);
            DoubleVector s = DoubleVector.broadcast(SPECIES, fp[row + 8]);
            e8 = v0.fma(s, e8);
            d8 = v1.fma(s, d8);
            if (rank > 9) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 9]);
                e9 = v0.fma(s, e9);
                d9 = v1.fma(s, d9);
            }
            if (rank > 10) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 10]);
                e10 = v0.fma(s, e10);
                d10 = v1.fma(s, d10);
            }
            if (rank > 11) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 11]);
                e11 = v0.fma(s, e11);
                d11 = v1.fma(s, d11);
            }
            if (rank > 12) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 12]);
                e12 = v0.fma(s, e12);
                d12 = v1.fma(s, d12);
            }
            if (rank > 13) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 13]);
                e13 = v0.fma(s, e13);
                d13 = v1.fma(s, d13);
            }
            if (rank > 14) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 14]);
                e14 = v0.fma(s, e14);
                d14 = v1.fma(s, d14);
            }
            if (rank > 15) {
                s = DoubleVector.broadcast(SPECIES, fp[row + 15]);
                e15 = v0.fma(s, e15);
                d15 = v1.fma(s, d15);
            }
            s = DoubleVector.broadcast(SPECIES, o.value(e));
            r0 = v0.fma(s, r0);
            r1 = v1.fma(s, r1);
        }
        double[] m = a;
        int w = 2 * VL;
        c0.intoArray(m, 0);
        c1.intoArray(m, w);
        c2.intoArray(m, 2 * w);
        c3.intoArray(m, 3 * w);
        c4.intoArray(m, 4 * w);
        c5.intoArray(m, 5 * w);
        c6.intoArray(m, 6 * w);
        c7.intoArray(m, 7 * w);
        column(e8, 8);
        column(e9, 9);
        column(e10, 10);
        column(e11, 11);
        column(e12, 12);
        column(e13, 13);
        column(e14, 14);
        column(e15, 15);
        d8.intoArray(m, 8 * w + VL);
        d9.intoArray(m, 9 * w + VL);
        d10.intoArray(m, 10 * w + VL);
        d11.intoArray(m, 11 * w + VL);
        d12.intoArray(m, 12 * w + VL);
        d13.intoArray(m, 13 * w + VL);
        d14.intoArray(m, 14 * w + VL);
        d15.intoArray(m, 15 * w + VL);
        r0.intoArray(b, 0);
        r1.intoArray(b, VL);
    }

    /** Writes {@code sums} (rows 0-7 of column {@code q}) down that column of the matrix. */
    private void column(DoubleVector sums, int q) {
        sums.intoArray(lanes, 0);
        for (int p = 0; p < VL; p++) {
            a[p * kp + q] = lanes[p];
        }
    }

    /**
     * {@link #factor} and {@link #substitute} for ranks up to {@link #SMALL_RANK}, scalar:
     * each entry of {@code U} is its matrix entry minus one dot product over the rows above,
     * whose terms for different columns are independent, so they overlap in the pipeline; the
     * solves run the same way. Same pivot test as {@link #factor}.
     */
    private boolean smallCholesky(double[] x) {
        double[] m = a;
        double[] y = b;
        double[] inverse = pivotInverses;
        int s = kp;
        for (int j = 0; j < k; j++) {
            int rj = j * s;
            double d = m[rj + j];
            for (int i = 0; i < j; i++) {
                double u = m[i * s + j];
                d = Math.fma(-u, u, d);
            }
            if (!LeastSquaresStep.pivotHolds(d, diagonal[j])) {
                return false;
            }
            double pivot = Math.sqrt(d);
            double inv = 1 / pivot;
            m[rj + j] = pivot;
            inverse[j] = inv;
            for (int q = j + 1; q < k; q++) {
                double t = m[rj + q];
                for (int i = 0; i < j; i++) {
                    t = Math.fma(-m[i * s + j], m[i * s + q], t);
                }
                m[rj + q] = t * inv;
            }
        }
        // U^T y = b, then U x = y.
        for (int i = 0; i < k; i++) {
            double t = y[i];
            for (int p = 0; p < i; p++) {
                t = Math.fma(-m[p * s + i], y[p], t);
            }
            y[i] = t * inverse[i];
        }
        for (int i = k - 1; i >= 0; i--) {
            int ri = i * s;
            double t = y[i];
            for (int q = i + 1; q < k; q++) {
                t = Math.fma(-m[ri + q], x[q], t);
            }
            x[i] = t * inverse[i];
        }
        return true;
    }

    /**
     * Factors {@code A = U^T U} in place (row {@code j} of {@code U} over row {@code j} of
     * {@code A}), right-looking in blocks of {@link #CHOLESKY_BLOCK} rows: each block's rows
     * are finished one at a time, then the block updates the trailing triangle through the
     * tile kernel.
     */
    private boolean factor() {
        double[] m = a;
        for (int j0 = 0; j0 < k; j0 += CHOLESKY_BLOCK) {
            int j1 = Math.min(k, j0 + CHOLESKY_BLOCK);
            for (int j = j0; j < j1; j++) {
                int rj = j * kp;
                // Vectors from the boundary at or before j: the entries left of j belong
                // to the lower triangle, which nothing reads.
                int q0 = j / VL * VL;
                for (int i = j0; i < j; i++) {
                    int ri = i * kp;
                    DoubleVector s = DoubleVector.broadcast(SPECIES, -m[ri + j]);
                    for (int q = q0; q < kp; q += VL) {
                        DoubleVector.fromArray(SPECIES, m, ri + q)
                                .fma(s, DoubleVector.fromArray(SPECIES, m, rj + q))
                                .intoArray(m, rj + q);
                    }
                }
                double d = m[rj + j];
                if (!LeastSquaresStep.pivotHolds(d, diagonal[j])) {
                    return false;
                }
                double pivot = Math.sqrt(d);
                DoubleVector inverse = DoubleVector.broadcast(SPECIES, 1 / pivot);
                for (int q = q0; q < kp; q += VL) {
                    DoubleVector.fromArray(SPECIES, m, rj + q).mul(inverse).intoArray(m, rj + q);
                }
                m[rj + j] = pivot;
            }
            if (j1 < k) {
                // The block's rows, negated, supply the broadcast factors of the tile kernel.
                int len = (j1 - j0) * kp;
                for (int e = 0; e < len; e += VL) {
                    DoubleVector.fromArray(SPECIES, m, j0 * kp + e).neg().intoArray(gathered, e);
                }
                upperUpdate(gathered, m, j0 * kp, j1 - j0, j1);
            }
        }
        return true;
    }

    /** Solves {@code U^T y = b}, then {@code U x = y}, into {@code x}. */
    private boolean substitute(double[] x) {
        double[] m = a;
        double[] y = b;
        // Forward: y_i = b_i / u_ii, then b_q -= y_i u_iq for q > i (scalar up to the next
        // vector boundary, since entries before it hold finished values).
        for (int i = 0; i < k; i++) {
            int ri = i * kp;
            double yi = y[i] / m[ri + i];
            y[i] = yi;
            int q = i + 1;
            int aligned = Math.min(kp, (q + VL - 1) / VL * VL);
            for (; q < aligned; q++) {
                y[q] -= yi * m[ri + q];
            }
            DoubleVector s = DoubleVector.broadcast(SPECIES, -yi);
            for (; q < kp; q += VL) {
                DoubleVector.fromArray(SPECIES, m, ri + q)
                        .fma(s, DoubleVector.fromArray(SPECIES, y, q))
                        .intoArray(y, q);
            }
        }
        // Backward, in place in y: x_i = (y_i - sum_{q > i} u_iq x_q) / u_ii. The padded
        // entries of y past the rank are zero and stay zero, as do those of U.
        for (int i = k - 1; i >= 0; i--) {
            int ri = i * kp;
            int q = i + 1;
            int aligned = Math.min(kp, (q + VL - 1) / VL * VL);
            double s = 0;
            for (; q < aligned; q++) {
                s += m[ri + q] * y[q];
            }
            if (q < kp) {
                DoubleVector acc = DoubleVector.fromArray(SPECIES, m, ri + q).mul(DoubleVector.fromArray(SPECIES, y, q));
                for (q += VL; q < kp; q += VL) {
                    acc = DoubleVector.fromArray(SPECIES, m, ri + q).fma(DoubleVector.fromArray(SPECIES, y, q), acc);
                }
                // Lane by lane, in order: reduceLanes(ADD) leaves its order of additions
                // unspecified, so compiled and interpreted code could round differently.
                acc.intoArray(lanes, 0);
                for (int l = 0; l < VL; l++) {
                    s += lanes[l];
                }
            }
            y[i] = (y[i] - s) / m[ri + i];
        }
        System.arraycopy(y, 0, x, 0, k);
        return true;
    }
}
