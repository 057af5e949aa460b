package io.als.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import io.als.api.RatingsFormat;
import io.als.api.RatingsReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each MovieLens layout and a generic delimited file, read from disk, with the scale they
 * use; and malformed lines, which must name the file, the line and the bad value.
 */
class LoadersTest {
    @TempDir
    Path dir;

    private Ratings read(String name, String text, RatingsFormat format) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return new RatingsReader(format, DuplicatePolicy.ERROR).read(f);
    }

    private static double rating(Ratings r, String user, String item) {
        int u = r.userIds().indexOf(user);
        int i = r.itemIds().indexOf(item);
        for (int e = r.byUser().start(u); e < r.byUser().end(u); e++) {
            if (r.byUser().index(e) == i) {
                return r.byUser().value(e);
            }
        }
        return Double.NaN;
    }

    @Test
    void movieLens100kTabSeparated() throws IOException {
        // The first lines of ML-100K's u.data.
        Ratings r = read("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n", null);
        assertEquals(3, r.size());
        assertEquals(1, rating(r, "22", "377"), 0.0);
        assertEquals("1..3, step 1 (3 levels)", ObservedScale.of(r).toString());
    }

    @Test
    void movieLens1mDatWithThreeOrFourFields() throws IOException {
        Ratings four = read("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::1::978300275\n", null);
        assertEquals(3, four.size());
        assertEquals(5, rating(four, "1", "1193"), 0.0);
        // The derived ML-1M file in ../shared has no timestamps.
        Ratings three = read("derived.dat", "1::254::5\n2::254::4\n", null);
        assertEquals(4, rating(three, "2", "254"), 0.0);
    }

    @Test
    void movieLensCsvWithHeaderAndHalfStarsInLfAndCrlf() throws IOException {
        String lf = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,0.5,964982224\n";
        for (String text : new String[] {lf, lf.replace("\n", "\r\n")}) {
            Ratings r = read(text.contains("\r") ? "crlf.csv" : "lf.csv", text, null);
            assertEquals(3, r.size(), "header skipped");
            assertEquals(4.5, rating(r, "1", "3"), 0.0);
            assertEquals(0.5, rating(r, "2", "1"), 0.0, "no carriage return left in the last field");
            ObservedScale s = ObservedScale.of(r);
            assertEquals(0.5, s.min(), 0.0);
            assertEquals(4.5, s.max(), 0.0);
            assertEquals(0.5, s.step(), 0.0);
        }
    }

    @Test
    void genericDelimitedWithAndWithoutHeader() throws IOException {
        Ratings semi = read("r.txt", "a;x;2\nb;x;7\n", RatingsFormat.parse("delim:semicolon"));
        assertEquals(7, rating(semi, "b", "x"), 0.0);
        Ratings piped = read("r.psv", "user|item|score\nu1|i1|0.25\nu2|i1|0.75\nu3|i1|1\n",
                RatingsFormat.parse("delim:|:header"));
        assertEquals(3, piped.size());
        assertEquals(new ObservedScale(0.25, 1, 0.25), ObservedScale.of(piped));
        // Columns in another order: rating, user, item.
        Ratings reordered = read("r.scsv", "rating;user;item\n4;a;x\n2;b;x\n5;a;y\n",
                RatingsFormat.parse("delim:semicolon:header:cols=1,2,0"));
        assertEquals(5, rating(reordered, "a", "y"), 0.0);
        assertEquals(2, rating(reordered, "b", "x"), 0.0);
        Ratings continuous = read("c.tsv", "1\t1\t0.13\n1\t2\t4.9\n2\t1\t3.33333\n", null);
        assertEquals("0.13..4.9, continuous", ObservedScale.of(continuous).toString());
    }

    @Test
    void malformedLinesNameFileLineAndValue() throws IOException {
        Path f = dir.resolve("bad.dat");
        Files.writeString(f, "1::10::5\n1::11::4\n2::10::five\n");
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> new RatingsReader(null, DuplicatePolicy.ERROR).read(f));
        assertEquals(f.toString() + ":3: rating must be a number but was 'five'", e.getMessage());
        assertEquals(3, e.line());
        Path wide = dir.resolve("wide.txt");
        Files.writeString(wide, "a,b,c,1\nd,e,f\n");
        e = assertThrows(RatingsInputException.class, () -> new RatingsReader(RatingsFormat.parse("delim:comma:cols=0,1,3"),
                DuplicatePolicy.ERROR).read(wide));
        assertTrue(e.getMessage().startsWith(wide + ":2: expected at least 4 fields"), e.getMessage());
        Path g = dir.resolve("short.csv");
        Files.writeString(g, "userId,movieId,rating\r\n1,2,3\r\n4,5\r\n");
        e = assertThrows(RatingsInputException.class, () -> new RatingsReader(null, DuplicatePolicy.ERROR).read(g));
        assertTrue(e.getMessage().startsWith(g + ":3: expected at least 3 fields"), e.getMessage());
        assertTrue(e.getMessage().contains("'4,5'"), e.getMessage());
    }
}
