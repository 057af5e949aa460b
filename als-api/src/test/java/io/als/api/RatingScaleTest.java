package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The declared rating range: its checks, parsing, membership, clipping and printed form. */
class RatingScaleTest {

    @Test
    void aScaleMustBeFiniteAndOrdered() {
        assertThrows(IllegalArgumentException.class, () -> new RatingScale(Double.NaN, 5));
        assertThrows(IllegalArgumentException.class, () -> new RatingScale(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RatingScale(Double.NEGATIVE_INFINITY, 5));
        assertThrows(IllegalArgumentException.class, () -> new RatingScale(1, Double.POSITIVE_INFINITY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RatingScale(5, 1));
        assertTrue(e.getMessage().contains("5.0..1.0"), e.getMessage());
        // One level is a scale: min == max is allowed.
        RatingScale one = new RatingScale(3, 3);
        assertEquals(3, one.min());
        assertEquals(3, one.max());
    }

    @Test
    void parseReadsMinAndMaxAroundTheDots() {
        assertEquals(new RatingScale(1, 5), RatingScale.parse("1..5"));
        assertEquals(new RatingScale(0.5, 5), RatingScale.parse(" 0.5 .. 5 "));
        assertEquals(new RatingScale(-10, -2), RatingScale.parse("-10..-2"));
    }

    @Test
    void parseNamesTheTextItCannotRead() {
        for (String bad : new String[] {"1-5", "a..5", "1..b", "..5", "1..", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RatingScale.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> RatingScale.parse("5..1"));
    }

    @Test
    void containsIncludesBothEnds() {
        RatingScale s = new RatingScale(1, 5);
        assertTrue(s.contains(1));
        assertTrue(s.contains(5));
        assertTrue(s.contains(3.25));
        assertFalse(s.contains(Math.nextDown(1.0)));
        assertFalse(s.contains(Math.nextUp(5.0)));
        assertFalse(s.contains(Double.NaN));
    }

    @Test
    void clipMovesOnlyValuesOutsideTheRange() {
        RatingScale s = new RatingScale(1, 5);
        assertEquals(1, s.clip(0.2));
        assertEquals(1, s.clip(Math.nextDown(1.0)));
        assertEquals(5, s.clip(5.98));
        assertEquals(5, s.clip(Math.nextUp(5.0)));
        assertEquals(1, s.clip(1));
        assertEquals(5, s.clip(5));
        assertEquals(4.25, s.clip(4.25));
        assertEquals(Double.NaN, s.clip(Double.NaN));
        assertEquals(1, s.clip(Double.NEGATIVE_INFINITY));
        assertEquals(5, s.clip(Double.POSITIVE_INFINITY));
    }

    @Test
    void wholeEndsPrintWithoutAFraction() {
        assertEquals("1..5", new RatingScale(1, 5).toString());
        assertEquals("0.5..5", new RatingScale(0.5, 5).toString());
        assertEquals("-2..2.5", new RatingScale(-2, 2.5).toString());
        assertEquals("1000000..2000000", new RatingScale(1e6, 2e6).toString());
    }
}
