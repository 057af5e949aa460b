package io.als.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.api.Ratings;
import org.junit.jupiter.api.Test;

class ObservedScaleTest {
    private static Ratings of(double... values) {
        Ratings.Builder b = Ratings.builder();
        for (int j = 0; j < values.length; j++) {
            b.add(j, 0, values[j]);
        }
        return b.build();
    }

    @Test
    void detectsTheLargestStepThatFitsEveryRating() {
        assertEquals(new ObservedScale(1, 5, 1), ObservedScale.of(of(1, 2, 3, 4, 5)));
        assertEquals(new ObservedScale(0.5, 5, 0.5), ObservedScale.of(of(0.5, 3, 4.5, 5)));
        // Steps count from the minimum: 1.5, 2.5 and 4.5 are whole steps from 1.5.
        assertEquals(new ObservedScale(1.5, 4.5, 1), ObservedScale.of(of(1.5, 2.5, 4.5)));
        assertEquals(new ObservedScale(1, 2, 0.1), ObservedScale.of(of(1, 1.3, 2)));
        assertEquals(new ObservedScale(1, 2, 0), ObservedScale.of(of(1, 1.2345, 2)));
        assertEquals(5, new ObservedScale(1, 5, 1).levels());
        assertEquals(10, new ObservedScale(0.5, 5, 0.5).levels());
    }

    @Test
    void aWideScaleCountsItsLevelsWithoutWrappingAround() {
        // Once printed as "-2147483648 levels": the count overflowed an int.
        assertEquals(1_000_000_000_000L, new ObservedScale(1, 1e12, 1).levels());
        assertEquals("1..1000000000000, step 1 (1000000000000 levels)", new ObservedScale(1, 1e12, 1).toString());
    }

    @Test
    void clipsIntoTheRange() {
        ObservedScale s = new ObservedScale(1, 5, 1);
        assertEquals(1, s.clip(-3), 0.0);
        assertEquals(5, s.clip(7.2), 0.0);
        assertEquals(3.3, s.clip(3.3), 0.0);
        assertEquals("1..5, step 1 (5 levels)", s.toString());
        // A file of pairs holds one value: one level, in the singular.
        assertEquals("1..1, step 1 (1 level)", new ObservedScale(1, 1, 1).toString());
    }
}
