package io.als.ejml;

import io.als.spi.LeastSquaresStep;
import io.als.spi.rowwise.NormalEquation;
import io.als.spi.rowwise.RowwiseLeastSquaresStep;
import io.als.spi.Solver;
import org.ejml.data.DMatrixRMaj;
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
        return new RowwiseLeastSquaresStep(rank, threads, CholeskyKernel::new);
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
