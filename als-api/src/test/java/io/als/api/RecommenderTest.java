package io.als.api;

import static io.als.api.RecommenderFixtures.bruteForce;
import static io.als.api.RecommenderFixtures.cosine;
import static io.als.api.RecommenderFixtures.model;
import static io.als.api.RecommenderFixtures.rated;
import static io.als.api.RecommenderFixtures.sideBySide;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import io.als.spi.MatrixProducts;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Top-N and similarity of {@link Recommender}, against full sorts of scores computed here. */
class RecommenderTest {

    private static Recommender recommender(Model m, int threads) {
        return new Recommender(m, MatrixProducts.JAVA, new EliminationSolver(), threads);
    }

    /** The brute-force list of user {@code u}: every item scored by the model, filtered, fully sorted. */
    private static TopN expected(Model m, int u, int n, IntPredicate keep) {
        return bruteForce(m.itemIds().size(), n, keep, i -> m.predictIndex(u, i));
    }

    @ParameterizedTest(name = "samples {0}, biased {1}")
    @CsvSource({"1, false", "1, true", "3, true", "2, false"})
    void manyUsersAtOnceEqualTheBruteForceAndTheOneUserPathForEveryThreadCount(int samples, boolean biased) {
        // More users than one block, so several blocks run on the threads.
        Model m = model(11, 2 * Recommender.BLOCK_ROWS + 37, 60, 4, samples, biased, false, 0.2);
        try (Recommender one = recommender(m, 1); Recommender three = recommender(m, 3)) {
            TopN[] all = one.recommendAll(7, RecommendOptions.DEFAULTS);
            assertArrayEquals(all, three.recommendAll(7, RecommendOptions.DEFAULTS));
            for (int u = 0; u < all.length; u++) {
                int user = u;
                assertEquals(expected(m, u, 7, i -> !rated(m, user, i)), all[u], "user " + u);
                assertEquals(all[u], three.recommend(u, 7, RecommendOptions.DEFAULTS));
            }
            // A chosen subset, in a chosen order with a repeat, gets the same lists.
            int[] some = {290, 5, 5, 129};
            TopN[] subset = three.recommendAll(some, 7, RecommendOptions.DEFAULTS);
            for (int q = 0; q < some.length; q++) {
                assertEquals(all[some[q]], subset[q]);
            }
        }
    }

    /**
     * Users for items (Spark's recommendForItemSubset): each item's list is the full sort of
     * every user's prediction for it, here from {@link Model#predictIndex}, with the item's
     * training users left out unless asked for; the same for one thread and three, and the same
     * scores, bit for bit, as the users' own item lists give.
     */
    @ParameterizedTest(name = "samples {0}, biased {1}, implicit {2}")
    @CsvSource({"1, false, false", "1, true, false", "3, true, false", "1, false, true"})
    void usersForItemsEqualTheBruteForceForEveryThreadCount(int samples, boolean biased, boolean implicit) {
        // More items than one block of queries, and a density that leaves some items with few users.
        Model m = model(17, 90, 2 * Recommender.BLOCK_ROWS + 11, 4, samples, biased, implicit, 0.15);
        int[] every = new int[m.itemIds().size()];
        java.util.Arrays.setAll(every, i -> i);
        try (Recommender one = recommender(m, 1); Recommender three = recommender(m, 3)) {
            TopN[] fresh = one.recommendUsers(every, 6, true);
            TopN[] all = one.recommendUsers(every, 6, false);
            assertArrayEquals(fresh, three.recommendUsers(every, 6, true));
            assertArrayEquals(all, three.recommendUsers(every, 6, false));
            TopN[] itemLists = one.recommendAll(m.itemIds().size(), RecommendOptions.builder()
                    .excludeTraining(false).build());
            for (int i = 0; i < every.length; i++) {
                int item = i;
                assertEquals(bruteForce(m.userIds().size(), 6, u -> !rated(m, u, item), u -> m.predictIndex(u, item)),
                        fresh[i], "item " + i);
                assertEquals(bruteForce(m.userIds().size(), 6, u -> true, u -> m.predictIndex(u, item)), all[i],
                        "item " + i);
                // A user at the top of an item's list scores it as that user's own list does.
                int u = all[i].index(0);
                int at = java.util.Arrays.stream(itemLists[u].indices()).boxed().toList().indexOf(i);
                assertEquals(all[i].score(0), itemLists[u].score(at), 0.0, "user " + u + ", item " + i);
            }
            // By id: the first item's list with user ids; an unknown item gives none.
            String id = m.itemIds().idAt(0);
            assertEquals(all[0].withIds(m.userIds()), three.recommendUsers(id, 6, false));
            assertEquals(List.of(), three.recommendUsers("no such item", 6, false));
            // A chosen subset, in a chosen order with a repeat, gets the same lists.
            int[] some = {200, 3, 3};
            TopN[] subset = three.recommendUsers(some, 6, true);
            for (int q = 0; q < some.length; q++) {
                assertEquals(fresh[some[q]], subset[q]);
            }
            assertEquals("item index must be in [0, " + every.length + ") but was " + every.length,
                    assertThrows(IllegalArgumentException.class,
                            () -> one.recommendUsers(new int[] {every.length}, 6, true)).getMessage());
            assertThrows(NullPointerException.class, () -> one.recommendUsers((String) null, 6, true));
        }
    }

    /**
     * With very many candidates (users for items on a model of 40,000 users), a worker's block
     * holds fewer queries, so that its scores stay within {@link Recommender#SCORES_PER_BLOCK};
     * the lists are still the full sorts, and the same for any thread count. (The memory itself
     * is not observed here; what fails without care is the blocks handed out disagreeing with the
     * workspace's size, which throws an index out of bounds, as checked by handing out blocks of
     * 128 again.)
     */
    @Test
    void manyCandidatesTakeSmallerBlocksWithTheSameLists() {
        Model m = model(23, 40_000, 300, 2, 1, false, false, 0.002);
        assertTrue(Recommender.SCORES_PER_BLOCK / 40_000 < Recommender.BLOCK_ROWS, "the blocks must shrink here");
        int[] every = new int[300];
        java.util.Arrays.setAll(every, i -> i);
        try (Recommender one = recommender(m, 1); Recommender two = recommender(m, 2)) {
            TopN[] lists = one.recommendUsers(every, 3, true);
            assertArrayEquals(lists, two.recommendUsers(every, 3, true));
            for (int i = 0; i < 300; i += 29) {
                int item = i;
                assertEquals(bruteForce(40_000, 3, u -> !rated(m, u, item), u -> m.predictIndex(u, item)), lists[i],
                        "item " + i);
            }
        }
    }

    /** Misuse names what is wrong: a closed recommender, null arguments, indices out of range. */
    @Test
    void misuseIsNamed() {
        Model m = model(3, 20, 30, 3, 1, true, false, 0.3);
        Recommender r = recommender(m, 2);
        assertEquals("user must not be null", assertThrows(NullPointerException.class,
                () -> r.recommend((String) null, 5, RecommendOptions.DEFAULTS)).getMessage());
        assertTrue(assertThrows(NullPointerException.class, () -> r.recommend(1, 5, null)).getMessage()
                .startsWith("options must not be null"));
        assertEquals("item must not be null", assertThrows(NullPointerException.class,
                () -> r.similarItems((String) null, 5, RecommendOptions.DEFAULTS)).getMessage());
        assertEquals("an id must not be null", assertThrows(NullPointerException.class,
                () -> m.predict(null, "101")).getMessage());
        assertEquals("an allowed item id must not be null", assertThrows(NullPointerException.class,
                () -> RecommendOptions.builder().allowItemIds((String) null)).getMessage());
        assertEquals("user index must be in [0, 20) and item index in [0, 30) but were 20 and 0",
                assertThrows(IndexOutOfBoundsException.class, () -> m.predictIndex(20, 0)).getMessage());
        Recommender.FoldedUser stray = new Recommender.FoldedUser(new double[3], 0, new int[] {30}, List.of());
        assertThrows(IndexOutOfBoundsException.class, () -> r.recommend(stray, 5, RecommendOptions.DEFAULTS));
        r.close();
        for (org.junit.jupiter.api.function.Executable after : List.<org.junit.jupiter.api.function.Executable>of(
                () -> r.recommendAll(5, RecommendOptions.DEFAULTS), () -> r.recommend(1, 5, RecommendOptions.DEFAULTS),
                () -> r.similarItems(1, 5, RecommendOptions.DEFAULTS), () -> r.similarUsers(1, 5),
                () -> r.recommendUsers(new int[] {1}, 5, true),
                () -> r.foldIn(List.of(new Recommender.Interaction("101", 4))),
                () -> r.update(List.of(new Recommender.Feedback(m.userIds().idAt(0), "101", 4))))) {
            assertEquals("this Recommender is closed", assertThrows(IllegalStateException.class, after).getMessage());
        }
    }

    /**
     * More threads than a recommender uses (4 per processor) are capped, and its workers are
     * as many as its workspaces: a trial found 100 threads made 8 workspaces but 100 workers,
     * and many users' lists failed with an index of 8 out of bounds.
     */
    @Test
    void moreThreadsThanItUsesGiveTheSameLists() {
        // Blocks of 128 rows: 40 of users and 12 of items, more than the workspaces, so that
        // workers numbered past them get work.
        Model m = model(5, 5000, 1500, 4, 1, false, false, 0.01);
        int many = 4 * Runtime.getRuntime().availableProcessors() + 50;
        int[] items = new int[1500];
        java.util.Arrays.setAll(items, i -> i);
        try (Recommender one = recommender(m, 1); Recommender lots = recommender(m, many)) {
            assertEquals(4 * Runtime.getRuntime().availableProcessors(), lots.threads());
            assertEquals(java.util.Arrays.asList(one.recommendAll(5, RecommendOptions.DEFAULTS)),
                    java.util.Arrays.asList(lots.recommendAll(5, RecommendOptions.DEFAULTS)));
            assertEquals(java.util.Arrays.asList(one.similarItemsAll(items, 5, RecommendOptions.DEFAULTS)),
                    java.util.Arrays.asList(lots.similarItemsAll(items, 5, RecommendOptions.DEFAULTS)));
        }
    }

    @Test
    void theModelsOwnRecommendIsTheRecommendersDefault() {
        Model m = model(3, 20, 30, 3, 1, true, false, 0.3);
        try (Recommender r = recommender(m, 2)) {
            for (int u = 0; u < 20; u++) {
                String id = m.userIds().idAt(u);
                assertEquals(r.recommend(u, 5, RecommendOptions.DEFAULTS).withIds(m.itemIds()), m.recommend(id, 5));
                assertEquals(m.recommend(id, 5), r.recommend(id, 5, RecommendOptions.DEFAULTS));
            }
            assertEquals(List.of(), r.recommend("nobody", 5, RecommendOptions.DEFAULTS));
        }
    }

    @Test
    void excludingTrainingItemsCanBeSwitchedOff() {
        Model m = model(5, 10, 25, 3, 1, false, false, 0.4);
        RecommendOptions keep = RecommendOptions.builder().excludeTraining(false).build();
        try (Recommender r = recommender(m, 1)) {
            for (int u = 0; u < 10; u++) {
                int user = u;
                TopN with = r.recommend(u, 25, keep);
                assertEquals(expected(m, u, 25, i -> true), with);
                assertTrue(contains(with, i -> rated(m, user, i)), "rated items come back");
                TopN without = r.recommend(u, 25, RecommendOptions.DEFAULTS);
                assertTrue(!contains(without, i -> rated(m, user, i)), "rated items are left out");
            }
        }
    }

    @Test
    void anAllowListKeepsOnlyItsItemsByIndexAndById() {
        Model m = model(6, 8, 30, 3, 1, true, false, 0.2);
        // Indices 1, 4, 7 and the items with ids 120 and 125 (indices 20 and 25); an unknown id is ignored.
        RecommendOptions allow = RecommendOptions.builder().excludeTraining(false).allowItems(1, 4, 7)
                .allowItemIds("120", "125", "no-such-item").build();
        Set<Integer> allowed = Set.of(1, 4, 7, 20, 25);
        try (Recommender r = recommender(m, 2)) {
            for (int u = 0; u < 8; u++) {
                TopN got = r.recommend(u, 10, allow);
                assertEquals(expected(m, u, 10, allowed::contains), got);
                assertEquals(5, got.size());
            }
            RecommendOptions none = RecommendOptions.builder().allowItems().build();
            assertEquals(0, r.recommend(0, 10, none).size(), "an empty allow-list allows nothing");
            assertThrows(IllegalArgumentException.class,
                    () -> r.recommend(0, 3, RecommendOptions.builder().allowItems(30).build()));
        }
    }

    @Test
    void aDenyListRemovesItsItemsAndWinsOverTheAllowList() {
        Model m = model(7, 8, 30, 3, 1, false, false, 0.2);
        RecommendOptions deny = RecommendOptions.builder().excludeTraining(false).denyItems(0, 2)
                .denyItemIds(List.of("105")).build();
        RecommendOptions both = deny.toBuilder().allowItems(0, 1, 5, 6).build();
        try (Recommender r = recommender(m, 1)) {
            for (int u = 0; u < 8; u++) {
                assertEquals(expected(m, u, 30, i -> i != 0 && i != 2 && i != 5), r.recommend(u, 30, deny));
                assertEquals(expected(m, u, 30, i -> i == 1 || i == 6), r.recommend(u, 30, both));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> r.recommend(0, 3, RecommendOptions.builder().denyItems(-1).build()));
        }
    }

    @Test
    void itemsBelowTheMinimumSupportAreNeverRecommended() {
        Model m = model(8, 40, 30, 3, 1, true, false, 0.15);
        int[] support = new int[30];
        for (int i : m.ratedIndices()) {
            support[i]++;
        }
        int threshold = 6;
        RecommendOptions o = RecommendOptions.builder().minSupport(threshold).excludeTraining(false).build();
        try (Recommender r = recommender(m, 2)) {
            int filtered = 0;
            for (int i = 0; i < 30; i++) {
                assertEquals(support[i], r.support(i));
                filtered += support[i] < threshold ? 1 : 0;
            }
            assertTrue(filtered > 0 && filtered < 30, "the threshold must filter some items: " + filtered);
            for (int u = 0; u < 40; u++) {
                TopN got = r.recommend(u, 30, o);
                assertEquals(expected(m, u, 30, i -> support[i] >= threshold), got);
                assertNotEquals(r.recommend(u, 30, RecommendOptions.builder().excludeTraining(false).build()), got);
            }
        }
    }

    @Test
    void askingForMoreThanTheCatalogueGivesEveryEligibleItemAndZeroGivesNone() {
        Model m = model(9, 5, 12, 2, 1, false, false, 0.3);
        try (Recommender r = recommender(m, 1)) {
            for (int u = 0; u < 5; u++) {
                int user = u;
                TopN got = r.recommend(u, 1000, RecommendOptions.DEFAULTS);
                assertEquals(expected(m, u, 1000, i -> !rated(m, user, i)), got);
                int unrated = 12 - (m.ratedPointers()[u + 1] - m.ratedPointers()[u]);
                assertEquals(unrated, got.size());
                assertEquals(0, r.recommend(u, 0, RecommendOptions.DEFAULTS).size());
            }
            assertThrows(IllegalArgumentException.class, () -> r.recommend(0, -1, RecommendOptions.DEFAULTS));
            assertThrows(IllegalArgumentException.class, () -> r.recommend(5, 3, RecommendOptions.DEFAULTS));
        }
    }

    @Test
    void equalScoresAreOrderedByItemIndex() {
        // Items 0..5 all have the same vector, so every user scores them equally.
        FactorMatrix items = FactorMatrix.of(6, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        FactorMatrix users = FactorMatrix.of(2, 2, 0.5, -2, 3, 1);
        Model m = new Model(IdIndex.dense(2), IdIndex.dense(6), users, items, 0, new double[2], new double[6],
                new int[] {0, 1, 1}, new int[] {3});
        try (Recommender r = recommender(m, 1)) {
            assertArrayEquals(new int[] {0, 1, 2, 4}, r.recommend(0, 4, RecommendOptions.DEFAULTS).indices());
            assertArrayEquals(new int[] {0, 1, 2}, r.recommend(1, 3, RecommendOptions.DEFAULTS).indices());
        }
    }

    @ParameterizedTest(name = "samples {0}")
    @CsvSource({"1", "2"})
    void similarItemsRankByTheCosineOfTheFactorsWithoutTheQuery(int samples) {
        Model m = model(12, 10, 50, 3, samples, true, false, 0.2);
        try (Recommender r = recommender(m, 2)) {
            int[] queries = {0, 17, 49};
            TopN[] all = r.similarItemsAll(queries, 8, RecommendOptions.DEFAULTS);
            for (int q = 0; q < queries.length; q++) {
                int item = queries[q];
                double[] a = sideBySide(m, false, item);
                TopN want = bruteForce(50, 8, j -> j != item, j -> cosine(a, sideBySide(m, false, j)));
                assertArrayEquals(want.indices(), all[q].indices(), "item " + item);
                assertArrayEquals(want.scores(), all[q].scores(), 1e-12);
                assertEquals(all[q], r.similarItems(item, 8, RecommendOptions.DEFAULTS));
            }
            // The options' lists and support apply; the query never comes back.
            RecommendOptions deny = RecommendOptions.builder().denyItems(all[0].index(0)).build();
            TopN denied = r.similarItems(0, 8, deny);
            assertArrayEquals(java.util.Arrays.copyOfRange(all[0].indices(), 1, 8),
                    java.util.Arrays.copyOf(denied.indices(), 7));
            assertEquals(49, r.similarItems(3, 100, RecommendOptions.DEFAULTS).size());
            assertEquals(m.itemIds().idAt(all[1].index(0)),
                    r.similarItems(m.itemIds().idAt(17), 1, RecommendOptions.DEFAULTS).get(0).item());
        }
    }

    @Test
    void similarUsersRankByCosineAndZeroVectorsScoreZero() {
        Model m = model(13, 30, 10, 3, 1, false, false, 0.3);
        // Zero out user 4's factors: its cosine with everyone is 0.
        FactorMatrix users = m.userFactors();
        for (int c = 0; c < 3; c++) {
            users.set(4, c, 0);
        }
        Model z = new Model(m.userIds(), m.itemIds(), users, m.itemFactors(), 0, new double[30], new double[10],
                m.ratedPointers(), m.ratedIndices());
        try (Recommender r = recommender(z, 3)) {
            TopN[] all = r.similarUsersAll(new int[] {0, 4, 29}, 30);
            for (int q : new int[] {0, 2}) {
                int user = new int[] {0, 4, 29}[q];
                double[] a = sideBySide(z, true, user);
                TopN want = bruteForce(30, 30, j -> j != user, j -> cosine(a, sideBySide(z, true, j)));
                assertArrayEquals(want.indices(), all[q].indices());
                assertArrayEquals(want.scores(), all[q].scores(), 1e-12);
                for (double s : all[q].scores()) {
                    assertTrue(s >= -1 && s <= 1);
                }
            }
            // The zero user: 29 others, all with cosine 0, so in index order.
            assertEquals(29, all[1].size());
            for (int rnk = 0; rnk < 29; rnk++) {
                assertEquals(0.0, all[1].score(rnk));
                assertEquals(rnk < 4 ? rnk : rnk + 1, all[1].index(rnk));
            }
            assertEquals(all[0], r.similarUsers(0, 30));
            assertEquals(List.of(), r.similarUsers("nobody", 3));
        }
    }

    private static boolean contains(TopN t, IntPredicate p) {
        for (int i : t.indices()) {
            if (p.test(i)) {
                return true;
            }
        }
        return false;
    }
}
