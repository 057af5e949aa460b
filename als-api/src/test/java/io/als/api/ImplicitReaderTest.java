package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The reader's implicit-feedback mode: pairs without a value, header words, and values that are no counts. */
class ImplicitReaderTest {

    private static Ratings read(RatingsReader reader, String text) throws IOException {
        return reader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void twoColumnLinesReadAsValueOne() throws IOException {
        Ratings r = read(RatingsReader.detecting().forImplicit(), "1,10\n1,11\n2,10\n");
        assertEquals(3, r.size());
        assertEquals(1.0, r.range()[0]);
        assertEquals(1.0, r.range()[1]);
        Ratings tab = read(RatingsReader.detecting().forImplicit(), "a\tx\nb\ty\n");
        assertEquals(2, tab.size());
    }

    @Test
    void aValueColumnIsReadAsTheObservedValueAndPairsMayMix() throws IOException {
        Ratings r = read(RatingsReader.detecting().forImplicit(), "1,10,7\n1,11\n2,10,0.5\n");
        assertEquals(3, r.size());
        assertEquals(0.5, r.range()[0]);
        assertEquals(7.0, r.range()[1]);
    }

    @Test
    void aPairHeaderIsSkippedButWordIdsAreData() throws IOException {
        assertEquals(2, read(RatingsReader.detecting().forImplicit(), "userId,movieId\n1,10\n2,10\n").size());
        assertEquals(3, read(RatingsReader.detecting().forImplicit(), "alice,book\n1,10\n2,10\n").size());
    }

    @Test
    void explicitReadingStillNeedsThreeFields() {
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting(), "1,10\n"));
        assertTrue(e.getMessage().startsWith("t.csv:1: expected at least 3 fields"), e.getMessage());
    }

    @Test
    void negativeAndNonFiniteValuesFailWithTheirLine() {
        for (String bad : new String[] {"-1", "NaN", "Infinity", "-0.5"}) {
            RatingsInputException e = assertThrows(RatingsInputException.class,
                    () -> read(RatingsReader.detecting().forImplicit(), "1,10,3\n2,10," + bad + "\n"));
            assertEquals("t.csv:2: an implicit-feedback value (a count, rating or weight) must be a finite number >= 0"
                    + " but was " + bad, e.getMessage());
        }
    }
}
