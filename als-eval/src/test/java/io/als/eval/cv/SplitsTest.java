package io.als.eval.cv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Ratings;
import io.als.spi.SparseView;
import io.als.eval.data.SyntheticRatings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final Ratings DATA = SyntheticRatings.generate(
            new SyntheticRatings.Spec(200, 150, 6000, 3, 0.8, 5)).ratings();

    /** Every rating, keyed "user/item" by external id, with its value. */
    private static Map<String, Double> entries(Ratings r) {
        Map<String, Double> out = new HashMap<>();
        SparseView v = r.byUser();
        for (int u = 0; u < v.rows(); u++) {
            for (int e = v.start(u); e < v.end(u); e++) {
                out.put(r.userIds().idAt(u) + "/" + r.itemIds().idAt(v.index(e)), v.value(e));
            }
        }
        return out;
    }

    /** The test ratings of a split keyed by external id, resolved through the full data's ids. */
    private static Map<String, Double> testEntries(Split s, Ratings full) {
        Map<String, Double> out = new HashMap<>();
        TestRatings t = s.test();
        // Cold entries have no training index; the caller accounts for them by elimination.
        for (int e = 0; e < t.size(); e++) {
            if (!t.cold(e)) {
                out.put(s.train().userIds().idAt(t.user(e)) + "/" + s.train().itemIds().idAt(t.item(e)), t.rating(e));
            }
        }
        return out;
    }

    @Test
    void kFoldPutsEveryRatingInExactlyOneTestFold() {
        int k = 5;
        int[] fold = Splits.foldOf(DATA.size(), k, 11);
        int[] sizes = new int[k];
        for (int f : fold) {
            sizes[f]++;
        }
        for (int f = 0; f < k; f++) {
            // 6000 ratings dealt round-robin into 5 folds: 1200 each.
            assertEquals(DATA.size() / k, sizes[f], "fold " + f);
        }
        List<Split> splits = Splits.kFold(DATA, k, 11);
        Map<String, Double> all = entries(DATA);
        int testTotal = 0;
        Map<String, Integer> timesInTest = new HashMap<>();
        for (Split s : splits) {
            testTotal += s.test().size();
            Map<String, Double> train = entries(s.train());
            assertEquals(DATA.size(), train.size() + s.test().size(), s.name());
            // Training ratings are the full data's, unchanged, and none of them is in this test fold.
            for (Map.Entry<String, Double> e : train.entrySet()) {
                assertEquals(all.get(e.getKey()), e.getValue(), e.getKey());
            }
            for (Map.Entry<String, Double> e : testEntries(s, DATA).entrySet()) {
                assertEquals(all.get(e.getKey()), e.getValue(), e.getKey());
                assertTrue(!train.containsKey(e.getKey()), "in train and test: " + e.getKey());
                timesInTest.merge(e.getKey(), 1, Integer::sum);
            }
            // A rating missing from train is in test: the complement covers cold entries too.
            int missing = 0;
            for (String key : all.keySet()) {
                missing += train.containsKey(key) ? 0 : 1;
            }
            assertEquals(s.test().size(), missing, s.name());
        }
        assertEquals(DATA.size(), testTotal, "test folds add up to the data");
        for (int n : timesInTest.values()) {
            assertEquals(1, n);
        }
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        assertTrue(java.util.Arrays.equals(Splits.foldOf(1000, 4, 3), Splits.foldOf(1000, 4, 3)));
        assertTrue(!java.util.Arrays.equals(Splits.foldOf(1000, 4, 3), Splits.foldOf(1000, 4, 4)));
        assertEquals(Splits.kFold(DATA, 3, 9).get(1).test(), Splits.kFold(DATA, 3, 9).get(1).test());
    }

    @Test
    void coldEntriesAreThoseWhoseUserOrItemIsAbsentFromTraining() {
        for (Split s : Splits.kFold(DATA, 5, 2)) {
            TestRatings t = s.test();
            for (int e = 0; e < t.size(); e++) {
                assertTrue(t.user(e) >= -1 && t.user(e) < s.train().numUsers());
                assertTrue(t.item(e) >= -1 && t.item(e) < s.train().numItems());
            }
        }
        // A user whose only rating is in the test set is cold.
        Ratings tiny = Ratings.fromDense(new double[][] {{5, 3}, {Double.NaN, 4}});
        boolean[] mask = {false, false, true};
        Split s = Splits.cut(tiny, mask, "user 1's only rating held out");
        assertEquals(1, s.train().numUsers());
        assertEquals(1, s.test().size());
        assertEquals(-1, s.test().user(0));
        assertEquals(1, s.test().item(0), "item 1 is still known from user 0");
        assertEquals(1, s.test().coldCount());
    }

    @Test
    void holdoutTakesTheRoundedFraction() {
        Split s = Splits.holdout(DATA, 0.2, 1);
        assertEquals(1200, s.test().size());
        assertEquals(DATA.size() - 1200, s.train().size());
        assertNotEquals(Splits.holdout(DATA, 0.2, 1).test(), Splits.holdout(DATA, 0.2, 2).test());
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(DATA, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(DATA, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(DATA, 1, 1));
    }

    @Test
    void predefinedSplitsLookTestIdsUpInTheTrainingIds() {
        Ratings.Builder b = Ratings.builder();
        b.add("alice", "x", 5).add("alice", "y", 3).add("bob", "x", 4);
        Ratings train = b.build();
        Ratings.Builder t = Ratings.builder();
        t.add("bob", "y", 2).add("carol", "x", 1).add("alice", "z", 4);
        Split s = Splits.of("given", train, t.build());
        assertEquals(3, s.test().size());
        // Test entries come in the test set's canonical order: alice/z, bob/y, carol/x.
        assertEquals(train.userIds().indexOf("alice"), s.test().user(0));
        assertEquals(-1, s.test().item(0), "z is unknown");
        assertEquals(train.userIds().indexOf("bob"), s.test().user(1));
        assertEquals(train.itemIds().indexOf("y"), s.test().item(1));
        assertEquals(-1, s.test().user(2), "carol is unknown");
        assertEquals(2, s.test().coldCount());
    }
}
