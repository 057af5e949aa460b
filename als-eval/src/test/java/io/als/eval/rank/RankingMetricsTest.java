package io.als.eval.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Two users worked by hand. User A: relevant {2, 5, 7}, ranked [5, 1, 7, 3, 9], hits at
 * places 1 and 3. User B: relevant {4}, ranked [1, 3, 4, 6, 8], a hit at place 3. The catalogue
 * has 10 items.
 */
class RankingMetricsTest {
    private static final int[][] RANKED = {{5, 1, 7, 3, 9}, {1, 3, 4, 6, 8}};
    private static final int[][] RELEVANT = {{2, 5, 7}, {4}};
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void perUserFiguresAtFive() {
        boolean[] a = RankingMetrics.hits(RANKED[0], RELEVANT[0]);
        assertArrayEquals(new boolean[] {true, false, true, false, false}, a);
        // 2 hits in 5 places.
        assertEquals(0.4, RankingMetrics.precision(a, 5), 1e-15);
        // 2 hits over min(5, 3) = 3 relevant.
        assertEquals(2.0 / 3, RankingMetrics.recall(a, 3, 5), 1e-15);
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG over 3 places = 1 + 1/log2(3) + 1/2 = 2.13093.
        assertEquals(1.5 / (1.5 + 1 / LOG2_3), RankingMetrics.ndcg(a, 3, 5), 1e-12);
        assertEquals(0.70392, RankingMetrics.ndcg(a, 3, 5), 1e-5);
        // AP = (P@1 + P@3) / min(5, 3) = (1 + 2/3) / 3 = 5/9.
        assertEquals(5.0 / 9, RankingMetrics.averagePrecision(a, 3, 5), 1e-15);
        assertEquals(1, RankingMetrics.hitRate(a, 5), 0.0);
        assertEquals(1, RankingMetrics.reciprocalRank(a, 5), 0.0);

        boolean[] b = RankingMetrics.hits(RANKED[1], RELEVANT[1]);
        assertEquals(0.2, RankingMetrics.precision(b, 5), 1e-15);
        assertEquals(1, RankingMetrics.recall(b, 1, 5), 1e-15);
        // DCG = 1/log2(4) = 0.5, IDCG = 1.
        assertEquals(0.5, RankingMetrics.ndcg(b, 1, 5), 1e-15);
        // AP = P@3 / min(5, 1) = 1/3.
        assertEquals(1.0 / 3, RankingMetrics.averagePrecision(b, 1, 5), 1e-15);
        assertEquals(1.0 / 3, RankingMetrics.reciprocalRank(b, 5), 1e-15);
    }

    @Test
    void perUserFiguresAtTwo() {
        boolean[] a = RankingMetrics.hits(RANKED[0], RELEVANT[0]);
        // 1 hit in 2 places; recall over min(2, 3) = 2.
        assertEquals(0.5, RankingMetrics.precision(a, 2), 1e-15);
        assertEquals(0.5, RankingMetrics.recall(a, 3, 2), 1e-15);
        // DCG = 1; IDCG over 2 places = 1 + 1/log2(3) = 1.63093.
        assertEquals(1 / (1 + 1 / LOG2_3), RankingMetrics.ndcg(a, 3, 2), 1e-12);
        // AP = P@1 / min(2, 3) = 1/2.
        assertEquals(0.5, RankingMetrics.averagePrecision(a, 3, 2), 1e-15);
        boolean[] b = RankingMetrics.hits(RANKED[1], RELEVANT[1]);
        // B's hit is at place 3: nothing within 2.
        assertEquals(0, RankingMetrics.ndcg(b, 1, 2), 0.0);
        assertEquals(0, RankingMetrics.hitRate(b, 2), 0.0);
        assertEquals(0, RankingMetrics.reciprocalRank(b, 2), 0.0);
    }

    @Test
    void meansOverUsersAndCoverage() {
        RankingMetrics.Scores at5 = RankingMetrics.of(RANKED, RELEVANT, 5, 10);
        assertEquals(2, at5.users());
        assertEquals((0.4 + 0.2) / 2, at5.precision(), 1e-15);
        assertEquals((2.0 / 3 + 1) / 2, at5.recall(), 1e-15);
        assertEquals((1.5 / (1.5 + 1 / LOG2_3) + 0.5) / 2, at5.ndcg(), 1e-12);
        assertEquals((5.0 / 9 + 1.0 / 3) / 2, at5.map(), 1e-15);
        assertEquals(1, at5.hitRate(), 0.0);
        assertEquals((1 + 1.0 / 3) / 2, at5.mrr(), 1e-15);
        // Top 5s: {5,1,7,3,9} and {1,3,4,6,8}: 8 distinct items of 10.
        assertEquals(0.8, at5.coverage(), 1e-15);
        RankingMetrics.Scores at2 = RankingMetrics.of(RANKED, RELEVANT, 2, 10);
        assertEquals(0.5, at2.hitRate(), 0.0);
        assertEquals(0.5, at2.mrr(), 0.0);
        // Top 2s: {5,1} and {1,3}: 3 distinct items.
        assertEquals(0.3, at2.coverage(), 1e-15);
        assertEquals(at2.ndcg(), at2.get("ndcg"), 0.0);
    }

    @Test
    void aShortListCountsItsMissingPlacesAsMisses() {
        RankingMetrics.Scores s = RankingMetrics.of(new int[][] {{4}}, new int[][] {{4}}, 5, 6);
        assertEquals(0.2, s.precision(), 1e-15);
        assertEquals(1, s.recall(), 0.0);
        assertEquals(1, s.ndcg(), 0.0);
        assertEquals(1, s.map(), 0.0);
    }

    @Test
    void aUserWithoutRelevantItemsIsAMistake() {
        assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.of(new int[][] {{1}}, new int[][] {{}}, 1, 3));
    }
}
