package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The accuracy targets of docs/accuracy.md, asserted with a small margin through the command
 * line, on real MovieLens data read from ../shared at run time (missing data fails the test
 * with how to get it) and on the synthetic set, whose noise floor is known.
 */
class AccuracyTest {
    /**
     * The documented accuracy settings (docs/accuracy.md): biased ALS, then averaged posterior
     * samples, every one kept, with a fixed lambda and noise.
     */
    static final String[] SAMPLED = {"--biased", "true", "--regularizer", "l2", "--lambda", "4", "--iterations", "10",
        "--noise", "1.0", "--compress", "false", "--seed", "42", "--threads", "2", "--json", "--quiet"};

    private static String[] with(String[] tail, String... head) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    @Test
    void movieLens100kFiveFoldRmseIsAtMost091() {
        // Target 0.900; docs/accuracy.md measured 0.8974 with exactly this command (0.8977 before the random streams were split).
        MainTest.Run r = MainTest.run(with(SAMPLED, "cv", "--data", SharedData.require(SharedData.ML_100K).toString(),
                "--folds", "5", "--rank", "10", "--samples", "200"));
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        assertTrue(rmse <= 0.91, "ML-100K 5-fold RMSE " + rmse);
        assertEquals(100_000, CvCommandTest.number(r.out(), "n_ratings"), 0.0);
    }

    @Test
    void movieLens100kFiveFoldRmseWithTheDefaultsIsAtMost0905() {
        // No training flags at all: the defaults (docs/accuracy.md, Defaults: 0.8994).
        MainTest.Run r = MainTest.run("cv", "--data", SharedData.require(SharedData.ML_100K).toString(), "--json",
                "--quiet");
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        assertTrue(rmse <= 0.905, "ML-100K 5-fold RMSE with the defaults " + rmse);
        assertEquals(5, CvCommandTest.number(r.out(), "folds"), 0.0);
    }

    @Test
    void movieLens1mHoldoutRmseWithTheDefaultsIsAtMost085() {
        // The defaults' full 5-fold run on ML-1M (0.8437, the target being 0.845) takes about 3.5
        // minutes on two cores; CI runs one seeded 20% holdout with the defaults instead.
        MainTest.Run r = MainTest.run("cv", "--data", SharedData.require(SharedData.ML_1M).toString(),
                "--holdout", "0.2", "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        assertTrue(rmse <= 0.85, "ML-1M holdout RMSE " + rmse);
        assertEquals(1_000_209, CvCommandTest.number(r.out(), "n_ratings"), 0.0);
    }

    @Test
    void movieLens1mImplicitDefaultsReachNdcgAt10Of0331() {
        // Issue 14's protocol: ratings >= 4 as positives, a seeded per-user 80/20 split of users
        // with at least 5 positives, only --implicit true for training. docs/accuracy.md measured
        // 0.3340 with exactly this command (the target, 0.331, is Spark MLlib's best of a grid);
        // popularity, computed by the same evaluation, is 0.1571.
        MainTest.Run r = MainTest.run("cv", "--data", SharedData.require(SharedData.ML_1M).toString(),
                "--implicit", "true", "--threshold", "4", "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        double ndcg = CvCommandTest.number(r.out(), "ndcg@10");
        assertTrue(ndcg >= 0.331, "ML-1M implicit NDCG@10 with the defaults " + ndcg);
        assertEquals(575_281, CvCommandTest.number(r.out(), "n_positives"), 0.0);
    }

    @Test
    void syntheticFiveFoldRmseIsWithinFivePercentOfTheNoiseFloor() {
        // 200 ratings per user and 400 per item, so estimation error is small next to the noise
        // (at ML-100K's sparser shape the same fit stays about 10% above the floor).
        MainTest.Run r = MainTest.run("cv", "--data", "synthetic:users=2000,items=1000,ratings=400000,rank=5",
                "--folds", "5", "--rank", "5", "--biased", "true", "--regularizer", "weighted", "--lambda", "0.05",
                "--samples", "0", "--iterations", "20",
                "--seed", "42", "--threads", "2", "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        double floor = CvCommandTest.number(r.out(), "noise_floor");
        // No predictor beats E[r | t] on average; far below it would mean the test ratings leaked.
        assertTrue(rmse >= 0.99 * floor, "rmse " + rmse + " below the floor " + floor);
        assertTrue(rmse <= 1.05 * floor, "rmse " + rmse + " is " + rmse / floor + " times the floor " + floor);
    }
}
