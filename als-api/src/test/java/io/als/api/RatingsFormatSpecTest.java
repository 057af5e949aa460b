package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link RatingsFormat#parse}: a wrong spec is rejected as such, never taken for an odd separator. */
class RatingsFormatSpecTest {

    @Test
    void validSpecsInEveryShape() {
        assertEquals(RatingsFormat.TAB, RatingsFormat.parse("tab"));
        assertEquals(RatingsFormat.DAT, RatingsFormat.parse(" DAT "));
        assertEquals(new RatingsFormat("delim", ",", true, 0, 1, 2), RatingsFormat.parse("delim:,:header"));
        assertEquals(new RatingsFormat("delim", ";", true, 1, 2, 0), RatingsFormat.parse("delim:semicolon:header:cols=1,2,0"));
        // The options in either order.
        assertEquals(new RatingsFormat("delim", ";", true, 1, 2, 0), RatingsFormat.parse("delim:;:cols=1,2,0:header"));
        assertEquals(new RatingsFormat("delim", "::", false, 0, 1, 2), RatingsFormat.parse("delim:::"));
        assertEquals(new RatingsFormat("delim", "::", true, 0, 1, 2), RatingsFormat.parse("delim::::header"));
        assertEquals(new RatingsFormat("delim", "\t", false, 0, 1, 2), RatingsFormat.parse("delim:\\t"));
        assertEquals(new RatingsFormat("delim", "|", true, 0, 1, 2), RatingsFormat.parse("delim:pipe:header"));
        assertEquals(new RatingsFormat("delim", "|", false, 3, 0, 1), RatingsFormat.parse("delim:|:cols=3,0,1"));
        assertEquals(new RatingsFormat("delim", "x", false, 0, 1, 2), RatingsFormat.parse("delim:x"));
    }

    private static String rejected(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> RatingsFormat.parse(spec), spec).getMessage();
    }

    @Test
    void wrongSpecsAreRejectedNamingTheMistake() {
        assertEquals("format 'delim:,:headr' has an unknown option 'headr'; the options of delim:SEP are header and"
                + " cols=U,I,R", rejected("delim:,:headr"));
        assertEquals("format 'delim:,:cols=-1,1,2': cols must be three non-negative column numbers U,I,R (e.g."
                + " cols=0,1,2) but was '-1,1,2'", rejected("delim:,:cols=-1,1,2"));
        assertTrue(rejected("delim:,:cols=1,1,2").contains("three distinct columns"));
        assertTrue(rejected("delim:,:cols=0,1").contains("but was '0,1'"));
        assertTrue(rejected("delim:,:cols=99999999999,1,2").contains("but was '99999999999,1,2'"));
        assertTrue(rejected("delim:,:header:header").contains("header twice"));
        assertTrue(rejected("delim:,:cols=0,1,2:cols=0,1,2").contains("cols twice"));
        assertTrue(rejected("delim:").contains("has no separator"));
        assertTrue(rejected("delim::header").contains("has no separator"));
        assertTrue(rejected("delim:header").contains("the separator 'header', a word"));
        assertTrue(rejected("delim:comam").contains("the separator 'comam', a word"));
        assertTrue(rejected("tsv").startsWith("format must be one of tab, dat, csv"));
    }
}
