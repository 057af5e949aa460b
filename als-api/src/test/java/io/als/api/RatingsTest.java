package io.als.api;

import io.als.spi.SparseView;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RatingsTest {

    @Test
    void idsAreSortedSoLineOrderDoesNotMatter() {
        Ratings a = Ratings.builder().add(30, 7, 1).add(10, 9, 2).add(20, 7, 3).build();
        Ratings b = Ratings.builder().add(20, 7, 3).add(30, 7, 1).add(10, 9, 2).build();
        assertEquals(a, b);
        assertEquals("10", a.userIds().idAt(0));
        assertEquals(2, a.userIds().indexOf(30));
        assertEquals(-1, a.userIds().indexOf(31));
    }

    @Test
    void csrAndCscHoldTheSameEntries() {
        Ratings r = Ratings.builder().add(1, 1, 5).add(1, 3, 4).add(2, 2, 3).add(2, 3, 2).build();
        SparseView byUser = r.byUser();
        assertArrayEquals(new int[] {0, 2, 4}, byUser.pointersCopy());
        assertArrayEquals(new int[] {0, 2, 1, 2}, byUser.indicesCopy());
        SparseView byItem = r.byItem();
        assertArrayEquals(new int[] {0, 1, 2, 4}, byItem.pointersCopy());
        assertArrayEquals(new int[] {0, 1, 0, 1}, byItem.indicesCopy());
        assertArrayEquals(new double[] {5, 3, 4, 2}, byItem.valuesCopy(), 0);
    }

    @Test
    void stringIdsWorkAndANonNumericIdSwitchesTheWholeAxis() {
        Ratings r = Ratings.builder().add("7", "x", 1).add("alice", "y", 2).build();
        assertEquals(false, r.userIds().isNumeric());
        assertEquals(0, r.userIds().indexOf("7"));
        assertEquals(1, r.userIds().indexOf("alice"));
        // Zero-padded text is not a number's canonical form, so it stays a distinct string id.
        Ratings padded = Ratings.builder().add("007", "1", 1).add("7", "1", 2).build();
        assertEquals(2, padded.numUsers());
    }

    @Test
    void nonFiniteRatingsAreRejectedWithTheirLine() {
        Ratings.Builder b = Ratings.builder().source("r.csv");
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> b.add(1, 1, Double.NaN, 12));
        assertEquals("r.csv:12: rating must be finite but was NaN", e.getMessage());
        assertEquals(12, e.line());
        assertThrows(RatingsInputException.class, () -> b.add(1, 1, Double.POSITIVE_INFINITY));
    }

    @Test
    void emptyInputIsRejected() {
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> Ratings.builder().source("x").build());
        assertTrue(e.getMessage().startsWith("x: ratings must not be empty"), e.getMessage());
    }

    @Test
    void duplicatesAreAnErrorByDefaultNamingBothLines() {
        Ratings.Builder b = Ratings.builder().source("u.data").add(1, 2, 3, 5).add(4, 4, 1, 6).add(1, 2, 4, 9);
        RatingsInputException e = assertThrows(RatingsInputException.class, b::build);
        assertEquals("u.data:9: duplicate rating for user 1, item 2 (first rated on line 5);"
                + " choose how to merge repeats with --duplicates last|mean (ratings) or sum (implicit counts)", e.getMessage());
    }

    @Test
    void duplicatesLastKeepsTheLaterLineAndMeanAverages() {
        Ratings last = Ratings.builder().duplicates(DuplicatePolicy.LAST)
                .add(1, 2, 3).add(1, 1, 5).add(1, 2, 4).add(1, 2, 1).build();
        assertEquals(2, last.size());
        assertArrayEquals(new double[] {5, 1}, last.byUser().valuesCopy(), 0);
        Ratings mean = Ratings.builder().duplicates(DuplicatePolicy.MEAN)
                .add(1, 2, 3).add(1, 1, 5).add(1, 2, 4).add(1, 2, 2).add(2, 2, 1).build();
        assertArrayEquals(new double[] {5, 3, 1}, mean.byUser().valuesCopy(), 0);
        // SUM counts events: pair (1,2) three times (1 + 1 + 2), the others once; the range is of the sums.
        Ratings sum = Ratings.builder().duplicates(DuplicatePolicy.SUM)
                .add(1, 2, 1).add(1, 1, 1).add(1, 2, 1).add(1, 2, 2).add(2, 2, 1).build();
        assertArrayEquals(new double[] {1, 4, 1}, sum.byUser().valuesCopy(), 0);
        assertArrayEquals(new double[] {1, 4}, sum.range(), 0);
        assertEquals(DuplicatePolicy.SUM, DuplicatePolicy.parse(" Sum "));
    }

    @Test
    void theRangeIsOfTheKeptValuesNotOfTheLinesRead() {
        // The builder finds the range in its own pass; repeats merged away must not count.
        // LAST drops the 1 and the 9 of pair (1,2): kept 5 and 4.
        Ratings last = Ratings.builder().duplicates(DuplicatePolicy.LAST)
                .add(1, 2, 1).add(1, 1, 5).add(1, 2, 9).add(1, 2, 4).build();
        assertArrayEquals(new double[] {4, 5}, last.range(), 0);
        // MEAN turns 1 and 9 into 5, beside a 2 and a 6: kept 6, 5 and 2.
        Ratings mean = Ratings.builder().duplicates(DuplicatePolicy.MEAN)
                .add(1, 1, 6).add(1, 2, 1).add(1, 2, 9).add(2, 2, 2).build();
        assertArrayEquals(new double[] {2, 6}, mean.range(), 0);
        // The same as a view's own range (Ratings.of finds it on first use), and a copy each time.
        Ratings same = Ratings.of(mean.byUser());
        assertArrayEquals(mean.range(), same.range(), 0);
        same.range()[0] = -100;
        assertArrayEquals(new double[] {2, 6}, same.range(), 0);
        assertArrayEquals(new double[] {2, 6}, mean.withSource("renamed").range(), 0);
    }

    @Test
    void transposeTwiceIsIdentity() {
        SparseView v = SparseView.copyOf(2, 3, new int[] {0, 2, 3}, new int[] {0, 2, 1}, new double[] {1, 2, 3});
        assertEquals(v, v.transpose().transpose());
    }

    @Test
    void copyOfRejectsUnsortedColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparseView.copyOf(1, 3, new int[] {0, 2}, new int[] {2, 1}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
    }
}
