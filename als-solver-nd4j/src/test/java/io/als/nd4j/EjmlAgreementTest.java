package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.spi.FactorMatrix;
import io.als.api.Initialization;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.Solver;
import io.als.ejml.EjmlSolver;
import io.als.conformance.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nd4j solver against the ejml solver: same data, same configuration (random
 * initialisation from the same seed), same number of iterations; the factors and the
 * predictions must agree to {@value #TOLERANCE} relative, measured as
 * {@code max |nd4j - ejml| / max |ejml|} over each whole matrix. The measured figures are
 * logged at INFO ({@code io.als.nd4j}) and quoted in docs/nd4j.md.
 */
class EjmlAgreementTest {
    private static final Logger LOG = LoggerFactory.getLogger(EjmlAgreementTest.class);

    static final double TOLERANCE = 1e-9;
    private static final int THREADS = 2;

    @ParameterizedTest(name = "{0}x{1} density {2}, rank {3}, seed {4}, {5}({6}), {7} iterations")
    @CsvSource({
        "200, 150, 0.20,   8,  1, weighted, 0.1, 8",
        "300, 200, 0.30,  10,  2, weighted, 0.1, 8",
        "250, 180, 0.25,  32,  3, l2,       0.5, 6",
        "150, 120, 0.50,  64,  4, weighted, 0.1, 5",
        "160,  90, 0.40,  64,  5, l2,       1.0, 5",
        "120, 100, 0.60, 128,  6, weighted, 0.1, 4",
        "140, 110, 0.30, 128,  7, weighted, 0.1, 4",
    })
    void generatedProblems(int users, int items, double density, int rank, long seed, String reg, double lambda,
                           int iterations) {
        Ratings ratings = Problems.ratings(users, items, density, seed);
        AlsConfig config = config(rank, iterations, reg, lambda, seed);
        agree("generated " + users + "x" + items + " rank " + rank + " seed " + seed, ratings, config);
    }

    @Test
    void movieLens100kRank10() {
        agree("ML-100K rank 10", MovieLensFiles.read(MovieLensFiles.ML_100K), config(10, 10, "weighted", 0.1, 42));
    }

    @Test
    void movieLens100kRank64() {
        agree("ML-100K rank 64", MovieLensFiles.read(MovieLensFiles.ML_100K), config(64, 5, "weighted", 0.1, 42));
    }

    @Test
    void movieLens100kRank128() {
        agree("ML-100K rank 128", MovieLensFiles.read(MovieLensFiles.ML_100K), config(128, 3, "weighted", 0.1, 7));
    }

    @Test
    void movieLens100kBiasedRank32() {
        // Biases are learnt as constant columns, so every step runs at rank 33 (an odd size for BLAS).
        agree("ML-100K biased rank 32", MovieLensFiles.read(MovieLensFiles.ML_100K),
                config(32, 5, "weighted", 0.1, 11).toBuilder().biased(true).build());
    }

    @Test
    void movieLens100kHasTheExpectedShape() {
        Ratings r = MovieLensFiles.read(MovieLensFiles.ML_100K);
        assertEquals(100_000, r.size());
        assertEquals(943, r.numUsers());
        assertEquals(1682, r.numItems());
    }

    private static void agree(String what, Ratings ratings, AlsConfig config) {
        Model ejml = fit(new EjmlSolver(), ratings, config);
        Model nd4j = fit(new Nd4jSolver(), ratings, config);
        double users = relativeDifference(nd4j.userFactors(), ejml.userFactors());
        double items = relativeDifference(nd4j.itemFactors(), ejml.itemFactors());
        double predictions = predictionDifference(nd4j, ejml, ratings);
        LOG.info("{}: max relative difference users {}, items {}, predictions {}", what, users, items, predictions);
        assertTrue(users <= TOLERANCE, what + ": user factors differ by " + users + " relative");
        assertTrue(items <= TOLERANCE, what + ": item factors differ by " + items + " relative");
        assertTrue(predictions <= TOLERANCE, what + ": predictions differ by " + predictions + " relative");
    }

    private static Model fit(Solver solver, Ratings ratings, AlsConfig config) {
        return new AlternatingLeastSquares(config.toBuilder().build(), solver).fit(ratings);
    }

    private static AlsConfig config(int rank, int iterations, String reg, double lambda, long seed) {
        return AlsConfig.plain().rank(rank).iterations(iterations).regularizer(reg).lambda(lambda).seed(seed)
                .init(Initialization.RANDOM).tolerance(0).threads(THREADS).build();
    }

    /** {@code max |a - b| / max |b|} over all entries. */
    static double relativeDifference(FactorMatrix a, FactorMatrix b) {
        assertEquals(b.rows(), a.rows());
        assertEquals(b.rank(), a.rank());
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < b.data().length; i++) {
            diff = Math.max(diff, Math.abs(a.data()[i] - b.data()[i]));
            scale = Math.max(scale, Math.abs(b.data()[i]));
        }
        return diff / scale;
    }

    /** The same measure over every (user, item) prediction, rated or not. */
    private static double predictionDifference(Model a, Model b, Ratings ratings) {
        double diff = 0;
        double scale = 0;
        for (int u = 0; u < ratings.numUsers(); u++) {
            for (int i = 0; i < ratings.numItems(); i++) {
                double want = b.predictIndex(u, i);
                diff = Math.max(diff, Math.abs(a.predictIndex(u, i) - want));
                scale = Math.max(scale, Math.abs(want));
            }
        }
        return diff / scale;
    }
}
