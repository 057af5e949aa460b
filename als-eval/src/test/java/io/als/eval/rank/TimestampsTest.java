package io.als.eval.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsFormat;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestampsTest {
    @TempDir
    Path dir;

    private long[] times(String name, String text, RatingsFormat format) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Ratings r = new RatingsReader(format, DuplicatePolicy.LAST).read(f);
        return Timestamps.read(f, format, r);
    }

    @Test
    void fourthFieldOfEachDetectedFormatInCanonicalOrder() throws IOException {
        // Canonical order is by user, then item: (1,5), (1,9), (2,5).
        assertArrayEquals(new long[] {30, 10, 20}, times("u.data", "1\t9\t3\t10\n2\t5\t4\t20\n1\t5\t1\t30\n", null));
        assertArrayEquals(new long[] {30, 10, 20}, times("r.dat", "1::9::3::10\n2::5::4::20\n1::5::1::30\n", null));
        assertArrayEquals(new long[] {30, 10, 20}, times("r.csv",
                "userId,movieId,rating,timestamp\n1,9,3,10\n2,5,4,20\n1,5,1,30\n", null));
        assertArrayEquals(new long[] {7}, times("g.txt", "a;b;2;7\n", RatingsFormat.parse("delim:semicolon")));
    }

    @Test
    void aRepeatedRatingTakesItsLatestTime() throws IOException {
        assertArrayEquals(new long[] {50}, times("dup.data", "1\t9\t3\t50\n1\t9\t4\t20\n", null));
    }

    @Test
    void aMissingOrBadTimestampNamesFileAndLine() {
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> times("three.dat", "1::9::3::10\n2::5::4\n", null));
        assertTrue(e.getMessage().startsWith(dir.resolve("three.dat") + ":2: has no timestamp"), e.getMessage());
        e = assertThrows(RatingsInputException.class, () -> times("bad.data", "1\t9\t3\tnoon\n", null));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("timestamp must be an integer but was 'noon'"), e.getMessage());
    }
}
