package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.SparseView;
import org.junit.jupiter.api.Test;

/** {@link ImplicitFeedback.Confidence#BM25}: the weight itself, its counts and its settings. */
class ImplicitFeedbackBm25Test {

    private static ImplicitFeedback bm25(double alpha, double k1, double b) {
        return new ImplicitFeedback(alpha, ImplicitFeedback.Confidence.BM25, 1, 1, ImplicitFeedback.RowSolve.CG, 3, 1,
                k1, b);
    }

    @Test
    void theConfidenceIsOnePlusAlphaTimesTheBm25Weight() {
        // r 2 in a row of 3 entries against a mean of 4, item seen by 4 of 10 users, k1 1.2, b 0.75,
        // alpha 0.5: 1 + 0.5 * 2 * 2.2 / (1.2 * (0.25 + 0.75 * 3/4) + 2) * ln(10/4), computed with
        // Python's math module: 1.6775931462598794.
        ImplicitFeedback.Counts counts = new ImplicitFeedback.Counts(10, 4, new int[] {9, 4});
        assertEquals(1.6775931462598794, bm25(0.5, 1.2, 0.75).confidence(2, 3, 1, counts), 1e-15);
        // An item every user has seen weighs nothing: confidence 1, never below.
        assertEquals(1, bm25(0.5, 1.2, 0.75).confidence(2, 3, 0, new ImplicitFeedback.Counts(9, 4, new int[] {9})));
        // Without the counts it cannot be computed, and says so.
        assertThrows(IllegalStateException.class, () -> bm25(0.5, 1.2, 0.75).confidence(2));
    }

    @Test
    void countsComeFromTheUsersRowsOrAModelsRatedPattern() {
        // Users 0 {0, 2}, 1 {2}, 2 {1, 2}: mean row 5/3, items seen 1, 1 and 3 times.
        SparseView byUser = SparseView.copyOf(3, 3, new int[] {0, 2, 3, 5}, new int[] {0, 2, 2, 1, 2},
                new double[] {1, 1, 1, 1, 1});
        ImplicitFeedback.Counts c = ImplicitFeedback.Counts.of(byUser);
        assertEquals(3, c.users());
        assertEquals(5.0 / 3, c.meanUserEntries(), 1e-15);
        assertArrayEquals(new int[] {1, 1, 3}, c.itemEntries());
        ImplicitFeedback.Counts p = ImplicitFeedback.Counts.ofPattern(3, 3, new int[] {0, 2, 2, 1, 2});
        assertEquals(c.meanUserEntries(), p.meanUserEntries());
        assertArrayEquals(c.itemEntries(), p.itemEntries());
    }

    @Test
    void theWeightedViewsOfBothSidesAgreeEntryByEntry() {
        SparseView byUser = SparseView.copyOf(3, 3, new int[] {0, 2, 3, 5}, new int[] {0, 2, 2, 1, 2},
                new double[] {1, 4, 2, 3, 0});
        SparseView byItem = byUser.transpose();
        ImplicitFeedback f = bm25(2, 1.5, 0.5);
        ImplicitFeedback.Counts counts = ImplicitFeedback.Counts.of(byUser);
        SparseView u = f.weighted(byUser, ImplicitFeedback.EntryContext.rowsAreUsers(byUser), counts,
                e -> new IllegalStateException());
        SparseView i = f.weighted(byItem, ImplicitFeedback.EntryContext.rowsAreItems(byItem, byUser), counts,
                e -> new IllegalStateException());
        for (int user = 0; user < 3; user++) {
            for (int e = byUser.start(user); e < byUser.end(user); e++) {
                int item = byUser.index(e);
                int t = byItem.start(item);
                while (byItem.index(t) != user) {
                    t++;
                }
                assertEquals(u.value(e), i.value(t), "user " + user + ", item " + item);
                assertEquals(u.weight(e), i.weight(t));
                double want = byUser.value(e) == 0 ? 0 : f.confidence(byUser.value(e), byUser.count(user), item, counts);
                assertEquals(want, u.value(e));
            }
        }
        // A value of 0 is no preference: value and weight 0, as for the other confidences.
        assertEquals(0, u.value(4));
        assertEquals(0, u.weight(4));
        // The two-argument form has no counts to give.
        assertThrows(IllegalStateException.class, () -> f.weighted(byUser, e -> new IllegalStateException()));
    }

    @Test
    void settingsAreChecked() {
        String k1 = assertThrows(ConfigurationException.class, () -> bm25(1, 0, 0.5)).getMessage();
        assertTrue(k1.contains("bm25-k1"), k1);
        assertThrows(ConfigurationException.class, () -> bm25(1, Double.POSITIVE_INFINITY, 0.5));
        String b = assertThrows(ConfigurationException.class, () -> bm25(1, 1, 1.5)).getMessage();
        assertTrue(b.contains("bm25-b"), b);
        assertThrows(ConfigurationException.class, () -> bm25(1, 1, Double.NaN));
        AlsConfig c = AlsConfig.builder().implicit(true).set("confidence", "BM25").set("bm25-k1", "50")
                .set("bm25-b", "0.3").build();
        assertEquals(ImplicitFeedback.Confidence.BM25, c.implicit().confidence());
        assertEquals(50, c.implicit().bm25K1());
        assertEquals(0.3, c.implicit().bm25B());
        assertEquals(c.implicit(), c.toBuilder().build().implicit());
        assertEquals(ImplicitFeedback.BM25_K1, AlsConfig.builder().implicit(true).build().implicit().bm25K1());
    }
}
