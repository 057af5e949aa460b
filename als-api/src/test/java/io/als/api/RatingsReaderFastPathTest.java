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
            if (plain.parse(line, 0, line.length, delimiter)) {
                assertEquals(Double.doubleToLongBits(Double.parseDouble(text)), Double.doubleToLongBits(plain.rating),
                        text);
                assertEquals(7, plain.user);
                assertEquals(12, plain.item);
            }
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
            // The general path's reading: trimmed fields, Double.parseDouble, ids as text.
            expected.add(user, item, Double.parseDouble(rating.trim()));
        }
        Ratings read = new RatingsReader(RatingsFormat.DAT, DuplicatePolicy.ERROR)
                .read(new ByteArrayInputStream(file.toByteArray()), "mixed");
        Ratings want = expected.build();
        assertEquals(line, read.size());
        assertEquals(want.userIds(), read.userIds());
        assertEquals(want.itemIds(), read.itemIds());
        assertEquals(want.byUser(), read.byUser());
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
