package io.als.eval.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Ratings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingProtocolTest {
    /**
     * 25 ratings. User 1 rates items 1..10 (5 for odd items, 2 for even ones) at times 100 + item;
     * user 2 rates items 1..3 with 5 at 200 + item; user 3 rates item 11 with 1 at 50; user 4
     * rates items 1..11 with 4 at time = item.
     */
    private static Positives data(double threshold) {
        Ratings.Builder b = Ratings.builder();
        for (int j = 1; j <= 10; j++) {
            b.add(1, j, j % 2 == 1 ? 5 : 2);
        }
        for (int j = 1; j <= 3; j++) {
            b.add(2, j, 5);
        }
        b.add(3, 11, 1);
        for (int j = 1; j <= 11; j++) {
            b.add(4, j, 4);
        }
        Ratings r = b.build();
        // Canonical order: by user, then item index (items 1..11 are indices 0..10).
        long[] times = new long[r.size()];
        int e = 0;
        for (int j = 1; j <= 10; j++) {
            times[e++] = 100 + j;
        }
        for (int j = 1; j <= 3; j++) {
            times[e++] = 200 + j;
        }
        times[e++] = 50;
        for (int j = 1; j <= 11; j++) {
            times[e++] = j;
        }
        return Double.isNaN(threshold) ? Positives.all(r, times) : Positives.atLeast(r, times, threshold);
    }

    @Test
    void withoutAThresholdValuesOfZeroAreNoPositives() {
        // Found in a new-user trial: cv without --threshold held out 0s (no preference) as positives.
        Ratings.Builder b = Ratings.builder();
        b.add(1, 1, 3);
        b.add(1, 2, 0);
        b.add(1, 3, 1);
        b.add(2, 2, 0);
        b.add(3, 3, 2);
        Positives p = Positives.aboveZero(b.build(), new long[] {10, 20, 30, 40, 50});
        assertEquals(3, p.ratings().size());
        assertEquals(2, p.ratings().numUsers(), "user 2 had only a 0");
        assertArrayEquals(new long[] {10, 30, 50}, p.times());
        // Data without a 0 is taken whole, the same object.
        Ratings whole = data(Double.NaN).ratings();
        assertSame(whole, Positives.aboveZero(whole, null).ratings());
        Ratings.Builder zeros = Ratings.builder();
        zeros.add(1, 1, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Positives.aboveZero(zeros.build(), null));
        assertEquals("no positive: every value is 0 or less (a 0 records no preference)", e.getMessage());
    }

    @Test
    void thresholdDropsRatingsBelowItTimesFollow() {
        Positives p = data(4);
        // User 1 keeps items 1,3,5,7,9; user 2 all three; user 3 nothing; user 4 all 11.
        assertEquals(19, p.ratings().size());
        assertEquals(3, p.ratings().numUsers());
        assertArrayEquals(new long[] {101, 103, 105, 107, 109, 201, 202, 203, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                p.times());
        assertThrows(IllegalArgumentException.class, () -> data(6));
    }

    @Test
    void holdoutTakesAFractionOfEligibleUsersOnly() {
        Positives p = data(Double.NaN);
        // min positives 4: users 1 (10 positives) and 4 (11) are eligible; round(0.3 n) = 3 each.
        RankingSplit s = new RankingProtocol(RankingProtocol.Kind.HOLDOUT, 0.3, 2, 4, 7).splits(p).get(0);
        assertEquals(6, s.testPositives() + s.coldItems());
        assertEquals(25 - 6, s.train().size());
        assertEquals(0, s.unevaluated());
        // Seeded: the same seed, the same split.
        RankingSplit again = new RankingProtocol(RankingProtocol.Kind.HOLDOUT, 0.3, 2, 4, 7).splits(p).get(0);
        assertArrayEquals(s.relevant()[0], again.relevant()[0]);
        // With min positives 1 (so 2), user 2 (3 positives) holds out round(0.9) = 1 too; user 3 (1 positive) none.
        RankingSplit low = new RankingProtocol(RankingProtocol.Kind.HOLDOUT, 0.3, 2, 1, 7).splits(p).get(0);
        assertEquals(7, low.testPositives() + low.coldItems());
    }

    /** Users have at most 11 positives: a minimum of 12 leaves no one to evaluate, and says so. */
    @Test
    void aMinimumNoUserReachesIsNamedWithTheMostAnyUserHas() {
        Positives p = data(Double.NaN);
        for (RankingProtocol.Kind kind : RankingProtocol.Kind.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RankingProtocol(kind, 0.2, 2, 12, 1).splits(p));
            assertEquals("no user has the 12 positives an evaluated user needs (min positives 12; at least 2, so that"
                    + " one stays in training): the most any user has is 11", e.getMessage());
        }
    }

    @Test
    void kFoldHoldsOutEveryEligiblePositiveOnce() {
        Positives p = data(Double.NaN);
        List<RankingSplit> folds = new RankingProtocol(RankingProtocol.Kind.KFOLD, 0.2, 3, 3, 1).splits(p);
        assertEquals(3, folds.size());
        int held = 0;
        for (RankingSplit s : folds) {
            held += s.testPositives() + s.coldItems();
            assertEquals(25, s.train().size() + s.testPositives() + s.coldItems());
            // The deal carries on across users: fold sizes differ by at most one (24 = 8 + 8 + 8).
            assertEquals(8, s.testPositives() + s.coldItems());
        }
        // Users 1, 2 and 4 are eligible: 24 positives, each held out once; user 3's never.
        assertEquals(24, held);
    }

    @Test
    void leaveLastOutHoldsOutEachUsersLatest() {
        Positives p = data(Double.NaN);
        RankingSplit s = new RankingProtocol(RankingProtocol.Kind.LAST, 0.2, 2, 2, 1).splits(p).get(0);
        // Latest: user 1's item 10 (110), user 2's item 3 (203), user 4's item 11 (11); user 3 has one positive.
        Set<String> held = new HashSet<>();
        for (int j = 0; j < s.users().length; j++) {
            held.add(s.train().userIds().idAt(s.users()[j]) + ":" + s.train().itemIds().idAt(s.relevant()[j][0]));
        }
        assertEquals(Set.of("1:10", "2:3", "4:11"), held);
    }

    @Test
    void timeSplitRemovesTheFutureFromTraining() {
        Positives p = data(Double.NaN);
        // 25 positives, round(0.25 * 25) = 6 latest: 203, 202, 201, 110, 109, 108; the cut is at 108.
        RankingSplit s = new RankingProtocol(RankingProtocol.Kind.TIME, 0.25, 2, 1, 1).splits(p).get(0);
        assertTrue(s.name().startsWith("time split at 108"), s.name());
        assertEquals(19, s.train().size());
        // User 2 has nothing left in training, so it is not evaluated; user 1 is, with items 8, 9, 10.
        assertEquals(3, s.unevaluated());
        assertEquals(1, s.users().length);
        assertEquals(3, s.relevant()[0].length);
    }

    @Test
    void timeProtocolsNeedTimes() {
        Positives p = data(Double.NaN);
        Positives untimed = Positives.all(p.ratings(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RankingProtocol(RankingProtocol.Kind.LAST, 0.2, 2, 1, 1).splits(untimed));
        assertTrue(e.getMessage().contains("needs the time"), e.getMessage());
        assertEquals(RankingProtocol.Kind.KFOLD, RankingProtocol.Kind.parse("kfold"));
        assertThrows(IllegalArgumentException.class, () -> RankingProtocol.Kind.parse("random"));
    }
}
