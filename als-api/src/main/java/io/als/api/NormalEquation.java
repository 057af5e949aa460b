package io.als.api;

import java.util.Arrays;

/**
 * One row's normal equation {@code (F^T F + lambda I) x = F^T a}, accumulated in a reusable
 * workspace: {@link #ata()} is a dense {@code k x k} row-major array, {@link #atb()} a
 * {@code k} vector. Only the upper triangle is accumulated (half the flops); {@link #finish}
 * adds the penalty and mirrors it into the lower triangle. Not thread-safe: one per worker.
 */
public final class NormalEquation {
    private final int k;
    private final double[] ata;
    private final double[] atb;
    private int count;

    public NormalEquation(int rank) {
        this.k = Checks.positive("rank", rank);
        this.ata = new double[rank * rank];
        this.atb = new double[rank];
    }

    public int rank() {
        return k;
    }

    /** Clears the workspace for a new row. */
    public void reset() {
        Arrays.fill(ata, 0);
        Arrays.fill(atb, 0);
        count = 0;
    }

    /** Adds one observation: rating {@code a} against row {@code j} of {@code fixed}. */
    public void add(double[] fixed, int j, double a) {
        int off = j * k;
        for (int p = 0; p < k; p++) {
            double fp = fixed[off + p];
            atb[p] += a * fp;
            int rowOff = p * k;
            for (int q = p; q < k; q++) {
                ata[rowOff + q] += fp * fixed[off + q];
            }
        }
        count++;
    }

    /** Adds every observation of row {@code r} of {@code observed}. */
    public void addRow(SparseView observed, int r, FactorMatrix fixed) {
        double[] f = fixed.data();
        for (int e = observed.start(r); e < observed.end(r); e++) {
            add(f, observed.index(e), observed.value(e));
        }
    }

    /** Adds {@code penalty} to the diagonal and fills the lower triangle from the upper. */
    public void finish(double penalty) {
        for (int p = 0; p < k; p++) {
            ata[p * k + p] += penalty;
            for (int q = p + 1; q < k; q++) {
                ata[q * k + p] = ata[p * k + q];
            }
        }
    }

    /** Number of observations added since the last reset. */
    public int count() {
        return count;
    }

    /** The {@code k x k} matrix, row-major; symmetric after {@link #finish}. */
    public double[] ata() {
        return ata;
    }

    /** The right-hand side. */
    public double[] atb() {
        return atb;
    }
}
