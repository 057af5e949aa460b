package io.als.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void secondsPrintsWhatPercentThreeFGives() {
        // The reference is the JDK's own %.3f; values a thousandth apart, and random ones that are
        // not near a rounding tie (a 5 in the fourth decimal may round either way, as documented).
        for (long t = 0; t <= 20_000; t++) {
            double s = t / 1000.0;
            assertEquals(String.format(Locale.ROOT, "%.3f", s), Texts.seconds(s), "value " + s);
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            double s = rnd.nextDouble() * Math.pow(10, rnd.nextInt(-6, 9)) * (rnd.nextBoolean() ? 1 : -1);
            double fourth = Math.abs(s * 1e4) % 10;
            if (Math.abs(fourth - 5) < 1e-3 || Math.abs(s) < 5e-4) {
                continue;
            }
            assertEquals(String.format(Locale.ROOT, "%.3f", s), Texts.seconds(s), "value " + s);
        }
        assertEquals("NaN", Texts.seconds(Double.NaN));
        assertEquals("Infinity", Texts.seconds(Double.POSITIVE_INFINITY));
        assertEquals(String.format(Locale.ROOT, "%.3f", 3e12), Texts.seconds(3e12));
        assertEquals("0.084", Texts.seconds(0.0842));
        assertEquals("12.346", Texts.seconds(12.3456));
    }
}
