package io.als.ejml;

import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import io.als.spi.Solver;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.mult.MatrixVectorMult_DDRM;
import org.ejml.dense.row.mult.VectorVectorMult_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The EJML backend: each row's normal equation is accumulated by the shared
 * {@link RowwiseLeastSquaresStep} toolkit (upper triangle, rank-4 updates) and solved by
 * EJML's Cholesky decomposition ({@code LinearSolverFactory_DDRM.symmPosDef}, which is
 * {@code LinearSolverChol_DDRM} over {@code CholeskyDecompositionInner_DDRM}) on the dense
 * symmetric copy of the matrix. One EJML solver and its workspaces per worker thread, so
 * nothing is allocated per row. The hand-written in-place Cholesky that this backend used
 * before is now its own backend, {@code java}.
 */
public final class EjmlSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "ejml";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        return new RowwiseLeastSquaresStep(rank, threads, CholeskyKernel::new, ConjugateGradientKernel::new);
    }

    /**
     * Conjugate gradient on one row (the iteration of {@link io.als.spi.rowwise.ConjugateGradient},
     * Takacs, Pilaszy and Tikk 2011) with EJML's matrix-vector products: the row's factor rows
     * are gathered once per call into an {@code n x k} {@link DMatrixRMaj} {@code F}; each step
     * takes {@code d = F p} ({@code MatrixVectorMult_DDRM.mult}), scales {@code d_e} by the
     * weights, adds {@code F^T d} ({@code multAddTransA_reorder}) and {@code G p}
     * ({@code multAdd} on a dense copy of {@code G}, made once per {@link Gram} instance);
     * the vector updates are {@code CommonOps_DDRM.addEquals} and the dot products
     * {@code VectorVectorMult_DDRM.innerProd}. One per worker; nothing allocated per row once
     * the buffer has grown to the longest row.
     */
    static final class ConjugateGradientKernel implements RowwiseLeastSquaresStep.CgRowSolver {
        private final int k;
        private final DMatrixRMaj x;
        private final DMatrixRMaj r;
        private final DMatrixRMaj p;
        private final DMatrixRMaj ap;
        private final DMatrixRMaj shared;
        private Gram sharedSeen;
        private final DMatrixRMaj rows;
        private final DMatrixRMaj d;
        private double[] weights = new double[0];
        private double[] values = new double[0];

        ConjugateGradientKernel(int rank) {
            this.k = rank;
            this.x = new DMatrixRMaj(rank, 1);
            this.r = new DMatrixRMaj(rank, 1);
            this.p = new DMatrixRMaj(rank, 1);
            this.ap = new DMatrixRMaj(rank, 1);
            this.shared = new DMatrixRMaj(rank, rank);
            this.rows = new DMatrixRMaj(1, rank);
            this.d = new DMatrixRMaj(1, 1);
        }

        @Override
        public boolean iterate(SparseView observed, int row, FactorMatrix fixed, Gram g, double penalty, double[] out,
                               int steps) {
            int n = gather(observed, row, fixed);
            boolean withShared = g != null;
            if (withShared && g != sharedSeen) {
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        shared.unsafe_set(a, b, g.get(a, b));
                    }
                }
                sharedSeen = g;
            }
            System.arraycopy(out, 0, x.data, 0, k);
            // r = F^T v - (G + lambda I) x - F^T W F x
            product(withShared, penalty, x, r);
            CommonOps_DDRM.scale(-1, r);
            entries(n, x, r, true);
            p.setTo(r);
            double rr = VectorVectorMult_DDRM.innerProd(r, r);
            for (int step = 0; step < steps && rr > 0; step++) {
                product(withShared, penalty, p, ap);
                entries(n, p, ap, false);
                double curvature = VectorVectorMult_DDRM.innerProd(p, ap);
                if (!(curvature > 0)) {
                    break;
                }
                double a = rr / curvature;
                CommonOps_DDRM.addEquals(x, a, p);
                CommonOps_DDRM.addEquals(r, -a, ap);
                double next = VectorVectorMult_DDRM.innerProd(r, r);
                // p = r + beta p
                CommonOps_DDRM.add(r, next / rr, p, p);
                rr = next;
            }
            for (int c = 0; c < k; c++) {
                if (!Double.isFinite(x.data[c])) {
                    return false;
                }
            }
            System.arraycopy(x.data, 0, out, 0, k);
            return true;
        }

        /** {@code out = G v + lambda v}. */
        private void product(boolean withShared, double penalty, DMatrixRMaj v, DMatrixRMaj out) {
            CommonOps_DDRM.scale(penalty, v, out);
            if (withShared) {
                MatrixVectorMult_DDRM.multAdd(shared, v, out);
            }
        }

        /** {@code out += F^T d}, {@code d = W F v} (or {@code v_e - (W F v)_e} for the residual). */
        private void entries(int n, DMatrixRMaj v, DMatrixRMaj out, boolean residual) {
            MatrixVectorMult_DDRM.mult(rows, v, d);
            double[] q = d.data;
            for (int e = 0; e < n; e++) {
                double s = weights[e] * q[e];
                q[e] = residual ? values[e] - s : s;
            }
            MatrixVectorMult_DDRM.multAddTransA_reorder(rows, d, out);
        }

        private int gather(SparseView observed, int row, FactorMatrix fixed) {
            int start = observed.start(row);
            int n = observed.end(row) - start;
            if (weights.length < n) {
                int cap = Math.max(n, weights.length + weights.length / 2);
                weights = new double[cap];
                values = new double[cap];
            }
            // reshape keeps the arrays when they are long enough, so they grow only for a longer row
            rows.reshape(n, k, false);
            d.reshape(n, 1, false);
            double[] f = fixed.data();
            for (int i = 0; i < n; i++) {
                int e = start + i;
                System.arraycopy(f, observed.index(e) * k, rows.data, i * k, k);
                weights[i] = observed.weight(e);
                values[i] = observed.value(e);
            }
            return n;
        }
    }

    /** One worker's EJML Cholesky solver and workspaces. */
    static final class CholeskyKernel implements RowwiseLeastSquaresStep.Kernel {
        private final int k;
        private final LinearSolverDense<DMatrixRMaj> chol;
        private final DMatrixRMaj a;
        private final DMatrixRMaj b;
        private final DMatrixRMaj x;
        private final double[] diagonal;

        CholeskyKernel(int rank) {
            this.k = rank;
            this.chol = LinearSolverFactory_DDRM.symmPosDef(rank);
            this.a = new DMatrixRMaj(rank, rank);
            this.b = new DMatrixRMaj(rank, 1);
            this.x = new DMatrixRMaj(rank, 1);
            this.diagonal = new double[rank];
        }

        @Override
        public boolean solve(NormalEquation ne, double[] out) {
            return solve(ne.ata(), ne.atb(), out);
        }

        @Override
        public boolean solve(double[] ata, double[] atb, double[] out) {
            // Point EJML's matrices at the caller's arrays instead of copying them.
            a.setData(ata);
            b.setData(atb);
            x.setData(out);
            for (int p = 0; p < k; p++) {
                diagonal[p] = ata[p * k + p];
            }
            if (!chol.setA(a)) {
                return false;
            }
            // EJML's Cholesky factors in place (modifiesA), leaving L's diagonal on A's diagonal.
            if (chol.modifiesA()) {
                for (int p = 0; p < k; p++) {
                    double l = ata[p * k + p];
                    if (!LeastSquaresStep.pivotHolds(l * l, diagonal[p])) {
                        return false;
                    }
                }
            }
            chol.solve(b, x);
            return true;
        }
    }
}
