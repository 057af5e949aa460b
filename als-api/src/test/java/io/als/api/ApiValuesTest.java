package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.SparseView;
import org.junit.jupiter.api.Test;

/** Small API values: id indexes, regularizers, training records, singular-system errors, ratings. */
class ApiValuesTest {

    @Test
    void numericIdsAreSortedLookedUpAndMustBeDistinct() {
        IdIndex ids = IdIndex.ofNumeric(30, -5, 7);
        assertEquals(3, ids.size());
        assertTrue(ids.isNumeric());
        assertEquals("-5", ids.idAt(0));
        assertEquals(30, ids.numericIdAt(2));
        assertEquals(1, ids.indexOf(7));
        assertEquals(2, ids.indexOf(" 30 "));
        assertEquals(-1, ids.indexOf(8));
        assertEquals(-1, ids.indexOf("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IdIndex.ofNumeric(4, 1, 4));
        assertEquals("ids must be distinct but 4 repeats", e.getMessage());
        assertEquals(IdIndex.ofNumeric(7, 30, -5), ids);
        assertEquals(IdIndex.ofNumeric(7, 30, -5).hashCode(), ids.hashCode());
        assertNotEquals(IdIndex.ofNumeric(7, 31, -5), ids);
        assertEquals(IdIndex.dense(3), IdIndex.ofNumeric(0, 1, 2));
        assertEquals(1, IdIndex.ofNumeric(5).size());
    }

    @Test
    void stringIdsAreSortedLookedUpAndMustBeDistinct() {
        IdIndex ids = IdIndex.ofStrings("b", "007", "a");
        assertFalse(ids.isNumeric());
        assertEquals("007", ids.idAt(0));
        assertEquals(2, ids.indexOf("b"));
        assertEquals(0, ids.indexOf("007"));
        assertEquals(-1, ids.indexOf("7"));
        assertEquals(-1, ids.indexOf(7));
        assertThrows(IllegalStateException.class, () -> ids.numericIdAt(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdIndex.ofStrings("x", "y", "x"));
        assertEquals("ids must be distinct but \"x\" repeats", e.getMessage());
        assertThrows(NullPointerException.class, () -> IdIndex.ofStrings("x", null));
        assertEquals(IdIndex.ofStrings("a", "b", "007").hashCode(), ids.hashCode());
        assertNotEquals(IdIndex.ofStrings("a", "b"), ids);
        assertNotEquals(IdIndex.ofNumeric(1, 2, 3), IdIndex.ofStrings("1", "2", "3"));
    }

    @Test
    void regularizersPenaliseAsNamed() {
        assertEquals(0.3, Regularizer.l2(0.3).penalty(10));
        assertEquals(3.0, Regularizer.weighted(0.3).penalty(10), 1e-15);
        assertEquals(0, Regularizer.none().penalty(10));
        assertEquals("l2(0.3)", Regularizer.l2(0.3).toString());
        assertEquals("weighted(0.3)", Regularizer.of("ALS-WR", 0.3).toString());
        assertEquals("none", Regularizer.of(" None ", 5).toString());
        Regularizer w = Regularizer.weighted(0.3).withLambda(2);
        assertEquals("weighted", w.name());
        assertEquals(8, w.penalty(4));
        Regularizer none = Regularizer.none();
        assertSame(none, none.withLambda(3), "none stays none");
        assertThrows(IllegalArgumentException.class, () -> Regularizer.l2(1).withLambda(-1));
        assertThrows(IllegalArgumentException.class, () -> Regularizer.of("ridge", 1));
    }

    @Test
    void aTrainingRecordAcceptsZeroCountsAndRefusesNegativeOnes() {
        RatingScale s = new RatingScale(1, 5);
        // Every count may be zero (a model fitted for zero iterations, with no samples, ...); the rank may not.
        new TrainingInfo("x", 1, "l2", 0.1, 0, 0, 1, Initialization.ONES, false, 0, 1, "in", 0, 0, 0, s);
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingInfo("x", 0, "l2", 0.1, 0, 0, 1, Initialization.ONES, false, 0, 1, "in", 0, 0, 0, s));
        int[][] negatives = {{-1, 0, 0, 0, 0, 0}, {0, -1, 0, 0, 0, 0}, {0, 0, -1, 0, 0, 0}, {0, 0, 0, -1, 0, 0},
            {0, 0, 0, 0, -1, 0}, {0, 0, 0, 0, 0, -1}};
        for (int[] n : negatives) {
            assertThrows(IllegalArgumentException.class, () -> new TrainingInfo("x", 1, "l2", 0.1, n[0], n[1], 1,
                    Initialization.ONES, false, n[2], 1, "in", n[3], n[4], n[5], s), java.util.Arrays.toString(n));
        }
    }

    @Test
    void aSingularSystemSaysWhatToChange() {
        SingularSystemException plain = new SingularSystemException(4, 3, 1, 0);
        assertEquals("normal equation of row 4 is singular: 3 unknowns, 1 rating(s), penalty 0.0; give it a penalty"
                + " (a --lambda above 0, e.g. 0.1, and a --regularizer other than none) or lower the rank", plain.getMessage());
        assertEquals(4, plain.row());
        assertEquals(3, plain.rank());
        assertEquals(1, plain.observations());
        assertEquals(0, plain.penalty());
        SingularSystemException named = new SingularSystemException(2, 5, 7, 0.25).named("user 17");
        assertEquals("normal equation of user 17 is singular: 5 unknowns, 7 rating(s), penalty 0.25; raise lambda",
                named.getMessage());
        assertEquals(0.25, named.penalty());
        assertEquals(5, named.rank());
        assertTrue(new SingularSystemException(0, 1, 1, Double.POSITIVE_INFINITY).getMessage()
                .endsWith("; lower lambda (lambda times the rating count overflowed)"));
    }

    @Test
    void ratingsOverGivenIdsMustMatchTheViewAndCountTheirBytes() {
        SparseView v = SparseView.copyOf(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1}, new double[] {1.5, 2, 3});
        Ratings r = Ratings.of(IdIndex.ofNumeric(10, 20), IdIndex.ofStrings("a", "b", "c"), v);
        assertEquals("c", r.itemIds().idAt(2));
        assertEquals(2, r.numUsers());
        // By user and by item: 3 + 3 + 3 ints and 3 doubles each; 48 bytes for the first, 4 * 4 + 12 + 24 = 52 for the second.
        assertEquals(48 + 52, r.bytes());
        assertThrows(IllegalArgumentException.class, () -> Ratings.of(IdIndex.ofNumeric(10), IdIndex.dense(3), v));
        assertThrows(IllegalArgumentException.class, () -> Ratings.of(IdIndex.dense(2), IdIndex.dense(2), v));
        Ratings same = Ratings.of(IdIndex.ofNumeric(10, 20), IdIndex.ofStrings("a", "b", "c"), v).withSource("f.csv");
        assertEquals(r, same);
        assertEquals(r.hashCode(), same.hashCode());
        assertNotEquals(r, Ratings.of(v));
    }
}
