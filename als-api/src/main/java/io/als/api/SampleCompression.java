package io.als.api;

import io.als.internal.Gaussians;
import io.als.spi.rowwise.RowParallel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Stores a sampled model in the space of one sample of twice the rank. A model of {@code S}
 * samples of rank {@code k} predicts
 * {@code mu + b_u + b_i + M_ui}, where {@code b} are the averaged biases and
 * {@code M = (1/S) sum_s U^s P^s^T} is the average of the samples' interaction matrices. This
 * class replaces {@code M} by its best approximation of rank {@code r} (in the Frobenius norm
 * over every user and item: its truncated singular value decomposition), stored as one
 * factorisation {@code A B^T}, {@code A = Q_r sqrt(Sigma_r)}, {@code B = V_r sqrt(Sigma_r)}.
 * The model keeps {@code r (users + items)} factor values instead of {@code S k (users + items)}.
 *
 * <p>Why it loses almost nothing: the samples differ from each other mostly by noise that
 * their average cancels, so the average has few large singular values. On MovieLens 1M (80%
 * training, rank 10, 100 samples) rank 10 keeps 98.3% of its squared norm and a test RMSE of
 * 0.8442 against 0.8438 for all the samples; rank 20 gives 0.8438. Hence
 * {@link #rankFor}{@code (k) = 2k}.
 *
 * <p>How: {@code M} is never formed (it is users by items). A randomized range finder
 * (Halko, Martinsson and Tropp, "Finding structure with randomness", SIAM Review 2011,
 * algorithms 4.4 and 5.1) multiplies {@code M} and {@code M^T} by thin matrices only, each
 * product going through the samples' factors ({@code M X = U (P^T X) / S}): with
 * {@code l = r + }{@value #OVERSAMPLING} columns and {@value #POWER_ITERATIONS} power
 * iterations it costs {@code 2 (1 + 2 q) S k (users + items) l} multiply-adds, a few seconds
 * for MovieLens 1M at rank 20 with 100 samples, and the small {@code l x l} eigenproblem is
 * solved by Jacobi rotations. The random test matrix comes from the fit's compression stream
 * ({@link FitStreams#compression}); every sum runs in a fixed order, so the result is the same
 * for every thread count.
 */
final class SampleCompression {
    /** Columns beyond the target rank in the random test matrix. */
    static final int OVERSAMPLING = 10;
    /** Power iterations of the range finder (1 already gives the rank-20 figure above to 0.00003). */
    static final int POWER_ITERATIONS = 2;
    /** Rows of the factors per parallel block. */
    private static final int BLOCK = 64;

    private SampleCompression() {
    }

    /** The rank a sampled model of rank {@code k} is compressed to. */
    static int rankFor(int k) {
        return 2 * k;
    }

    /** Whether compressing a model of {@code samples} samples of rank {@code k} saves space. */
    static boolean worthIt(int k, int samples) {
        return (long) samples * k > rankFor(k);
    }

    /**
     * The one-sample model of rank {@code rank} closest to {@code sampled} (see the class
     * comment): the same ids, rated pattern, mean and averaged biases, and training info.
     */
    static Model compress(Model sampled, int rank, SplittableRandom rnd, RowParallel parallel) {
        int nu = sampled.userIds().size();
        int ni = sampled.itemIds().size();
        int width = sampled.rank() * sampled.samples();
        int target = Math.min(rank, Math.min(width, Math.min(nu, ni)));
        double[] us = sampled.usersSideBySide();
        double[] is = sampled.itemsSideBySide();
        double scale = 1.0 / sampled.samples();
        int l = Math.min(target + OVERSAMPLING, Math.min(width, Math.min(nu, ni)));

        double[] omega = new double[ni * l];
        for (int t = 0; t < omega.length; t++) {
            omega[t] = Gaussians.next(rnd);
        }
        // Q: an orthonormal basis of the range of M Omega, refined by power iterations.
        double[] q = orthonormalize(times(us, is, width, nu, ni, omega, l, scale, parallel), nu, l);
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            double[] z = orthonormalize(times(is, us, width, ni, nu, q, l, scale, parallel), ni, l);
            q = orthonormalize(times(us, is, width, nu, ni, z, l, scale, parallel), nu, l);
        }
        // B^T = M^T Q (items x l); the singular values and vectors of M come from those of B = Q^T M.
        double[] bt = times(is, us, width, ni, nu, q, l, scale, parallel);
        double[] gram = new double[l * l];
        for (int i = 0; i < ni; i++) {
            for (int a = 0; a < l; a++) {
                double x = bt[i * l + a];
                for (int b = 0; b < l; b++) {
                    gram[a * l + b] += x * bt[i * l + b];
                }
            }
        }
        double[] vectors = new double[l * l];
        double[] values = symmetricEigen(gram, l, vectors);
        double largest = values.length == 0 ? 0 : Math.max(0, values[0]);
        double[] users = new double[nu * rank];
        double[] items = new double[ni * rank];
        for (int j = 0; j < target; j++) {
            // Components below the noise of double arithmetic are left at zero.
            if (!(values[j] > 1e-24 * largest) || largest == 0) {
                continue;
            }
            double sigma = Math.sqrt(values[j]);
            double up = Math.sqrt(sigma);
            // A_j = Q w_j sqrt(sigma); B_j = v_j sqrt(sigma) = B^T w_j / sqrt(sigma), as B^T w_j = sigma v_j.
            for (int u = 0; u < nu; u++) {
                double s = 0;
                for (int a = 0; a < l; a++) {
                    s += q[u * l + a] * vectors[a * l + j];
                }
                users[u * rank + j] = s * up;
            }
            for (int i = 0; i < ni; i++) {
                double s = 0;
                for (int a = 0; a < l; a++) {
                    s += bt[i * l + a] * vectors[a * l + j];
                }
                items[i * rank + j] = s / up;
            }
        }
        double[] userBias = sampled.userBiases();
        double[] itemBias = sampled.itemBiases();
        return new Model(sampled.userIds(), sampled.itemIds(), rank, 1, sampled.biased(), sampled.globalMean(),
                users, items, userBias, itemBias, sampled.ratedPointers(), sampled.ratedIndices(),
                sampled.trainingInfo().orElse(null));
    }

    /**
     * {@code scale * L R^T X}, with {@code L} ({@code nl x width}) and {@code R} ({@code nr x width})
     * row-major and {@code X} {@code nr x l}: first {@code T = R^T X} ({@code width x l}, by
     * blocks of its rows), then {@code L T} (by blocks of rows of {@code L}). Each entry is a sum
     * in a fixed order, whoever computes it.
     */
    static double[] times(double[] left, double[] right, int width, int nl, int nr, double[] x, int l, double scale,
                          RowParallel parallel) {
        double[] t = new double[width * l];
        parallel.run(width, BLOCK, (worker, from, to) -> {
            for (int r = 0; r < nr; r++) {
                int rowR = r * width;
                int rowX = r * l;
                for (int c = from; c < to; c++) {
                    double a = right[rowR + c];
                    if (a == 0) {
                        continue;
                    }
                    int rowT = c * l;
                    for (int j = 0; j < l; j++) {
                        t[rowT + j] += a * x[rowX + j];
                    }
                }
            }
        });
        double[] y = new double[nl * l];
        parallel.run(nl, BLOCK, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                int rowL = r * width;
                int rowY = r * l;
                for (int c = 0; c < width; c++) {
                    double a = left[rowL + c];
                    if (a == 0) {
                        continue;
                    }
                    int rowT = c * l;
                    for (int j = 0; j < l; j++) {
                        y[rowY + j] += a * t[rowT + j];
                    }
                }
                for (int j = 0; j < l; j++) {
                    y[rowY + j] *= scale;
                }
            }
        });
        return y;
    }

    /**
     * Orthonormal columns spanning those of {@code y} ({@code rows x l}, row-major, replaced):
     * modified Gram-Schmidt, run twice for orthogonality to working precision. A column that
     * depends on the earlier ones becomes zero.
     */
    static double[] orthonormalize(double[] y, int rows, int l) {
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < l; j++) {
                double before = Math.sqrt(columnDot(y, rows, l, j, j));
                for (int p = 0; p < j; p++) {
                    double d = columnDot(y, rows, l, p, j);
                    if (d != 0) {
                        for (int r = 0; r < rows; r++) {
                            y[r * l + j] -= d * y[r * l + p];
                        }
                    }
                }
                double n = Math.sqrt(columnDot(y, rows, l, j, j));
                boolean dependent = !(n > 1e-10 * before) || before == 0;
                for (int r = 0; r < rows; r++) {
                    y[r * l + j] = dependent ? 0 : y[r * l + j] / n;
                }
            }
        }
        return y;
    }

    private static double columnDot(double[] y, int rows, int l, int a, int b) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += y[r * l + a] * y[r * l + b];
        }
        return s;
    }

    /**
     * The eigenvalues of the symmetric {@code n x n} matrix {@code a} (row-major; destroyed),
     * in decreasing order, by cyclic Jacobi rotations; column {@code j} of {@code vectors}
     * (row-major, {@code n x n}) receives the eigenvector of the {@code j}-th.
     */
    static double[] symmetricEigen(double[] a, int n, double[] vectors) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        double total = 0;
        for (double x : a) {
            total += x * x;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    off += a[p * n + r] * a[p * n + r];
                }
            }
            if (!(off > 1e-30 * total)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    double apr = a[p * n + r];
                    if (apr == 0) {
                        continue;
                    }
                    double theta = (a[r * n + r] - a[p * n + p]) / (2 * apr);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k * n + p];
                        double akr = a[k * n + r];
                        a[k * n + p] = c * akp - s * akr;
                        a[k * n + r] = s * akp + c * akr;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p * n + k];
                        double ark = a[r * n + k];
                        a[p * n + k] = c * apk - s * ark;
                        a[r * n + k] = s * apk + c * ark;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k * n + p];
                        double vkr = v[k * n + r];
                        v[k * n + p] = c * vkp - s * vkr;
                        v[k * n + r] = s * vkp + c * vkr;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = a[i * n + i];
        }
        Arrays.sort(order, (x, y) -> Double.compare(diag[y], diag[x]));
        double[] values = new double[n];
        for (int j = 0; j < n; j++) {
            values[j] = diag[order[j]];
            for (int k = 0; k < n; k++) {
                vectors[k * n + j] = v[k * n + order[j]];
            }
        }
        return values;
    }
}
