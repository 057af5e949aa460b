package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not UTF-8 must be refused, not read as U+FFFD (which made {@code u\xe9} and
 * {@code u\xe8} one user), on the fast path and the general path alike; and binary files, a
 * model file above all, must be called binary, not UTF-16.
 */
class RatingsReaderEncodingTest {

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String error(RatingsReader reader, byte[] bytes, String name) {
        return assertThrows(RatingsInputException.class,
                () -> reader.read(new ByteArrayInputStream(bytes), name)).getMessage();
    }

    // ------------------------------------------------------------------ malformed UTF-8

    @Test
    void latin1IdsAreRefusedInEveryFormatNamingLineAndByte() {
        String[][] files = {
            {"ratings.csv", "userId,movieId,rating\nu1,i1,4\nu\u00e9,i1,4\nu\u00e8,i2,3\n", "3", "u"},
            {"u.data", "1\t10\t4\t881250949\nu\u00e9\t10\t4\t881250950\n", "2", "u"},
            {"ratings.dat", "1::10::4::978300760\n2::m\u00e8::3::978300761\n", "2", "2::m"},
        };
        for (String[] f : files) {
            for (RatingsReader reader : new RatingsReader[] {RatingsReader.detecting(),
                RatingsReader.of(RatingsFormat.detect(f[1].lines().findFirst().orElseThrow()))}) {
                String m = error(reader, latin1(f[1]), f[0]);
                assertTrue(m.startsWith(f[0] + ":" + f[2] + ": the file is not UTF-8: byte 0x"), m);
                assertTrue(m.contains("(after '" + f[3].replace("\t", "\\t") + "') is not valid UTF-8;"), m);
                assertTrue(m.contains("iconv -f ISO-8859-1 -t UTF-8 " + f[0]), m);
            }
        }
    }

    @Test
    void latin1UsersAreNotMergedIntoOne() {
        String m = error(RatingsReader.detecting(), latin1("u\u00e9,i1,4\nu\u00e8,i2,3\n"), "latin.csv");
        assertEquals("latin.csv:1: the file is not UTF-8: byte 0xE9 at byte 2 of this line (after 'u') is not valid"
                + " UTF-8; ratings files must be UTF-8 (or ASCII); convert it first, for example from Latin-1 with"
                + " iconv -f ISO-8859-1 -t UTF-8 latin.csv > ratings-utf8.txt", m);
    }

    @Test
    void aBadByteAfterTheRatingOnAFastPathLineIsRefusedToo() throws IOException {
        // The fast path reads user, item and rating and used to skip the rest of the line unseen.
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            sb.append(i).append('\t').append(i % 9 + 1).append('\t').append(i % 5 + 1).append("\t881250949\n");
        }
        byte[] good = sb.toString().getBytes(StandardCharsets.US_ASCII);
        long[] fast = new long[1];
        assertEquals(20_000, RatingsReader.of(RatingsFormat.TAB)
                .readCountingFastLines(new ByteArrayInputStream(good), "u.data", fast).size());
        assertEquals(20_000, fast[0], "ASCII lines still take the fast path");
        byte[] bad = latin1(sb + "20001\t3\t4\t88125\u00ff\n99999\t1\t2\n");
        for (RatingsReader reader : new RatingsReader[] {RatingsReader.of(RatingsFormat.TAB), RatingsReader.detecting()}) {
            assertTrue(error(reader, bad, "u.data").startsWith("u.data:20001: the file is not UTF-8: byte 0xFF at byte"
                    + " 16 of this line (after '20001\\t3\\t4\\t88125') is not valid UTF-8;"), error(reader, bad, "u.data"));
        }
    }

    @Test
    void everyKindOfMalformedSequenceIsRefused() {
        String[][] cases = {
            {"1,2,3\n\u00e2\u0082,2,3\n", "bytes 0xE2 0x82 at byte 1"},      // cut short by the line's end
            {"1,2,3\na,2,\u00e2\u0082", "bytes 0xE2 0x82 at byte 5"},         // cut short by the file's end
            {"1,2,3\na\u00c0\u00af,2,3\n", "bytes? 0xC0.* at byte 2"},         // overlong '/'
            {"1,2,3\na\u00ed\u00a0\u0080,2,3\n", "bytes? 0xED.* at byte 2"},   // a surrogate
            {"1,2,3\na\u00f5\u0080\u0080\u0080,2,3\n", "bytes? 0xF5.* at byte 2"}, // beyond U+10FFFF
            {"1,2,3\na,\u0080,3\n", "byte 0x80 at byte 3"},                  // a lone continuation byte
        };
        for (String[] c : cases) {
            String m = error(RatingsReader.detecting(), latin1(c[0]), "f.csv");
            assertTrue(m.matches("f\\.csv:2: the file is not UTF-8: " + c[1] + " of this line .*"), m);
        }
    }

    @Test
    void gzippedLatin1IsRefusedToo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(latin1("1::2::3\nJos\u00e9::2::4\n"));
        }
        assertTrue(error(RatingsReader.detecting(), bytes.toByteArray(), "r.dat.gz")
                .startsWith("r.dat.gz:2: the file is not UTF-8: byte 0xE9 at byte 4 of this line (after 'Jos')"));
    }

    @Test
    void validMultiByteIdsStayDistinct() throws IOException {
        String text = "\uFEFFu\u00e9,\u4e2d,4\nu\u00e8,\u4e2d,3\nu\u00e9,\uD83C\uDFB5,5\n1,2,3\n";
        Ratings r = RatingsReader.detecting().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "utf8.csv");
        assertEquals(4, r.size());
        assertEquals(3, r.numUsers());
        assertTrue(r.userIds().indexOf("u\u00e9") >= 0 && r.userIds().indexOf("u\u00e8") >= 0);
        assertTrue(r.itemIds().indexOf("\uD83C\uDFB5") >= 0);
        Ratings tab = RatingsReader.of(RatingsFormat.TAB).read(new ByteArrayInputStream(
                "u\u00e9\t1\t4\n7\t8\t2\t\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8)), "t");
        assertEquals(2, tab.size());
    }

    // ------------------------------------------------------------------ binary files

    private static Model smallModel() {
        Ratings r = Ratings.builder().add(1L, 1L, 4).add(1L, 2L, 3).add(2L, 1L, 5).add(3L, 3L, 1).build();
        FactorMatrix u = new FactorMatrix(r.numUsers(), 3);
        FactorMatrix p = new FactorMatrix(r.numItems(), 3);
        java.util.Arrays.setAll(u.data(), k -> 0.25 * k - 0.5);
        java.util.Arrays.setAll(p.data(), k -> 0.5 - 0.125 * k);
        return new Model(r.userIds(), r.itemIds(), u, p, 3.25, new double[r.numUsers()], new double[r.numItems()],
                r.byUser());
    }

    @Test
    void aModelFileGivenAsRatingsIsNamedAModelFile(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.als");
        ModelFile.write(smallModel(), model);
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> RatingsReader.detecting().read(model));
        assertEquals(model + ": is an als model file (it starts with ALSMODEL), not ratings; a ratings text file"
                + " (u.data, ratings.dat, ratings.csv, ...) was expected here", e.getMessage());
    }

    @Test
    void binaryDataWithNulsWhereUtf16HasThemIsBinaryNotUtf16() {
        // NUL in every second byte, as UTF-16BE text of ASCII would have, but the other bytes
        // are control codes (what an int or a double written big-endian looks like).
        byte[] be = new byte[512];
        for (int i = 1; i < be.length; i += 2) {
            be[i] = (byte) (i % 7 + 1);
        }
        byte[] le = new byte[512];
        for (int i = 0; i < le.length; i += 2) {
            le[i] = (byte) (i % 5 + 2);
        }
        byte[] bom = new byte[512];
        bom[0] = (byte) 0xFE;
        bom[1] = (byte) 0xFF;
        for (byte[] b : new byte[][] {be, le, bom}) {
            assertEquals("bin: holds NUL bytes in its first 512 bytes, so it is binary data, not a ratings text file"
                    + " (UTF-8 or ASCII)", error(RatingsReader.detecting(), b, "bin"));
        }
        // Real UTF-16 text is still called UTF-16, with or without a byte-order mark.
        assertEquals("UTF-16BE (byte-order mark FE FF)",
                RatingsReader.encodingOf(("\uFEFF1,2,3\n").getBytes(StandardCharsets.UTF_16BE)));
        assertTrue(RatingsReader.encodingOf("1,2,3\n4,5,6\n".getBytes(StandardCharsets.UTF_16LE))
                .startsWith("UTF-16LE (no byte-order mark"));
        assertTrue(RatingsReader.encodingOf("u\u00e9,\u4e2d,3\n".getBytes(StandardCharsets.UTF_16BE))
                .startsWith("UTF-16BE (no byte-order mark"));
    }

    /** Binary bytes past the first ones reach a message escaped, never raw (a NUL, an escape sequence). */
    @Test
    void controlCharactersOfABadLineAreEscapedInItsMessage() {
        byte[] text = ("1,2,3\n".repeat(300) + "\0\0\u001b[31m\0").getBytes(StandardCharsets.UTF_8);
        String m = error(RatingsReader.detecting(), text, "b2");
        assertEquals("b2:301: expected at least 3 fields separated by ',' but found 1 in"
                + " '\\u0000\\u0000\\u001b[31m\\u0000'", m);
    }

    @Test
    void aModelFileHeadIsBinaryEvenWithoutItsMagic(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.als");
        ModelFile.write(smallModel(), model);
        byte[] bytes = Files.readAllBytes(model);
        bytes[0] = 'X';
        assertEquals("", RatingsReader.encodingOf(java.util.Arrays.copyOf(bytes,
                Math.min(bytes.length, RatingsReader.SNIFF_BYTES))));
    }
}
