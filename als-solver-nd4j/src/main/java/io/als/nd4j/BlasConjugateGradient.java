package io.als.nd4j;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Conjugate gradient on one row's normal equation {@code (G + F^T W F + lambda I) x = F^T v}
 * with the dense products in the OpenBLAS that ND4J ships (Level-2 BLAS through JavaCPP):
 * the same iteration as the plain-Java {@link io.als.spi.rowwise.ConjugateGradient} (Takacs,
 * Pilaszy and Tikk 2011), with
 * <ul>
 *   <li>the row's factor rows gathered once per call into an off-heap buffer, column-major
 *       {@code k x n} (each entry's factor row one column);</li>
 *   <li>{@code d = F p} by {@code dgemv} (transposed), {@code d_e *= w_e} in Java, and
 *       {@code A p += F d} by {@code dgemv};</li>
 *   <li>{@code G p} by {@code dsymv} on a dense off-heap copy of {@code G} (made once per
 *       {@link Gram} instance);</li>
 *   <li>the vector updates and dot products of the iteration by {@code daxpy} and {@code ddot}.</li>
 * </ul>
 * OpenBLAS runs one thread per call while a step is open ({@link NativeRuntime}) and every
 * workspace has the same alignment ({@link OffHeapArray}), so a row's result does not depend
 * on the worker that computed it. Not thread-safe: one per worker; closed by its step.
 */
final class BlasConjugateGradient implements RowwiseLeastSquaresStep.CgRowSolver, AutoCloseable {
    private static final double GROWTH = 1.5;

    private final int k;
    /** x, r, p, A p: four vectors of {@code k}, each at a 64-byte boundary. */
    private final OffHeapArray vectors;
    private final DoubleBuffer vec;
    private final int stride;
    private final DoublePointer x;
    private final DoublePointer r;
    private final DoublePointer p;
    private final DoublePointer ap;
    private final OffHeapArray shared;
    private final DoubleBuffer sharedView;
    private final DoublePointer sharedPointer;
    private Gram sharedSeen;
    /** The gathered factor rows ({@code k x capacity}, column-major) and the per-entry products. */
    private OffHeapArray gathered;
    private DoubleBuffer gatheredView;
    private DoublePointer gatheredPointer;
    private OffHeapArray products;
    private DoubleBuffer productsView;
    private DoublePointer productsPointer;
    private int capacity;
    private double[] weights = new double[0];
    private double[] values = new double[0];

    BlasConjugateGradient(int rank) {
        this.k = rank;
        this.stride = (rank + 7) / 8 * 8;
        this.vectors = new OffHeapArray(4 * stride);
        this.vec = vectors.buffer();
        this.x = vectors.pointer(0);
        this.r = vectors.pointer(stride);
        this.p = vectors.pointer(2L * stride);
        this.ap = vectors.pointer(3L * stride);
        this.shared = new OffHeapArray(rank * rank);
        this.sharedView = shared.buffer();
        this.sharedPointer = shared.pointer(0);
    }

    @Override
    public boolean iterate(SparseView observed, int row, FactorMatrix fixed, Gram g, double penalty, double[] out,
                           int steps) {
        int n = gather(observed, row, fixed);
        boolean withShared = g != null;
        if (withShared) {
            dense(g);
        }
        vec.put(0, out, 0, k);
        // r = F^T v - (G + lambda I) x - F^T W F x: d_e = v_e - w_e f_e . x, then r = F d - ...
        product(withShared, penalty, x, r);
        openblas.cblas_dscal(k, -1.0, r, 1);
        entries(n, x, r, true);
        openblas.cblas_dcopy(k, r, 1, p, 1);
        double rr = openblas.cblas_ddot(k, r, 1, r, 1);
        for (int step = 0; step < steps && rr > 0; step++) {
            product(withShared, penalty, p, ap);
            entries(n, p, ap, false);
            double curvature = openblas.cblas_ddot(k, p, 1, ap, 1);
            if (!(curvature > 0)) {
                break;
            }
            double a = rr / curvature;
            openblas.cblas_daxpy(k, a, p, 1, x, 1);
            openblas.cblas_daxpy(k, -a, ap, 1, r, 1);
            double next = openblas.cblas_ddot(k, r, 1, r, 1);
            // p = r + beta p
            openblas.cblas_dscal(k, next / rr, p, 1);
            openblas.cblas_daxpy(k, 1.0, r, 1, p, 1);
            rr = next;
        }
        for (int c = 0; c < k; c++) {
            double v = vec.get(c);
            if (!Double.isFinite(v)) {
                return false;
            }
            out[c] = v;
        }
        return true;
    }

    /** {@code out = G v + lambda v}: a copy, a scaling and (with a shared term) {@code dsymv}. */
    private void product(boolean withShared, double penalty, DoublePointer v, DoublePointer out) {
        if (withShared) {
            openblas.cblas_dcopy(k, v, 1, out, 1);
            openblas.cblas_dsymv(openblas.CblasColMajor, openblas.CblasUpper, k, 1.0, sharedPointer, k, v, 1, penalty,
                    out, 1);
        } else {
            openblas.cblas_dcopy(k, v, 1, out, 1);
            openblas.cblas_dscal(k, penalty, out, 1);
        }
    }

    /**
     * {@code out += F d} with {@code d_e = w_e (f_e . v)}, or {@code d_e = v_e - w_e (f_e . v)}
     * for the residual.
     */
    private void entries(int n, DoublePointer v, DoublePointer out, boolean residual) {
        openblas.cblas_dgemv(openblas.CblasColMajor, openblas.CblasTrans, k, n, 1.0, gatheredPointer, k, v, 1, 0.0,
                productsPointer, 1);
        DoubleBuffer d = productsView;
        for (int e = 0; e < n; e++) {
            double s = weights[e] * d.get(e);
            d.put(e, residual ? values[e] - s : s);
        }
        openblas.cblas_dgemv(openblas.CblasColMajor, openblas.CblasNoTrans, k, n, 1.0, gatheredPointer, k,
                productsPointer, 1, 1.0, out, 1);
    }

    private int gather(SparseView observed, int row, FactorMatrix fixed) {
        int start = observed.start(row);
        int n = observed.end(row) - start;
        if (n > capacity) {
            int cap = (int) Math.min(Integer.MAX_VALUE / Math.max(1, k), Math.max(n, (long) (capacity * GROWTH)));
            freeGathered();
            gathered = new OffHeapArray(cap * k);
            gatheredView = gathered.buffer();
            gatheredPointer = gathered.pointer(0);
            products = new OffHeapArray(cap);
            productsView = products.buffer();
            productsPointer = products.pointer(0);
            weights = new double[cap];
            values = new double[cap];
            capacity = cap;
        }
        double[] f = fixed.data();
        DoubleBuffer g = gatheredView;
        for (int i = 0; i < n; i++) {
            int e = start + i;
            g.put(i * k, f, observed.index(e) * k, k);
            weights[i] = observed.weight(e);
            values[i] = observed.value(e);
        }
        return n;
    }

    private void dense(Gram g) {
        if (g == sharedSeen) {
            return;
        }
        if (g.rank() != k) {
            throw new IllegalArgumentException("shared Gram must have rank " + k + " but had " + g.rank());
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                sharedView.put(a * k + b, g.get(a, b));
            }
        }
        sharedSeen = g;
    }

    private void freeGathered() {
        if (gathered != null) {
            gathered.close();
            products.close();
            gathered = null;
            products = null;
        }
    }

    @Override
    public void close() {
        freeGathered();
        vectors.close();
        shared.close();
    }
}
