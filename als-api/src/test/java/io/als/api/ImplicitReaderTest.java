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
    void aValueColumnIsReadAsTheObservedValue() throws IOException {
        Ratings r = read(RatingsReader.detecting().forImplicit(), "1,10,7\n1,11,1\n2,10,0.5\n");
        assertEquals(3, r.size());
        assertEquals(0.5, r.range()[0]);
        assertEquals(7.0, r.range()[1]);
    }

    @Test
    void aLineThatDisagreesWithTheFirstAboutTheValueColumnFails() {
        // Found in a new-user trial: both mixes were read, the missing value as 1.
        RatingsInputException lost = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting().forImplicit(), "1,10,7\n1,11\n2,10,0.5\n"));
        assertEquals("t.csv:2: expected at least 3 fields separated by ',' but found 2 in '1,11'; the first line"
                + " with data (line 1) has a value column, so every line needs one", lost.getMessage());
        RatingsInputException extra = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting().forImplicit(), "user,item\n1,10\n1,11\n2,10,5\n"));
        assertEquals("t.csv:4: '2,10,5' has a value column, but the first line with data (line 2) has none, so no"
                + " line may have one; give every line a value, or none", extra.getMessage());
        // Word ids take the general path from the first line; the rule is the same.
        assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting().forImplicit(), "a,x,2\nb,y\n"));
    }

    @Test
    void aPairHeaderIsSkippedButWordIdsAreData() throws IOException {
        assertEquals(2, read(RatingsReader.detecting().forImplicit(), "userId,movieId\n1,10\n2,10\n").size());
        // Two words above numeric ids are a header (found in a new-user trial: "customer" was a user).
        Ratings named = read(RatingsReader.detecting().forImplicit(), "customer,product\n1,10\n2,10\n");
        assertEquals(2, named.size());
        assertEquals(-1, named.userIds().indexOf("customer"));
        // Words above words are data, and so is a lone line of words.
        Ratings words = read(RatingsReader.detecting().forImplicit(), "alice,book\nbob,pen\n");
        assertEquals(2, words.size());
        assertTrue(words.userIds().indexOf("alice") >= 0);
        assertEquals(1, read(RatingsReader.detecting().forImplicit(), "alice,book\n").size());
        // A word user above a numeric one with a word item: not both numbers, so data.
        assertEquals(3, read(RatingsReader.detecting().forImplicit(), "alice,book\n1,pen\n2,pen\n").size());
        // Only the file's first line can be such a header: after a header, a word pair is data
        // (found in a review), whether the header was id names or declared by the format.
        assertEquals(2, read(RatingsReader.detecting().forImplicit(), "user,item\nalice,book\n1,2\n").size());
        assertEquals(2, read(RatingsReader.of(RatingsFormat.parse("csv")).forImplicit(), "u,i\nalice,book\n1,2\n")
                .size());
        // Words above lines with values are no header (the Spark engine would read such a file as
        // pairs): the words are the first data line, which has no value column, so the next fails.
        RatingsInputException values = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting().forImplicit(), "\ncustomer,product\n1,10,3\n2,11,4\n"));
        assertTrue(values.getMessage().startsWith("t.csv:3: '1,10,3' has a value column, but the first line with"
                + " data (line 2) has none"), values.getMessage());
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.detecting().forImplicit(), "customer,product\n1,10\n2,10,3\n"));
        assertEquals("t.csv:3: '2,10,3' has a value column, but the first line with data (line 2) has none, so no"
                + " line may have one; give every line a value, or none", e.getMessage());
    }

    @Test
    void aDeclaredHeaderThatIsAPairOfIdsFails() {
        // Found in a new-user trial: --format csv on a user,item file lost its first pair.
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> read(RatingsReader.of(RatingsFormat.parse("csv")).forImplicit(), "1,10\n2,20\n3,10\n"));
        assertTrue(e.getMessage().startsWith("t.csv:1: the format says the first line is a header, but '1,10' is a"
                + " user and an item"), e.getMessage());
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
