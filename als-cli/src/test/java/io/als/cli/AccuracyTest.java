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
    /** The documented settings (docs/accuracy.md): biased ALS, then averaged posterior samples. */
    static final String[] SAMPLED = {"--biased", "true", "--regularizer", "l2", "--lambda", "4", "--iterations", "10",
        "--noise", "1.0", "--seed", "42", "--threads", "2", "--json", "--quiet"};

    private static String[] with(String[] tail, String... head) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    @Test
    void movieLens100kFiveFoldRmseIsAtMost091() {
        // Target 0.900; docs/accuracy.md measured 0.8977 with exactly this command.
        MainTest.Run r = MainTest.run(with(SAMPLED, "cv", "--data", SharedData.require(SharedData.ML_100K).toString(),
                "--folds", "5", "--rank", "10", "--samples", "200"));
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        assertTrue(rmse <= 0.91, "ML-100K 5-fold RMSE " + rmse);
        assertEquals(100_000, CvCommandTest.number(r.out(), "n_ratings"), 0.0);
    }

    @Test
    void movieLens1mHoldoutRmseIsAtMost085() {
        // Full 5-fold at the documented rank 20 with 200 samples took about 5 minutes on two
        // cores; CI runs one seeded 20% holdout at rank 10 with 60 samples instead
        // (docs/accuracy.md: 0.8440 with this command, against 0.8399 for the full setting).
        MainTest.Run r = MainTest.run(with(SAMPLED, "cv", "--data", SharedData.require(SharedData.ML_1M).toString(),
                "--holdout", "0.2", "--rank", "10", "--samples", "60"));
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        assertTrue(rmse <= 0.85, "ML-1M holdout RMSE " + rmse);
        assertEquals(1_000_209, CvCommandTest.number(r.out(), "n_ratings"), 0.0);
    }

    @Test
    void syntheticFiveFoldRmseIsWithinFivePercentOfTheNoiseFloor() {
        // 200 ratings per user and 400 per item, so estimation error is small next to the noise
        // (at ML-100K's sparser shape the same fit stays about 10% above the floor).
        MainTest.Run r = MainTest.run("cv", "--data", "synthetic:users=2000,items=1000,ratings=400000,rank=5",
                "--folds", "5", "--rank", "5", "--biased", "true", "--lambda", "0.05", "--iterations", "20",
                "--seed", "42", "--threads", "2", "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        double rmse = CvCommandTest.number(r.out(), "rmse_mean");
        double floor = CvCommandTest.number(r.out(), "noise_floor");
        // No predictor beats E[r | t] on average; far below it would mean the test ratings leaked.
        assertTrue(rmse >= 0.99 * floor, "rmse " + rmse + " below the floor " + floor);
        assertTrue(rmse <= 1.05 * floor, "rmse " + rmse + " is " + rmse / floor + " times the floor " + floor);
    }
}
