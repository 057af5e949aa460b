package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.spi.rowwise.RowParallel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SampleCompression}: the average of the samples as one factorisation of lower rank. */
class SampleCompressionTest {

    @Test
    void jacobiFindsTheEigenpairsOfASymmetricMatrix() {
        int n = 5;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = a[j * n + i] = rnd.nextGaussian();
            }
        }
        double[] copy = a.clone();
        double[] v = new double[n * n];
        double[] values = SampleCompression.symmetricEigen(a, n, v);
        for (int j = 1; j < n; j++) {
            assertTrue(values[j - 1] >= values[j], "decreasing");
        }
        // A v_j = lambda_j v_j, and V is orthogonal.
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += copy[i * n + k] * v[k * n + j];
                }
                assertEquals(values[j] * v[i * n + j], av, 1e-10);
            }
            for (int m = 0; m < n; m++) {
                double d = 0;
                for (int k = 0; k < n; k++) {
                    d += v[k * n + j] * v[k * n + m];
                }
                assertEquals(j == m ? 1 : 0, d, 1e-10);
            }
        }
    }

    @Test
    void orthonormalizingGivesOrthonormalColumnsAndZerosADependentOne() {
        int rows = 7;
        int l = 3;
        SplittableRandom rnd = new SplittableRandom(2);
        double[] y = new double[rows * l];
        for (int r = 0; r < rows; r++) {
            y[r * l] = rnd.nextGaussian() * 1e6;
            y[r * l + 1] = 2 * y[r * l];
            y[r * l + 2] = rnd.nextGaussian();
        }
        SampleCompression.orthonormalize(y, rows, l);
        double[][] gram = new double[l][l];
        for (int a = 0; a < l; a++) {
            for (int b = 0; b < l; b++) {
                for (int r = 0; r < rows; r++) {
                    gram[a][b] += y[r * l + a] * y[r * l + b];
                }
            }
        }
        assertEquals(1, gram[0][0], 1e-12);
        assertEquals(0, gram[1][1], 1e-12);
        assertEquals(1, gram[2][2], 1e-12);
        assertEquals(0, gram[0][2], 1e-12);
    }

    /** Five samples that are rotations of one rank-2 factorisation, so their average has rank 2; with biases. */
    private static Model rotatedSamples(int samples) {
        SplittableRandom rnd = new SplittableRandom(3);
        int users = 9;
        int items = 7;
        FactorMatrix u = new FactorMatrix(users, 2);
        FactorMatrix p = new FactorMatrix(items, 2);
        for (int i = 0; i < u.data().length; i++) {
            u.data()[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < p.data().length; i++) {
            p.data()[i] = rnd.nextGaussian();
        }
        Ratings r = DataChosenSettingsTest.planted(users, items, 0.5, 0.3, 1, 4);
        Model.Builder b = Model.builder(r.userIds(), r.itemIds(), 2, samples).biased(3.25).rated(r.byUser());
        for (int s = 0; s < samples; s++) {
            double angle = 0.7 * s;
            double c = Math.cos(angle);
            double sn = Math.sin(angle);
            FactorMatrix us = new FactorMatrix(users, 2);
            FactorMatrix ps = new FactorMatrix(items, 2);
            for (int row = 0; row < users; row++) {
                us.set(row, 0, c * u.get(row, 0) - sn * u.get(row, 1));
                us.set(row, 1, sn * u.get(row, 0) + c * u.get(row, 1));
            }
            for (int row = 0; row < items; row++) {
                ps.set(row, 0, c * p.get(row, 0) - sn * p.get(row, 1));
                ps.set(row, 1, sn * p.get(row, 0) + c * p.get(row, 1));
            }
            double[] bu = new double[users];
            double[] bi = new double[items];
            for (int row = 0; row < users; row++) {
                bu[row] = rnd.nextGaussian();
            }
            for (int row = 0; row < items; row++) {
                bi[row] = rnd.nextGaussian();
            }
            b.addSample(us, ps, bu, bi);
        }
        return b.build();
    }

    @Test
    void anAverageOfLowRankIsReproducedWithTheMeanBiasesAndPattern() {
        Model sampled = rotatedSamples(5);
        try (RowParallel one = new RowParallel(1)) {
            Model c = SampleCompression.compress(sampled, 2, new SplittableRandom(9), one);
            assertEquals(1, c.samples());
            assertEquals(2, c.rank());
            assertTrue(c.biased());
            assertEquals(sampled.globalMean(), c.globalMean());
            assertArrayEquals(sampled.userBiases(), c.userBiases());
            assertArrayEquals(sampled.itemBiases(), c.itemBiases());
            assertArrayEquals(sampled.ratedPointers(), c.ratedPointers());
            assertArrayEquals(sampled.ratedIndices(), c.ratedIndices());
            for (int u = 0; u < 9; u++) {
                for (int i = 0; i < 7; i++) {
                    assertEquals(sampled.predictIndex(u, i), c.predictIndex(u, i), 1e-9, u + "," + i);
                }
            }
        }
    }

    @Test
    void aTruncationIsTheBestOfItsRankAndTheSameForAnyThreadCount() {
        // Random samples: the average has full rank; its best rank-1 approximation leaves the
        // energy of the smaller singular values, which the compression must match.
        SplittableRandom rnd = new SplittableRandom(5);
        Ratings r = DataChosenSettingsTest.planted(30, 20, 0.5, 0.3, 1, 6);
        int k = 2;
        int samples = 6;
        Model.Builder b = Model.builder(r.userIds(), r.itemIds(), k, samples).rated(r.byUser());
        for (int s = 0; s < samples; s++) {
            FactorMatrix us = new FactorMatrix(30, k);
            FactorMatrix ps = new FactorMatrix(20, k);
            for (int i = 0; i < us.data().length; i++) {
                us.data()[i] = rnd.nextGaussian();
            }
            for (int i = 0; i < ps.data().length; i++) {
                ps.data()[i] = rnd.nextGaussian();
            }
            b.addSample(us, ps);
        }
        Model sampled = b.build();
        // The full average's singular values, from the eigenvalues of M M^T (30 x 30).
        double[][] m = new double[30][20];
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 20; i++) {
                m[u][i] = sampled.predictIndex(u, i);
            }
        }
        double[] mmt = new double[30 * 30];
        for (int a = 0; a < 30; a++) {
            for (int c = 0; c < 30; c++) {
                for (int i = 0; i < 20; i++) {
                    mmt[a * 30 + c] += m[a][i] * m[c][i];
                }
            }
        }
        double[] eig = SampleCompression.symmetricEigen(mmt, 30, new double[900]);
        int rank = 4;
        double best = 0;
        for (int j = rank; j < 30; j++) {
            best += Math.max(0, eig[j]);
        }
        Model one;
        Model three;
        try (RowParallel p1 = new RowParallel(1); RowParallel p3 = new RowParallel(3)) {
            one = SampleCompression.compress(sampled, rank, new SplittableRandom(8), p1);
            three = SampleCompression.compress(sampled, rank, new SplittableRandom(8), p3);
        }
        assertEquals(one, three);
        double err = 0;
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 20; i++) {
                double d = m[u][i] - one.predictIndex(u, i);
                err += d * d;
            }
        }
        assertEquals(best, err, 1e-6 * best, "squared error of the truncation");
    }

    @Test
    void aDefaultSampledFitIsStoredCompressedAndPredictsLikeItsSamples() throws Exception {
        Ratings r = DataChosenSettingsTest.planted(60, 40, 0.3, 0.5, 1, 21);
        AlsConfig kept = AlsConfig.builder().rank(2).samples(20).lambda(1).noise(0.5).threads(1).compress(false)
                .build();
        Model all = new AlternatingLeastSquares(kept, new EliminationSolver()).fit(r);
        Model small = new AlternatingLeastSquares(kept.toBuilder().compress(true).build(), new EliminationSolver())
                .fit(r);
        assertEquals(20, all.samples());
        assertEquals(1, small.samples());
        assertEquals(SampleCompression.rankFor(2), small.rank());
        // The training info tells the fit, not the storage: rank 2, 20 samples.
        assertEquals(2, small.trainingInfo().orElseThrow().rank());
        assertEquals(20, small.trainingInfo().orElseThrow().samples());
        double sse = 0;
        double spread = 0;
        for (int u = 0; u < r.numUsers(); u++) {
            for (int i = 0; i < r.numItems(); i++) {
                double d = all.predictIndex(u, i) - small.predictIndex(u, i);
                sse += d * d;
                double e = all.predictIndex(u, i) - all.globalMean() - all.userBias(u) - all.itemBias(i);
                spread += e * e;
            }
        }
        assertTrue(sse < 0.05 * spread, "the rank-4 summary keeps most of the interaction: " + sse + " of " + spread);
        // It survives a model file.
        java.nio.file.Path f = java.nio.file.Files.createTempFile("compressed", ".als");
        try {
            ModelFile.write(small, f);
            assertEquals(small, ModelFile.read(f));
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
