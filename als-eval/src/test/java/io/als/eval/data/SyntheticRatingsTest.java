package io.als.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Ratings;
import io.als.spi.SparseView;
import java.util.Arrays;
import io.als.internal.Gaussians;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticRatingsTest {

    @Test
    void theDefaultHasMovieLens100kShapeAndScale() {
        SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Spec.DEFAULT);
        Ratings r = s.ratings();
        assertEquals(100_000, r.size());
        assertEquals(943, r.numUsers());
        assertTrue(r.numItems() <= 1682 && r.numItems() > 1500, "items " + r.numItems());
        assertEquals(new ObservedScale(1, 5, 1), ObservedScale.of(r));
        // Every user has at least 20 ratings, as in MovieLens 100K.
        SparseView byUser = r.byUser();
        for (int u = 0; u < byUser.rows(); u++) {
            assertTrue(byUser.count(u) >= 20, "user " + u + " has " + byUser.count(u));
        }
    }

    @Test
    void popularityIsSkewed() {
        Ratings r = SyntheticRatings.generate(SyntheticRatings.Spec.DEFAULT).ratings();
        int[] counts = new int[r.numItems()];
        SparseView byItem = r.byItem();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = byItem.count(i);
        }
        Arrays.sort(counts);
        int top = 0;
        for (int j = counts.length - counts.length / 10; j < counts.length; j++) {
            top += counts[j];
        }
        // With uniform popularity the top tenth of items would hold about a tenth of the ratings.
        assertTrue(top > 0.3 * r.size(), "top 10% of items hold " + top + " ratings");
        assertTrue(counts[counts.length / 2] < r.size() / r.numItems(), "the median item is below the mean");
    }

    @Test
    void theSameSpecGivesTheSameRatingsAndAnotherSeedOthers() {
        SyntheticRatings.Spec spec = new SyntheticRatings.Spec(300, 200, 9000, 4, 0.7, 3);
        assertEquals(SyntheticRatings.generate(spec).ratings(), SyntheticRatings.generate(spec).ratings());
        SyntheticRatings.Spec other = new SyntheticRatings.Spec(300, 200, 9000, 4, 0.7, 4);
        assertTrue(!SyntheticRatings.generate(spec).ratings().equals(SyntheticRatings.generate(other).ratings()));
    }

    @Test
    void withoutNoiseEveryRatingIsTheRoundedClippedScore() {
        SyntheticRatings s = SyntheticRatings.generate(new SyntheticRatings.Spec(100, 80, 3000, 3, 0, 9));
        Ratings r = s.ratings();
        SparseView v = r.byUser();
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                double t = s.plantedScore(r.userIds().numericIdAt(u), r.itemIds().numericIdAt(v.index(e)));
                assertEquals(Math.min(5, Math.max(1, Math.round(t))), v.value(e), 0.0);
            }
        }
        assertEquals(0, s.noiseFloor(), 0.0);
    }

    @Test
    void expectedRatingMatchesAMonteCarloEstimate() {
        // Independent check of E[clip(round(t + e))] by simulation: 400,000 draws give a standard
        // error near 1.2 / sqrt(400000) = 0.002, so 0.01 is five standard errors.
        SplittableRandom rnd = new SplittableRandom(1);
        for (double t : new double[] {0.2, 1.3, 2.5, 3.7, 4.9, 6}) {
            double sum = 0;
            int n = 400_000;
            for (int j = 0; j < n; j++) {
                double x = t + 0.9 * Gaussians.next(rnd);
                sum += Math.min(5, Math.max(1, Math.floor(x + 0.5)));
            }
            assertEquals(sum / n, SyntheticRatings.expectedRating(t, 0.9), 0.01, "t = " + t);
        }
        // Far outside the scale the expectation is the end of the scale.
        assertEquals(5, SyntheticRatings.expectedRating(20, 0.9), 1e-9);
        assertEquals(1, SyntheticRatings.expectedRating(-20, 0.9), 1e-9);
    }

    @Test
    void theNoiseFloorIsBelowTheNoiseAndThePlantedScoreRmse() {
        SyntheticRatings s = SyntheticRatings.generate(SyntheticRatings.Spec.DEFAULT);
        // E[r | t] is the best predictor given t, so it beats the clipped score itself.
        assertTrue(s.noiseFloor() < s.plantedScoreRmse(), s.noiseFloor() + " vs " + s.plantedScoreRmse());
        // Rounding adds variance 1/12 to the noise and clipping removes some: the floor is near 0.9.
        assertTrue(s.noiseFloor() > 0.8 && s.noiseFloor() < 0.95, "floor " + s.noiseFloor());
    }

    @Test
    void specsParseAndRejectBadValues() {
        SyntheticRatings.Spec d = SyntheticRatings.Spec.parse("synthetic");
        assertEquals(SyntheticRatings.Spec.DEFAULT, d);
        assertEquals(d, SyntheticRatings.Spec.parse(d.toString()));
        SyntheticRatings.Spec big = SyntheticRatings.Spec.parse("synthetic:ratings=1000000");
        // Users grow as ratings^0.8 and items as ratings^0.35 from the 100K shape.
        assertEquals(Math.round(943 * Math.pow(10, 0.8)), big.users());
        assertEquals(Math.round(1682 * Math.pow(10, 0.35)), big.items());
        assertEquals(25_000_000, SyntheticRatings.Spec.parse("synthetic:ratings=25_000_000").ratings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticRatings.Spec.parse("synthetic:ratings=lots"));
        assertTrue(e.getMessage().contains("ratings must be an integer but was 'lots'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyntheticRatings.Spec.parse("synthetic:colour=red"));
        assertTrue(e.getMessage().contains("[colour]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticRatings.Spec.parse("synthetic:users=10,items=10,ratings=100"));
        assertTrue(e.getMessage().contains("at most 60"), e.getMessage());
    }

    @Test
    void hugeCountsAreRejectedWithTheirRealBounds() {
        // Users derived from 10^14 ratings used to overflow an int: "between users (2060640917) and 30000000".
        for (String spec : new String[] {"synthetic:ratings=99999999999999", "synthetic:ratings=30000001",
            "synthetic:ratings=0", "synthetic:ratings=-5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SyntheticRatings.Spec.parse(spec));
            assertTrue(e.getMessage().startsWith("ratings must be between 1 and 30000000 but was "), e.getMessage());
        }
        // An explicit count beyond an int no longer wraps around (5000000000 was read as 705032704).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticRatings.Spec.parse("synthetic:users=5000000000"));
        assertEquals("synthetic users must be between 1 and 2147483647 but was 5000000000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticRatings.Spec.parse("synthetic:users=40000000,ratings=100000"));
        assertEquals("ratings must be at least users (40000000), one each, but was 100000", e.getMessage());
        assertEquals(30_000_000, SyntheticRatings.Spec.parse("synthetic:ratings=30000000").ratings());
    }
}
