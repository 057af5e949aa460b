/*
 * The native backend's kernels: regularised least squares for a batch of rows, by Cholesky
 * or by a few steps of conjugate gradient, called through JNI by io.als.natives.NativeKernels.
 *
 * For a row r of the sparse view (entries e in [ptr[r], ptr[r+1]): column idx[e], value
 * val[e], weight wgt[e] or 1 when wgt is NULL), with F the fixed factor matrix, G an optional
 * shared k x k term and penalty lambda, the system is
 *
 *     (G + sum_e w_e f_e f_e^T + lambda I) x = sum_e v_e f_e.
 *
 * Layout. kp is k rounded up to a multiple of 8, so that a row is whole SIMD vectors of eight
 * doubles. The caller usually hands F already padded to rows of kp with zeros (stride kp,
 * made once per half-step); the kernels then read each entry's factor row in place. When F
 * has stride k (a few rows against a large catalogue, where padding all of F would cost more
 * than the rows), a row's factor rows are first copied, padded, into the workspace. The
 * matrix is accumulated in rows of stride kp; only its upper triangle is read.
 *
 * Each entry point is compiled three times (AVX-512, AVX2 with FMA, and baseline x86-64);
 * the loader picks the one the processor supports when the library is loaded (GCC's
 * target_clones). Ranks 8, 10, 16, 20, 32 and 64 have copies of their own with loops of known
 * length; others run the same code with the rank as a variable.
 *
 * Determinism: every sum runs in an order fixed by the row's entries and the rank alone
 * (entries in index order, each vector lane on its own, lanes added in a fixed tree), never
 * by thread or batch, so a row's result is the same wherever it is solved on one machine. The
 * rounding differs from the Java backends (fused multiply-adds), within the conformance
 * kit's tolerances.
 *
 * The library also sums an explicit fit's squared errors over the ratings (sse_rows), the
 * loss the driver reports after a half-step, with the same layout and the same determinism.
 *
 * Singularity is judged as in every built-in solver (LeastSquaresStep.pivotHolds): a pivot
 * whose square falls below 1e-13 times the matching diagonal entry (penalty included) fails.
 */
#include <jni.h>

#include "io_als_natives_NativeKernels.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PIVOT_FLOOR 1e-13
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#define INLINE static inline __attribute__((always_inline))

typedef double v8d __attribute__((vector_size(64)));

/*
 * Entries ahead whose factor rows are requested from memory while the current one is used:
 * the rows are read in the order of the row's column indices, which the hardware prefetcher
 * cannot guess.
 */
#ifndef PREFETCH
#define PREFETCH 6
#endif

/* The arrays of one call, pinned for its duration. */
typedef struct {
    const jint *ptr;
    const jint *idx;
    const jdouble *val;
    const jdouble *wgt;    /* NULL: weight 1 on every entry */
    const jdouble *fixed;  /* rows `stride` apart */
    const jdouble *shared; /* NULL: no shared term; else dense k x k */
    int stride;            /* k, or kp when the caller padded F */
    int k;
} view_t;

static int padded(int k) {
    return (k + 7) & ~7;
}

INLINE v8d load8(const double *p) {
    v8d x;
    memcpy(&x, p, sizeof x);
    return x;
}

INLINE void store8(double *p, v8d x) {
    memcpy(p, &x, sizeof x);
}

/* The sum of the eight lanes, in a fixed tree. */
INLINE double lanes(v8d x) {
    return ((x[0] + x[4]) + (x[2] + x[6])) + ((x[1] + x[5]) + (x[3] + x[7]));
}

/* Systems factored side by side at small ranks, one per lane of a vector of eight doubles. */
#define LANES 8
/* The largest padded rank solved LANES systems at a time. */
#define LOCKSTEP_MAX 16

/*
 * The workspace of one call, carved out of a Java array the caller keeps per worker (so
 * nothing is allocated per call; NativeKernels.workspace gives its size): from the first
 * 64-byte boundary, the matrix (kp x kp), right-hand side, diagonal and five vectors (kp
 * each); at padded ranks up to LOCKSTEP_MAX, LANES matrices, right-hand sides and diagonals,
 * and their interleaved copies with the solutions and pivots' inverses; then, for F of
 * stride k, the copied factor rows of the longest row (kp wide) and their positions 0, 1,
 * 2, ... Every part is written before it is read, padding included.
 */
typedef struct {
    double *a, *b, *diagonal, *x, *r, *p, *ap, *wy;
    double *la, *lb, *ld;           /* LANES systems, each as a, b and diagonal */
    double *u, *ud, *uy, *ux, *uinv; /* the same interleaved: entry (p, q) of lane l at ((p kp + q) LANES + l) */
    double *f;
    jint *iota;
} work_t;

/* The next n doubles of the workspace, from *at, which moves past them. */
static double *take(double **at, size_t n) {
    double *part = *at;
    *at += n;
    return part;
}

static void work_carve(work_t *w, double *space, int kp, int longest) {
    double *at = (double *) (((uintptr_t) space + 63) & ~(uintptr_t) 63);
    const size_t v = (size_t) kp;
    w->a = take(&at, v * v);
    w->b = take(&at, v);
    w->diagonal = take(&at, v);
    w->x = take(&at, v);
    w->r = take(&at, v);
    w->p = take(&at, v);
    w->ap = take(&at, v);
    w->wy = take(&at, v);
    if (kp <= LOCKSTEP_MAX) {
        w->la = take(&at, LANES * v * v);
        w->lb = take(&at, LANES * v);
        w->ld = take(&at, LANES * v);
        w->u = take(&at, LANES * v * v);
        w->ud = take(&at, LANES * v);
        w->uy = take(&at, LANES * v);
        w->ux = take(&at, LANES * v);
        w->uinv = take(&at, LANES * v);
    }
    w->f = at;
    w->iota = (jint *) (w->f + (size_t) longest * kp);
    for (int e = 0; e < longest; e++) {
        w->iota[e] = e;
    }
}

/*
 * Where row r's factor rows are read: in F itself when it is padded, else copied (padded)
 * into the workspace, with positions 0..n-1 in place of the column indices.
 */
typedef struct {
    const jint *idx;
    const double *rows; /* rows kp apart */
} source_t;

INLINE source_t source(const view_t *v, const work_t *w, const int k, const int kp, int start, int n) {
    source_t s;
    if (v->stride == kp) {
        s.idx = v->idx + start;
        s.rows = v->fixed;
        return s;
    }
    for (int e = 0; e < n; e++) {
        const double *restrict src = v->fixed + (size_t) v->idx[start + e] * k;
        double *restrict dst = w->f + (size_t) e * kp;
        int c = 0;
        for (; c < k; c++) {
            dst[c] = src[c];
        }
        for (; c < kp; c++) {
            dst[c] = 0;
        }
    }
    s.idx = w->iota;
    s.rows = w->f;
    return s;
}

/*
 * Ranks up to 16 (kp 8 or 16): the whole product in one pass over the entries, every sum in
 * a register. Rows 0-7 by columns 0-7, rows 8 on by all columns (the entries that rows 0-7
 * need right of column 7 are those of rows 8 on left of it, by symmetry, copied across
 * afterwards), and the right-hand side: at rank 10, 14 vector multiply-adds per entry where
 * the upper triangle in whole vectors would take 20. K is the rows computed: the rank where
 * it is a constant, else kp (rows past the rank multiply padding zeros and are never read).
 */
INLINE void small(const int K, const int kp, int n, source_t s, const double *restrict weights,
                  const double *restrict values, double *restrict wy, double *restrict a, double *restrict b,
                  const int weighted) {
    v8d lo[8], t0[8], t1[8];
    v8d b0 = {0}, b1 = {0};
#pragma GCC unroll 8
    for (int p = 0; p < 8; p++) {
        lo[p] = (v8d){0};
        t0[p] = (v8d){0};
        t1[p] = (v8d){0};
    }
    for (int e = 0; e < n; e++) {
        if (e + PREFETCH < n) {
            const double *ahead = s.rows + (size_t) s.idx[e + PREFETCH] * kp;
            __builtin_prefetch(ahead);
            if (kp == 16) {
                __builtin_prefetch(ahead + 8);
            }
        }
        const double *restrict y = s.rows + (size_t) s.idx[e] * kp;
        const v8d y0 = load8(y);
        const v8d y1 = kp == 16 ? load8(y + 8) : y0;
        const double *restrict side = y;
        if (weighted) {
            store8(wy, weights[e] * y0);
            if (kp == 16) {
                store8(wy + 8, weights[e] * y1);
            }
            side = wy;
        }
#pragma GCC unroll 8
        for (int p = 0; p < 8; p++) {
            if (p < K) {
                lo[p] += side[p] * y0;
            }
        }
        if (kp == 16) {
#pragma GCC unroll 8
            for (int p = 8; p < 16; p++) {
                if (p < K) {
                    t0[p - 8] += side[p] * y0;
                    t1[p - 8] += side[p] * y1;
                }
            }
        }
        b0 += values[e] * y0;
        if (kp == 16) {
            b1 += values[e] * y1;
        }
    }
#pragma GCC unroll 8
    for (int p = 0; p < 8; p++) {
        if (p < K) {
            store8(a + p * kp, lo[p]);
        }
    }
    store8(b, b0);
    if (kp == 16) {
#pragma GCC unroll 8
        for (int p = 8; p < 16; p++) {
            if (p < K) {
                store8(a + p * kp, t0[p - 8]);
                store8(a + p * kp + 8, t1[p - 8]);
            }
        }
        for (int p = 0; p < 8 && p < K; p++) {
            for (int q = 8; q < K; q++) {
                a[p * kp + q] = a[q * kp + p];
            }
        }
        store8(b + 8, b1);
    }
}

/*
 * Larger ranks: one tile of the product, rows p0..p0+3 by the two vectors of columns from
 * 8 j (with `pair`; else one), its sums in registers over all n entries. With `with_b`, the
 * same columns of the right-hand side ride along.
 */
INLINE void tile(const int kp, int n, source_t s, const double *restrict weights, const double *restrict values,
                 int p0, int j, double *restrict a, double *restrict b, const int pair, const int with_b,
                 const int weighted) {
    v8d c00 = {0}, c01 = {0}, c10 = {0}, c11 = {0}, c20 = {0}, c21 = {0}, c30 = {0}, c31 = {0}, cb0 = {0}, cb1 = {0};
    for (int e = 0; e < n; e++) {
        const double *restrict fe = s.rows + (size_t) s.idx[e] * kp;
        const v8d y0 = load8(fe + 8 * j);
        const v8d y1 = pair ? load8(fe + 8 * j + 8) : y0;
        const double w = weighted ? weights[e] : 1;
        const double s0 = w * fe[p0], s1 = w * fe[p0 + 1], s2 = w * fe[p0 + 2], s3 = w * fe[p0 + 3];
        c00 += s0 * y0;
        c10 += s1 * y0;
        c20 += s2 * y0;
        c30 += s3 * y0;
        if (pair) {
            c01 += s0 * y1;
            c11 += s1 * y1;
            c21 += s2 * y1;
            c31 += s3 * y1;
        }
        if (with_b) {
            cb0 += values[e] * y0;
            if (pair) {
                cb1 += values[e] * y1;
            }
        }
    }
    double *restrict out = a + (size_t) p0 * kp + 8 * j;
    store8(out, c00);
    store8(out + kp, c10);
    store8(out + 2 * kp, c20);
    store8(out + 3 * kp, c30);
    if (pair) {
        store8(out + 8, c01);
        store8(out + kp + 8, c11);
        store8(out + 2 * kp + 8, c21);
        store8(out + 3 * kp + 8, c31);
    }
    if (with_b) {
        store8(b + 8 * j, cb0);
        if (pair) {
            store8(b + 8 * j + 8, cb1);
        }
    }
}

/* Every tile at or right of the diagonal, in bands of four rows; the first band carries b. */
INLINE void tiles(const int k, const int kp, int n, source_t s, const double *restrict weights,
                  const double *restrict values, double *restrict a, double *restrict b, const int weighted) {
    const int vectors = kp / 8;
    for (int p0 = 0; p0 < k; p0 += 4) {
        const int first = p0 == 0;
        int j = p0 / 8;
        for (; j + 2 <= vectors; j += 2) {
            if (first) {
                tile(kp, n, s, weights, values, p0, j, a, b, 1, 1, weighted);
            } else {
                tile(kp, n, s, weights, values, p0, j, a, b, 1, 0, weighted);
            }
        }
        if (j < vectors) {
            if (first) {
                tile(kp, n, s, weights, values, p0, j, a, b, 0, 1, weighted);
            } else {
                tile(kp, n, s, weights, values, p0, j, a, b, 0, 0, weighted);
            }
        }
    }
}

/* a = sum_e w_e f_e f_e^T (upper part) and b = sum_e v_e f_e over the row's n entries. */
INLINE void accumulate(const int k, const int kp, int n, source_t s, const double *restrict weights,
                       const double *restrict values, double *restrict wy, double *restrict a, double *restrict b) {
    if (kp <= 16) {
        /* A rank the compiler cannot see computes the padded rows too: no test per row. */
        const int rowsComputed = __builtin_constant_p(k) ? k : kp;
        if (weights) {
            small(rowsComputed, kp, n, s, weights, values, wy, a, b, 1);
        } else {
            small(rowsComputed, kp, n, s, weights, values, wy, a, b, 0);
        }
    } else if (weights) {
        tiles(k, kp, n, s, weights, values, a, b, 1);
    } else {
        tiles(k, kp, n, s, weights, values, a, b, 0);
    }
}

/*
 * Factors the upper triangle of a (penalty and shared term added) as U^T U in place and
 * solves for x; returns 0 when a pivot fails.
 */
INLINE int cholesky_solve(const int k, const int kp, double *restrict a, const double *restrict diagonal,
                          double *restrict b, double *restrict x) {
    for (int j = 0; j < k; j++) {
        double *restrict rj = a + (size_t) j * kp;
        for (int i = 0; i < j; i++) {
            const double *restrict ri = a + (size_t) i * kp;
            const double t = ri[j];
            for (int q = j; q < k; q++) {
                rj[q] -= t * ri[q];
            }
        }
        const double d = rj[j];
        if (!(d > PIVOT_FLOOR * diagonal[j])) {
            return 0;
        }
        const double pivot = sqrt(d);
        const double inverse = 1 / pivot;
        rj[j] = pivot;
        for (int q = j + 1; q < k; q++) {
            rj[q] *= inverse;
        }
    }
    for (int i = 0; i < k; i++) {
        const double *restrict ri = a + (size_t) i * kp;
        const double yi = b[i] / ri[i];
        b[i] = yi;
        for (int q = i + 1; q < k; q++) {
            b[q] -= yi * ri[q];
        }
    }
    for (int i = k - 1; i >= 0; i--) {
        const double *restrict ri = a + (size_t) i * kp;
        double t = b[i];
        for (int q = i + 1; q < k; q++) {
            t -= ri[q] * x[q];
        }
        x[i] = t / ri[i];
    }
    return 1;
}

/* out = G x + lambda x (G none when NULL; symmetric, so G x = sum_c x_c G_c). */
INLINE void product(const view_t *v, const int k, const int kp, double penalty, const double *restrict x,
                    double *restrict out) {
    for (int c = 0; c < kp; c++) {
        out[c] = penalty * x[c];
    }
    if (v->shared) {
        for (int c = 0; c < k; c++) {
            const double *restrict g = v->shared + (size_t) c * k;
            const double t = x[c];
            for (int q = 0; q < k; q++) {
                out[q] += t * g[q];
            }
        }
    }
}

/* a . b over kp (a multiple of 8): one sum per lane, then the lanes. */
INLINE double dot(const int kp, const double *restrict a, const double *restrict b) {
    v8d t = {0};
    for (int c = 0; c < kp; c += 8) {
        t += load8(a + c) * load8(b + c);
    }
    return lanes(t);
}

/*
 * The row's entries' part of A x: out += sum_e w_e (f_e . x) f_e; with `residual`,
 * out += sum_e (v_e - w_e f_e . x) f_e instead (b minus that part).
 */
INLINE void sparse_product(const int kp, int n, source_t s, const double *restrict weights,
                           const double *restrict values, const double *restrict x, double *restrict out,
                           const int residual) {
    for (int e = 0; e < n; e++) {
        const double *restrict fe = s.rows + (size_t) s.idx[e] * kp;
        const double t = dot(kp, fe, x);
        const double w = weights ? weights[e] : 1;
        const double c = residual ? values[e] - w * t : w * t;
        for (int q = 0; q < kp; q += 8) {
            store8(out + q, load8(out + q) + c * load8(fe + q));
        }
    }
}

/* Solves one row by Cholesky into x; 0 when a pivot fails. */
INLINE int cholesky_row(const view_t *v, const int k, const int kp, const work_t *w, source_t s, int start, int n,
                        double penalty) {
    accumulate(k, kp, n, s, v->wgt ? v->wgt + start : NULL, v->val + start, w->wy, w->a, w->b);
    for (int p = 0; p < k; p++) {
        double *restrict row = w->a + (size_t) p * kp;
        if (v->shared) {
            const double *restrict g = v->shared + (size_t) p * k;
            for (int q = p; q < k; q++) {
                row[q] += g[q];
            }
        }
        row[p] += penalty;
        w->diagonal[p] = row[p];
    }
    return cholesky_solve(k, kp, w->a, w->diagonal, w->b, w->x);
}

/* steps of conjugate gradient on one row, from x (its padding zero) and back into it. */
INLINE void cg_row(const view_t *v, const int k, const int kp, const work_t *w, source_t s, int start, int n,
                   double penalty, int steps) {
    const double *weights = v->wgt ? v->wgt + start : NULL;
    const double *values = v->val + start;
    double *restrict x = w->x, *restrict r = w->r, *restrict p = w->p, *restrict ap = w->ap;
    /* r = b - A x */
    product(v, k, kp, penalty, x, r);
    for (int c = 0; c < kp; c++) {
        r[c] = -r[c];
    }
    sparse_product(kp, n, s, weights, values, x, r, 1);
    memcpy(p, r, sizeof(double) * kp);
    double rr = dot(kp, r, r);
    for (int step = 0; step < steps && rr > 0; step++) {
        product(v, k, kp, penalty, p, ap);
        sparse_product(kp, n, s, weights, values, p, ap, 0);
        const double curvature = dot(kp, p, ap);
        if (!(curvature > 0)) {
            break;
        }
        const double alpha = rr / curvature;
        for (int c = 0; c < kp; c++) {
            x[c] += alpha * p[c];
            r[c] -= alpha * ap[c];
        }
        const double next = dot(kp, r, r);
        const double beta = next / rr;
        for (int c = 0; c < kp; c++) {
            p[c] = r[c] + beta * p[c];
        }
        rr = next;
    }
}

/*
 * Factors LANES systems side by side (u, ud, uy as laid out in work_t) by the sequence of
 * operations of cholesky_solve, each lane on its own, and solves them into ux; returns a
 * mask of the lanes whose pivot failed (their solutions are then meaningless).
 */
INLINE int lockstep_solve(const int k, const int kp, const work_t *w) {
    double *restrict u = w->u;
    double *restrict inv = w->uinv;
    int failed = 0;
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < j; i++) {
            const v8d t = load8(u + ((size_t) i * kp + j) * LANES);
            for (int q = j; q < k; q++) {
                double *uj = u + ((size_t) j * kp + q) * LANES;
                store8(uj, load8(uj) - t * load8(u + ((size_t) i * kp + q) * LANES));
            }
        }
        const v8d d = load8(u + ((size_t) j * kp + j) * LANES);
        const v8d floor = PIVOT_FLOOR * load8(w->ud + (size_t) j * LANES);
        v8d pivot;
        for (int l = 0; l < LANES; l++) {
            if (d[l] > floor[l]) {
                pivot[l] = sqrt(d[l]);
            } else {
                failed |= 1 << l;
                pivot[l] = 1;
            }
        }
        const v8d inverse = 1 / pivot;
        store8(u + ((size_t) j * kp + j) * LANES, pivot);
        store8(inv + (size_t) j * LANES, inverse);
        for (int q = j + 1; q < k; q++) {
            double *uj = u + ((size_t) j * kp + q) * LANES;
            store8(uj, load8(uj) * inverse);
        }
    }
    double *restrict y = w->uy;
    for (int i = 0; i < k; i++) {
        const v8d yi = load8(y + (size_t) i * LANES) * load8(inv + (size_t) i * LANES);
        store8(y + (size_t) i * LANES, yi);
        for (int q = i + 1; q < k; q++) {
            store8(y + (size_t) q * LANES,
                   load8(y + (size_t) q * LANES) - yi * load8(u + ((size_t) i * kp + q) * LANES));
        }
    }
    double *restrict x = w->ux;
    for (int i = k - 1; i >= 0; i--) {
        v8d t = load8(y + (size_t) i * LANES);
        for (int q = i + 1; q < k; q++) {
            t -= load8(u + ((size_t) i * kp + q) * LANES) * load8(x + (size_t) q * LANES);
        }
        store8(x + (size_t) i * LANES, t * load8(inv + (size_t) i * LANES));
    }
    return failed;
}

/*
 * Solves the rows waiting in the lanes (rows[0..count), accumulated into la, lb, ld) side
 * by side, the idle lanes holding the identity, and writes them to target; returns -1 or the
 * lane of the first row in order that failed its pivot or has a non-finite solution.
 */
INLINE int lockstep_flush(const int k, const int kp, const work_t *w, const int *rows, int count, jdouble *target) {
    for (int l = 0; l < LANES; l++) {
        const double *a = w->la + (size_t) l * kp * kp;
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                w->u[((size_t) p * kp + q) * LANES + l] = l < count ? a[(size_t) p * kp + q] : (p == q);
            }
            w->ud[(size_t) p * LANES + l] = l < count ? w->ld[(size_t) l * kp + p] : 1;
            w->uy[(size_t) p * LANES + l] = l < count ? w->lb[(size_t) l * kp + p] : 0;
        }
    }
    const int failed = lockstep_solve(k, kp, w);
    for (int l = 0; l < count; l++) {
        if (failed & (1 << l)) {
            return l;
        }
        for (int p = 0; p < k; p++) {
            if (!isfinite(w->ux[(size_t) p * LANES + l])) {
                return l;
            }
        }
    }
    for (int l = 0; l < count; l++) {
        jdouble *out = target + (size_t) rows[l] * k;
        for (int p = 0; p < k; p++) {
            out[p] = w->ux[(size_t) p * LANES + l];
        }
    }
    return -1;
}

/*
 * block_rows by Cholesky at padded ranks up to LOCKSTEP_MAX: each row's system is accumulated
 * into a lane of its own, and the lanes are factored and solved together (lockstep_solve),
 * since a lone small system is bound by the latency of its chain of square roots and
 * divisions, not by arithmetic. A lone row is solved the same way, so a row's result never
 * depends on the rows solved with it.
 */
INLINE int block_lockstep(const view_t *v, const int k, const int kp, const work_t *w, int from, int count,
                          const jdouble *penalties, jdouble *target) {
    int rows[LANES];
    int positions[LANES];
    int waiting = 0;
    for (int i = 0; i < count; i++) {
        const int row = from + i;
        const int start = v->ptr[row], n = v->ptr[row + 1] - start;
        if (n == 0) {
            memset(target + (size_t) row * k, 0, sizeof(double) * k);
            continue;
        }
        const double penalty = penalties[row];
        if (penalty == 0 && n < k && !v->shared) {
            /* The rows before it first: the first row in order that fails is the one reported. */
            const int failed = waiting ? lockstep_flush(k, kp, w, rows, waiting, target) : -1;
            return failed >= 0 ? positions[failed] : i;
        }
        const source_t s = source(v, w, k, kp, start, n);
        double *a = w->la + (size_t) waiting * kp * kp;
        double *b = w->lb + (size_t) waiting * kp;
        double *diagonal = w->ld + (size_t) waiting * kp;
        accumulate(k, kp, n, s, v->wgt ? v->wgt + start : NULL, v->val + start, w->wy, a, b);
        for (int p = 0; p < k; p++) {
            double *restrict arow = a + (size_t) p * kp;
            if (v->shared) {
                const double *restrict g = v->shared + (size_t) p * k;
                for (int q = p; q < k; q++) {
                    arow[q] += g[q];
                }
            }
            arow[p] += penalty;
            diagonal[p] = arow[p];
        }
        rows[waiting] = row;
        positions[waiting] = i;
        if (++waiting == LANES) {
            const int failed = lockstep_flush(k, kp, w, rows, waiting, target);
            if (failed >= 0) {
                return positions[failed];
            }
            waiting = 0;
        }
    }
    if (waiting) {
        const int failed = lockstep_flush(k, kp, w, rows, waiting, target);
        if (failed >= 0) {
            return positions[failed];
        }
    }
    return -1;
}

/* block_rows for rank k (a constant where the compiler can see it). */
INLINE int block_rows_k(const view_t *v, const int k, int from, int count, const jdouble *penalties, jdouble *target,
                        int steps, double *space, int longest) {
    const int kp = padded(k);
    work_t w;
    work_carve(&w, space, kp, v->stride == kp ? 0 : longest);
    if (steps == 0 && kp <= LOCKSTEP_MAX) {
        return block_lockstep(v, k, kp, &w, from, count, penalties, target);
    }
    for (int i = 0; i < count; i++) {
        const int row = from + i;
        const int start = v->ptr[row], n = v->ptr[row + 1] - start;
        jdouble *out = target + (size_t) row * k;
        if (n == 0) {
            memset(out, 0, sizeof(double) * k);
            continue;
        }
        const double penalty = penalties[row];
        if (penalty == 0 && n < k && !v->shared) {
            return i; /* fewer entries than the rank and nothing else: singular */
        }
        const source_t s = source(v, &w, k, kp, start, n);
        if (steps == 0) {
            if (!cholesky_row(v, k, kp, &w, s, start, n, penalty)) {
                return i;
            }
        } else {
            memcpy(w.x, out, sizeof(double) * k);
            for (int c = k; c < kp; c++) {
                w.x[c] = 0;
            }
            cg_row(v, k, kp, &w, s, start, n, penalty, steps);
        }
        for (int c = 0; c < k; c++) {
            if (!isfinite(w.x[c])) {
                return i;
            }
        }
        memcpy(out, w.x, sizeof(double) * k);
    }
    return -1;
}

/* Calls F with the rank as a constant for the ranks that have their own copy. */
#define SPECIALISED(F, ...)                   \
    switch (v->k) {                           \
    case 8: return F(v, 8, __VA_ARGS__);      \
    case 10: return F(v, 10, __VA_ARGS__);    \
    case 16: return F(v, 16, __VA_ARGS__);    \
    case 20: return F(v, 20, __VA_ARGS__);    \
    case 32: return F(v, 32, __VA_ARGS__);    \
    case 64: return F(v, 64, __VA_ARGS__);    \
    default: return F(v, v->k, __VA_ARGS__);  \
    }

/*
 * Rows from..from+count-1 of the view into the same rows of target (n x k), row r with
 * penalty penalties[r]: an empty row becomes zero; any other is solved by Cholesky (steps 0)
 * or iterated by `steps` steps of conjugate gradient from its current value. Returns -1, or the position in the block of the
 * first row that cannot be solved: fewer entries than the rank with no penalty and no shared
 * term, a failed pivot, or a result that is not finite. That row and the ones after it are
 * left as they were.
 */
CLONES static int block_rows(const view_t *v, int from, int count, const jdouble *penalties, jdouble *target,
                             int steps, double *space, int longest) {
    SPECIALISED(block_rows_k, from, count, penalties, target, steps, space, longest)
}

/*
 * The squared errors of rows from..to-1 against F: for row r, whose factors are
 * rows[r k .. r k + k - 1], and each of its entries e, (v_e - x_r . f_{idx_e})^2, from the
 * values alone. With F padded (stride kp) each dot product is taken lane by lane over whole
 * vectors and the lanes added by lanes(); with stride k, in column order. Entries are summed in
 * order within a row, rows in order within the call: the result depends on the rows alone.
 */
INLINE double sse_rows_k(const view_t *v, const int k, const jdouble *rows, int from, int to) {
    const int kp = padded(k);
    double x[kp];
    double total = 0;
    for (int r = from; r < to; r++) {
        memcpy(x, rows + (size_t) r * k, sizeof(double) * k);
        for (int c = k; c < kp; c++) {
            x[c] = 0;
        }
        double s = 0;
        for (int e = v->ptr[r]; e < v->ptr[r + 1]; e++) {
            const double *f = v->fixed + (size_t) v->idx[e] * v->stride;
            double p = 0;
            if (v->stride == kp) {
                v8d acc = load8(f) * load8(x);
                for (int c = 8; c < kp; c += 8) {
                    acc += load8(f + c) * load8(x + c);
                }
                p = lanes(acc);
            } else {
                for (int c = 0; c < k; c++) {
                    p += f[c] * x[c];
                }
            }
            double d = v->val[e] - p;
            s += d * d;
        }
        total += s;
    }
    return total;
}

CLONES static double sse_rows(const view_t *v, const jdouble *rows, int from, int to) {
    SPECIALISED(sse_rows_k, rows, from, to)
}

/* The arrays of a solveBlock call: the view's six, then the call's own three. */
#define ARRAYS 9
/* The one array solveBlock writes: it must be the JVM's own, not a copy. */
#define TARGET 7
/* The arrays of a squaredErrors call: the view's (no weights, no shared term), then the rows. */
#define SSE_ARRAYS 5

/*
 * Pins the first n arrays (null ones stay null); 0 when one cannot be pinned, or when the JVM
 * hands a copy of the array at position target (several workers write its rows at once, so a
 * copy written back would undo the others' rows; HotSpot never copies; -1: none is written).
 * No other JNI call may come until unpin.
 */
static int pin(JNIEnv *env, jarray *arrays, void **pinned, int n, int target) {
    for (int a = 0; a < n; a++) {
        if (arrays[a]) {
            jboolean copy = JNI_FALSE;
            pinned[a] = (*env)->GetPrimitiveArrayCritical(env, arrays[a], &copy);
            if (!pinned[a] || (a == target && copy)) {
                return 0;
            }
        }
    }
    return 1;
}

/* Releases what pin pinned, writing nothing back but the array at position target. */
static void unpin(JNIEnv *env, jarray *arrays, void **pinned, int n, int target) {
    for (int a = n - 1; a >= 0; a--) {
        if (pinned[a]) {
            (*env)->ReleasePrimitiveArrayCritical(env, arrays[a], pinned[a], a == target ? 0 : JNI_ABORT);
        }
    }
}

/* See io.als.natives.NativeKernels#solveBlock. */
JNIEXPORT jint JNICALL Java_io_als_natives_NativeKernels_solveBlock(
        JNIEnv *env, jclass cls, jint k, jintArray ptr, jintArray idx, jdoubleArray val, jdoubleArray wgt,
        jdoubleArray fixed, jint stride, jdoubleArray shared, jint from, jint count, jdoubleArray penalties,
        jdoubleArray target, jint steps, jdoubleArray work, jint longest) {
    (void) cls;
    jarray arrays[ARRAYS] = {ptr, idx, val, wgt, fixed, shared, penalties, target, work};
    void *pinned[ARRAYS] = {0};
    int result = -3;
    if (pin(env, arrays, pinned, ARRAYS, TARGET)) {
        const view_t v = {pinned[0], pinned[1], pinned[2], pinned[3], pinned[4], pinned[5], stride, k};
        result = block_rows(&v, from, count, pinned[6], pinned[7], steps, pinned[8], longest);
    }
    unpin(env, arrays, pinned, ARRAYS, TARGET);
    return result;
}

/* See io.als.natives.NativeKernels#squaredErrors. */
JNIEXPORT jdouble JNICALL Java_io_als_natives_NativeKernels_squaredErrors(
        JNIEnv *env, jclass cls, jint k, jintArray ptr, jintArray idx, jdoubleArray val, jdoubleArray fixed,
        jint stride, jdoubleArray rows, jint from, jint to) {
    (void) cls;
    jarray arrays[SSE_ARRAYS] = {ptr, idx, val, fixed, rows};
    void *pinned[SSE_ARRAYS] = {0};
    double result = NAN;
    if (pin(env, arrays, pinned, SSE_ARRAYS, -1)) {
        const view_t v = {pinned[0], pinned[1], pinned[2], NULL, pinned[3], NULL, stride, k};
        result = sse_rows(&v, pinned[4], from, to);
    }
    unpin(env, arrays, pinned, SSE_ARRAYS, -1);
    return result;
}
