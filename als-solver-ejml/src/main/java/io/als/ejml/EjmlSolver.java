package io.als.ejml;

import io.als.api.LeastSquaresStep;
import io.als.api.NormalEquation;
import io.als.api.RowwiseLeastSquaresStep;
import io.als.api.Solver;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The pure-Java backend: each row's normal equation is accumulated by
 * {@link RowwiseLeastSquaresStep} (upper triangle, rank-4 updates) and solved by a Cholesky
 * factorisation. Two Cholesky kernels are available: EJML's dense one
 * ({@code LinearSolverFactory_DDRM.symmPosDef}) and {@link UpperCholeskyKernel}, which works
 * in place on the accumulated triangle rows. {@link #kernelFor} picks by rank, from
 * measurements (docs/design-notes.md). One kernel and its workspaces per worker thread,
 * so nothing is allocated per row.
 */
public final class EjmlSolver implements Solver {
    /** The name this backend is selected by. */
    public static final String NAME = "ejml";

    /** The Cholesky implementations this backend can use. */
    enum Kernel {
        /** EJML's {@code symmPosDef} on the dense symmetric copy of the matrix. */
        EJML,
        /** {@link UpperCholeskyKernel}: in place on the upper triangle rows, no copy. */
        UPPER_ROWS
    }

    /** Null: choose by rank ({@link #kernelFor}). */
    private final Kernel forced;

    public EjmlSolver() {
        this(null);
    }

    /** A solver with a fixed kernel at every rank, for tests and measurements. */
    EjmlSolver(Kernel forced) {
        this.forced = forced;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LeastSquaresStep newStep(int rank, int threads) {
        Kernel kernel = forced != null ? forced : kernelFor(rank);
        return new RowwiseLeastSquaresStep(rank, threads,
                kernel == Kernel.EJML ? CholeskyKernel::new : UpperCholeskyKernel::new);
    }

    /**
     * The faster kernel at this rank. The in-place kernel measured faster than EJML at every
     * rank from 8 to 128 (docs/design-notes.md), mostly because it needs no dense copy and
     * its inner loops vectorise.
     */
    static Kernel kernelFor(int rank) {
        return Kernel.UPPER_ROWS;
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
                    if (!(l * l > LeastSquaresStep.RELATIVE_PIVOT_FLOOR * diagonal[p])) {
                        return false;
                    }
                }
            }
            chol.solve(b, x);
            return true;
        }
    }
}
