package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.Initialization;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.conformance.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bit-identical factors for 1, 2 and 8 threads at the ranks the kit does not reach (it stops
 * at 12), where every row goes through dsyrk and a blocked LAPACK factorisation.
 */
class ThreadCountDeterminismTest {

    @ParameterizedTest(name = "rank {0}")
    @ValueSource(ints = {32, 64, 128})
    void generatedProblem(int rank) {
        assertSameForEveryThreadCount(Problems.ratings(400, 150, 0.3, rank), rank, 2);
    }

    @Test
    void movieLens100k() {
        assertSameForEveryThreadCount(MovieLensFiles.read(MovieLensFiles.ML_100K), 48, 2);
    }

    private static void assertSameForEveryThreadCount(Ratings ratings, int rank, int iterations) {
        Model reference = null;
        for (int threads : new int[] {1, 2, 8}) {
            AlsConfig config = AlsConfig.plain().rank(rank).iterations(iterations).regularizer("weighted").lambda(0.1)
                    .seed(3).init(Initialization.RANDOM).threads(threads).build();
            Model m = new AlternatingLeastSquares(config, new Nd4jSolver()).fit(ratings);
            if (reference == null) {
                reference = m;
            } else {
                assertArrayEquals(reference.userFactors().data(), m.userFactors().data(), 0.0, threads + " threads, users");
                assertArrayEquals(reference.itemFactors().data(), m.itemFactors().data(), 0.0, threads + " threads, items");
            }
        }
    }
}
