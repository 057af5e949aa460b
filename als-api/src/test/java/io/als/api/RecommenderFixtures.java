package io.als.api;

import io.als.spi.FactorMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/** Seeded models and the brute-force answers the recommender tests compare with. */
final class RecommenderFixtures {
    static final double LAMBDA = 0.1;

    private RecommenderFixtures() {
    }

    /** The explicit training info of a model of this shape (weighted penalty, lambda {@link #LAMBDA}). */
    static TrainingInfo explicitInfo(int k, int samples, boolean biased, int users, int items, int ratings) {
        return new TrainingInfo("elimination", k, "weighted", LAMBDA, 3, 3, 1, Initialization.RANDOM, biased,
                samples > 1 ? samples : 0, 1, "in-memory", users, items, ratings, new RatingScale(1, 5));
    }

    /** Implicit settings: linear confidence alpha 2, alpha0 0.25, nu 1. */
    static ImplicitFeedback feedback() {
        return new ImplicitFeedback(2, ImplicitFeedback.Confidence.LINEAR, 1, 0.25,
                ImplicitFeedback.RowSolve.CHOLESKY, 3, 1);
    }

    static TrainingInfo implicitInfo(int k, int users, int items, int ratings, ImplicitFeedback feedback) {
        return new TrainingInfo("elimination", k, "ials", 0.05, 3, 3, 1, Initialization.RANDOM, false, 0, 1,
                "in-memory", users, items, ratings, new RatingScale(0, 10), feedback);
    }

    /**
     * A random model over string user ids {@code u000..} and numeric item ids {@code 100..},
     * each user having rated about {@code density} of the items (at least one).
     *
     * @param implicit an implicit model (then one unbiased sample)
     */
    static Model model(long seed, int users, int items, int k, int samples, boolean biased, boolean implicit,
                       double density) {
        return model(seed, users, items, k, samples, biased, implicit ? feedback() : null, density);
    }

    /** {@link #model}, implicit with the given settings when {@code implicit} is not null. */
    static Model model(long seed, int users, int items, int k, int samples, boolean biased, ImplicitFeedback implicit,
                       double density) {
        Random rnd = new Random(seed);
        String[] uids = new String[users];
        for (int u = 0; u < users; u++) {
            uids[u] = String.format("u%03d", u);
        }
        long[] iids = new long[items];
        for (int i = 0; i < items; i++) {
            iids[i] = 100 + i;
        }
        int[] ptr = new int[users + 1];
        List<Integer> idx = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextDouble() < density || (i == items - 1 && idx.size() == ptr[u])) {
                    idx.add(i);
                }
            }
            ptr[u + 1] = idx.size();
        }
        Model.Builder b = Model.builder(IdIndex.ofStrings(uids), IdIndex.ofNumeric(iids), k, samples);
        if (biased) {
            b.biased(3.5);
        }
        for (int s = 0; s < samples; s++) {
            FactorMatrix uf = gaussian(rnd, users, k);
            FactorMatrix pf = gaussian(rnd, items, k);
            if (biased) {
                b.addSample(uf, pf, gaussian(rnd, 1, users).data(), gaussian(rnd, 1, items).data());
            } else {
                b.addSample(uf, pf);
            }
        }
        b.rated(ptr, idx.stream().mapToInt(Integer::intValue).toArray());
        b.training(implicit != null ? implicitInfo(k, users, items, idx.size(), implicit)
                : explicitInfo(k, samples, biased, users, items, idx.size()));
        return b.build();
    }

    static FactorMatrix gaussian(Random rnd, int rows, int cols) {
        FactorMatrix m = new FactorMatrix(rows, cols);
        for (int c = 0; c < m.data().length; c++) {
            m.data()[c] = rnd.nextGaussian();
        }
        return m;
    }

    /**
     * The best {@code n} of the candidates {@code 0..count-1} that pass {@code keep}, by a full
     * sort of every candidate's score (descending, then by index).
     */
    static TopN bruteForce(int count, int n, IntPredicate keep, java.util.function.IntToDoubleFunction score) {
        List<Integer> all = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            if (keep.test(j)) {
                all.add(j);
            }
        }
        all.sort(Comparator.comparingDouble((Integer j) -> -score.applyAsDouble(j)).thenComparingInt(j -> j));
        int size = Math.min(n, all.size());
        int[] ids = new int[size];
        double[] sc = new double[size];
        for (int r = 0; r < size; r++) {
            ids[r] = all.get(r);
            sc[r] = score.applyAsDouble(ids[r]);
        }
        return new TopN(ids, sc);
    }

    /** Whether user {@code u} has item {@code i} in the model's rated pattern. */
    static boolean rated(Model m, int u, int i) {
        int[] ptr = m.ratedPointers();
        int[] idx = m.ratedIndices();
        for (int e = ptr[u]; e < ptr[u + 1]; e++) {
            if (idx[e] == i) {
                return true;
            }
        }
        return false;
    }

    /** Row {@code r} of a side with its samples side by side, read through the per-sample views. */
    static double[] sideBySide(Model m, boolean users, int r) {
        int k = m.rank();
        double[] v = new double[k * m.samples()];
        for (int s = 0; s < m.samples(); s++) {
            MatrixView view = users ? m.userFactors(s) : m.itemFactors(s);
            for (int c = 0; c < k; c++) {
                v[s * k + c] = view.get(r, c);
            }
        }
        return v;
    }

    /** {@code a . b / (|a| |b|)}, 0 when either is zero. */
    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int c = 0; c < a.length; c++) {
            ab += a[c] * b[c];
            aa += a[c] * a[c];
            bb += b[c] * b[c];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    /** Solves {@code A x = b} by Gaussian elimination with partial pivoting (copies its inputs). */
    static double[] solveDense(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int r = 0; r < n; r++) {
            m[r] = java.util.Arrays.copyOf(a[r], n + 1);
            m[r][n] = b[r];
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j <= n; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int j = r + 1; j < n; j++) {
                s -= m[r][j] * x[j];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
