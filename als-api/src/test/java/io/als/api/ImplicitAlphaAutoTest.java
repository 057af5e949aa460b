package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An implicit fit's alpha chosen from the data ({@link AlsConfig#alphaAuto()}): the configured
 * alpha over the mean positive value, so that the unit of the values does not matter.
 */
class ImplicitAlphaAutoTest {

    /** 30 users, 20 items, values 1 to 5 times {@code scale}, a few zeros (no preference). */
    private static Ratings data(double scale) {
        SplittableRandom rnd = new SplittableRandom(9);
        Ratings.Builder b = Ratings.builder();
        for (int u = 1; u <= 30; u++) {
            for (int i = 1; i <= 20; i++) {
                if (rnd.nextInt(4) == 0 || i == u % 20 + 1) {
                    b.add(u, i, rnd.nextInt(8) == 0 ? 0 : scale * (1 + rnd.nextInt(5)));
                }
            }
        }
        return b.build();
    }

    private static Model fit(AlsConfig c, Ratings r) {
        return new AlternatingLeastSquares(c, new EliminationSolver()).fit(r, FitListener.NONE);
    }

    @Test
    void theDefaultIsAutoForALinearConfidenceOnly() {
        assertTrue(AlsConfig.builder().implicit(true).build().alphaAuto());
        assertFalse(AlsConfig.builder().implicit(true).alpha(0.5).build().alphaAuto());
        assertTrue(AlsConfig.builder().implicit(true).alpha(2).alphaAuto().build().alphaAuto());
        assertTrue(AlsConfig.builder().implicit(true).set("alpha", "AUTO").build().alphaAuto());
        assertFalse(AlsConfig.builder().implicit(true).set("alpha", "0.3").build().alphaAuto());
        assertFalse(AlsConfig.builder().implicit(true).confidence(ImplicitFeedback.Confidence.LOG).build().alphaAuto());
        assertFalse(AlsConfig.builder().implicit(true).confidence(ImplicitFeedback.Confidence.BM25).build().alphaAuto());
        assertFalse(AlsConfig.builder().build().alphaAuto());
        AlsConfig auto = AlsConfig.builder().implicit(true).build();
        assertEquals(auto, auto.toBuilder().build());
        AlsConfig given = AlsConfig.builder().implicit(true).alpha(0.7).build();
        assertEquals(given, given.toBuilder().build());
    }

    @Test
    void alphaIsTheTargetOverTheMeanPositiveValueAndTheModelRecordsIt() {
        Ratings r = data(1);
        double sum = 0;
        int positive = 0;
        for (int e = 0; e < r.byUser().nnz(); e++) {
            if (r.byUser().value(e) > 0) {
                sum += r.byUser().value(e);
                positive++;
            }
        }
        double chosen = 0.5 / (sum / positive);
        AlsConfig base = AlsConfig.builder().implicit(true).rank(3).iterations(3).threads(1).build();
        Model auto = fit(base, r);
        Model given = fit(base.toBuilder().alpha(chosen).build(), r);
        assertEquals(chosen, auto.trainingInfo().orElseThrow().implicit().alpha());
        assertArrayEquals(given.userFactors().data(), auto.userFactors().data());
        assertArrayEquals(given.itemFactors().data(), auto.itemFactors().data());
    }

    @Test
    void valuesInAnotherUnitGiveTheSameModel() {
        // Values times 4 (a power of 2, so every product rounds alike): the same confidences.
        AlsConfig base = AlsConfig.builder().implicit(true).rank(3).iterations(3).threads(1).build();
        Model ones = fit(base, data(1));
        Model fours = fit(base, data(4));
        assertArrayEquals(ones.userFactors().data(), fours.userFactors().data());
        assertArrayEquals(ones.itemFactors().data(), fours.itemFactors().data());
        // With alpha given, the unit matters.
        AlsConfig fixed = base.toBuilder().alpha(0.5).build();
        assertFalse(java.util.Arrays.equals(fit(fixed, data(1)).userFactors().data(),
                fit(fixed, data(4)).userFactors().data()));
    }
}
