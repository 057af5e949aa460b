package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reader's byte-level fast path (plain integer ids and decimal ratings) must read exactly
 * what the general path would: the same ratings, ids, values, line numbers in errors, for
 * every line ending and wherever the 64 KiB buffer boundaries fall. The expected ratings here
 * are built independently, with {@code Ratings.builder()} fed the fields as strings.
 */
class RatingsReaderFastPathTest {

    @Test
    void plainDecimalsEqualParseDouble() {
        SplittableRandom rnd = new SplittableRandom(5);
        RatingsReader.PlainLine plain = new RatingsReader.PlainLine();
        byte[] delimiter = {'\t'};
        for (int t = 0; t < 200_000; t++) {
            int digits = 1 + rnd.nextInt(15);
            StringBuilder r = new StringBuilder();
            for (int d = 0; d < digits; d++) {
                r.append((char) ('0' + rnd.nextInt(10)));
            }
            int point = rnd.nextInt(digits + 1);
            if (point < digits && rnd.nextBoolean()) {
                r.insert(point == 0 ? 0 : point, '.');
                if (r.charAt(0) == '.') {
                    r.insert(0, '0');
                    if (r.length() > 16) {
                        r.deleteCharAt(r.length() - 1);
                    }
                }
            }
            String text = r.toString();
            byte[] line = ("7\t12\t" + text).getBytes(StandardCharsets.US_ASCII);
            // Every text made here has the plain shape (digits, at most one point inside them, at
            // most 15 digits), so the fast path must take it, not leave it to the general path.
            assertTrue(plain.parse(line, 0, line.length, delimiter), text);
            assertEquals(Double.doubleToLongBits(Double.parseDouble(text)), Double.doubleToLongBits(plain.rating),
                    text);
            assertEquals(7, plain.user);
            assertEquals(12, plain.item);
        }
    }

    @Test
    void mixedShapesAndLineEndingsReadAsTheGeneralPathWould() throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        String[] endings = {"\n", "\r\n", "\r"};
        String[] ratings = {"4", "3.5", "0.25", "5.000", " 2", "1e0", "2.", "12345678901234567"};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Ratings.Builder expected = Ratings.builder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int line = 0;
        int plainLines = 0;
        while (file.size() < 300_000) {
            String user = Long.toString(1 + rnd.nextInt(3000));
            String item = rnd.nextInt(20) == 0 ? "0" + (1 + rnd.nextInt(99)) : Long.toString(1 + rnd.nextInt(500));
            if (!seen.add(user + "/" + item)) {
                continue;
            }
            String rating = ratings[rnd.nextInt(ratings.length)];
            String text = user + "::" + item + "::" + rating + (rnd.nextInt(4) == 0 ? "::978300760" : "");
            if (rating.startsWith("1234")) {
                rating = "3";
                text = user + "::" + item + "::3";
            }
            file.writeBytes((text + endings[rnd.nextInt(endings.length)]).getBytes(StandardCharsets.UTF_8));
            line++;
            // The fast path's shape: no leading zero in an id, a rating of digits with an
            // optional fraction (not " 2", "1e0" or "2.").
            if (!item.startsWith("0") && !rating.startsWith(" ") && !rating.contains("e") && !rating.endsWith(".")) {
                plainLines++;
            }
            // The general path's reading: trimmed fields, Double.parseDouble, ids as text.
            expected.add(user, item, Double.parseDouble(rating.trim()));
        }
        long[] fast = new long[1];
        Ratings read = new RatingsReader(RatingsFormat.DAT, DuplicatePolicy.ERROR)
                .readCountingFastLines(new ByteArrayInputStream(file.toByteArray()), "mixed", fast);
        Ratings want = expected.build();
        assertEquals(line, read.size());
        assertEquals(plainLines, fast[0], "lines the fast path read");
        assertTrue(plainLines > line / 2 && plainLines < line, plainLines + " of " + line);
        assertEquals(want.userIds(), read.userIds());
        assertEquals(want.itemIds(), read.itemIds());
        assertEquals(want.byUser(), read.byUser());
    }

    @Test
    void theFastPathTakesThePlainShapeAndLeavesEveryOtherLine() {
        RatingsReader.PlainLine plain = new RatingsReader.PlainLine();
        byte[] tab = {'\t'};
        // Taken: user, item and rating as read.
        Object[][] taken = {
            {"1\t2\t3", 1L, 2L, 3.0}, {"10\t20\t4.5\t978300760", 10L, 20L, 4.5}, {"0\t0\t0", 0L, 0L, 0.0},
            {"123456789012345678\t9\t1", 123456789012345678L, 9L, 1.0}, {"5\t6\t123456789012345", 5L, 6L, 123456789012345.0},
            {"5\t6\t0.125\t", 5L, 6L, 0.125}, {"7\t8\t0007", 7L, 8L, 7.0},
            {"7\t8\t.5", 7L, 8L, 0.5}};
        for (Object[] t : taken) {
            byte[] b = ((String) t[0]).getBytes(StandardCharsets.US_ASCII);
            assertTrue(plain.parse(b, 0, b.length, tab), (String) t[0]);
            assertEquals((long) t[1], plain.user, (String) t[0]);
            assertEquals((long) t[2], plain.item, (String) t[0]);
            assertEquals((double) t[3], plain.rating, 0, (String) t[0]);
        }
        // A line inside a larger buffer: only [from, to) counts.
        byte[] inside = "xx3\t4\t5yy".getBytes(StandardCharsets.US_ASCII);
        assertTrue(plain.parse(inside, 2, inside.length - 2, tab));
        assertEquals(3, plain.user);
        assertEquals(4, plain.item);
        assertEquals(5.0, plain.rating, 0);
        assertEquals("5", plain.ratingText(inside));
        // Left to the general path (which reads, trims or rejects them).
        String[] left = {"01\t2\t3", "1\t02\t3", "1234567890123456789\t1\t1", "1\t2\t", "1\t2\t3.",
            "1\t2\t+3", "1\t2\t-3", "1\t2\t3e1", "1\t2\t3 ", " 1\t2\t3", "1\t\t3", "1\t2", "1", "", "1,2,3",
            "1\t2\t1234567890123456", "1\t2\t3x", "1\t2\t3.5.5", "a\t2\t3", "1\tb\t3", "1\t2\t\"3\""};
        for (String l : left) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            org.junit.jupiter.api.Assertions.assertFalse(plain.parse(b, 0, b.length, tab), l);
        }
        // A delimiter of two bytes must be whole, between the fields and after the rating.
        byte[] dat = {':', ':'};
        for (String l : new String[] {"1::2::3", "1::2::3::978300760", "1::2::3::"}) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            assertTrue(plain.parse(b, 0, b.length, dat), l);
        }
        for (String l : new String[] {"1:2::3", "1::2:3", "1::2::3:", "1::2::3:4", "1::2", "1::"}) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            org.junit.jupiter.api.Assertions.assertFalse(plain.parse(b, 0, b.length, dat), l);
        }
    }

    @Test
    void onlyFormatsOfUserItemRatingWithAnAsciiDelimiterThatCannotStartANumberGetTheFastPath() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {'\t'},
                RatingsReader.PlainLine.delimiterBytes(RatingsFormat.TAB));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {':', ':'},
                RatingsReader.PlainLine.delimiterBytes(RatingsFormat.DAT));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {','},
                RatingsReader.PlainLine.delimiterBytes(RatingsFormat.CSV));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {';', '|'},
                RatingsReader.PlainLine.delimiterBytes(new RatingsFormat("x", ";|", false, 0, 1, 2)));
        for (RatingsFormat f : new RatingsFormat[] {new RatingsFormat("x", ",", false, 1, 0, 2),
            new RatingsFormat("x", ",", false, 0, 2, 1), new RatingsFormat("x", ",", false, 0, 1, 3),
            new RatingsFormat("x", "7", false, 0, 1, 2), new RatingsFormat("x", ".", false, 0, 1, 2),
            new RatingsFormat("x", "\"", false, 0, 1, 2), new RatingsFormat("x", " ", false, 0, 1, 2),
            new RatingsFormat("x", ";\u00e9", false, 0, 1, 2), new RatingsFormat("x", "0", false, 0, 1, 2),
            new RatingsFormat("x", "9", false, 0, 1, 2)}) {
            org.junit.jupiter.api.Assertions.assertNull(RatingsReader.PlainLine.delimiterBytes(f), f.toString());
        }
    }

    @Test
    void aRatingTheFastPathReadsStillGetsEveryCheckWithItsText() throws IOException {
        RatingsReader scaled = new RatingsReader(RatingsFormat.TAB, DuplicatePolicy.ERROR, RatingScale.parse("1..5"));
        long[] fast = new long[1];
        byte[] ok = "1\t2\t5\n1\t3\t1\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(2, scaled.readCountingFastLines(new ByteArrayInputStream(ok), "ok.tsv", fast).size());
        assertEquals(2, fast[0]);
        RatingsInputException out = org.junit.jupiter.api.Assertions.assertThrows(RatingsInputException.class,
                () -> scaled.read(new ByteArrayInputStream("1\t2\t4\n1\t3\t5.50\n".getBytes(StandardCharsets.US_ASCII)),
                        "s.tsv"));
        assertEquals("s.tsv:2: rating must be within the declared scale 1..5 but was 5.50; fix the line or widen --scale",
                out.getMessage());
        RatingsInputException big = org.junit.jupiter.api.Assertions.assertThrows(RatingsInputException.class,
                () -> RatingsReader.of(RatingsFormat.TAB).read(
                        new ByteArrayInputStream("1\t2\t3\n4\t5\t1000000001\n".getBytes(StandardCharsets.US_ASCII)),
                        "b.tsv"));
        assertTrue(big.getMessage().startsWith("b.tsv:2: rating 1000000001 is too large"), big.getMessage());
        // At the limit itself the rating is read.
        assertEquals(1e9, RatingsReader.of(RatingsFormat.TAB).read(
                new ByteArrayInputStream("1\t2\t999999999\n4\t5\t1000000000\n".getBytes(StandardCharsets.US_ASCII)), "l.tsv")
                .range()[1], 0);
    }

    @Test
    void aBadLineAfterManyGoodOnesIsNamedByItsNumber() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 30_000; i++) {
            sb.append(i).append('\t').append(i % 7 + 1).append('\t').append(i % 5 + 1).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        sb.append("30001\t3\tfour\n");
        RatingsInputException e = org.junit.jupiter.api.Assertions.assertThrows(RatingsInputException.class,
                () -> RatingsReader.of(RatingsFormat.TAB).read(
                        new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "big.tsv"));
        assertTrue(e.getMessage().startsWith("big.tsv:30001: rating must be a number but was 'four'"), e.getMessage());
    }
}
