package io.als.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Ratings input that used to be read silently as something else: a CSV first line taken for
 * a header, quoted CSV fields, UTF-16 and UTF-32 text, endless lines, and values too large or
 * too far apart to be ratings.
 */
class HostileRatingsTest {
    private final RatingsReader detect = RatingsReader.detecting();

    private Ratings read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private Ratings read(byte[] bytes) throws IOException {
        return detect.read(new ByteArrayInputStream(bytes), "f.csv");
    }

    private String error(String text) {
        return assertThrows(RatingsInputException.class, () -> read(text)).getMessage();
    }

    private String error(byte[] bytes) {
        return assertThrows(RatingsInputException.class, () -> read(bytes)).getMessage();
    }

    // ------------------------------------------------------------------ CSV headers

    @Test
    void aFirstLineThatIsABadRatingIsAnErrorNotAHeader() {
        assertEquals("f.csv:1: rating must be a number but was 'four'", error("1,2,four\n1,3,5\n2,2,4\n"));
        assertEquals("f.csv:1: rating must be a number but was ''", error("1,2,\n1,3,5\n2,2,4\n"));
        assertEquals("f.csv:1: rating must be a number but was 'x'", error("\"1\",\"2\",x\n1,3,5\n"));
        // A tab inside a quoted CSV id is the id's: the file is CSV, not tab-separated.
        assertEquals(RatingsFormat.CSV.delimiter(), RatingsFormat.detect("\"a\tb\",1,5").delimiter());
        assertEquals("\t", RatingsFormat.detect("1\t2\t5").delimiter());
        // Java's own number forms are not numbers of a data file: suffixes and hexadecimal.
        for (String java : new String[] {"4d", "4F", "0x1p2", ".", "1e", "e5", "--4", "4 5"}) {
            assertEquals("f.csv:2: rating must be a number but was '" + java + "'",
                    error("1,3,5\n1,2," + java + "\n2,2,4\n"), java);
        }
        // A non-zero rating too small for a double is named, not read as 0.
        assertEquals("f.csv:2: rating 1e-400 is too small in size for a double (it would read as 0); write 0, or"
                + " rescale the ratings", error("1,3,5\n1,2,1e-400\n2,2,4\n"));
        for (String decimal : new String[] {"4", "+4", "-4", "4.5", ".5", "4e0", "4.E0", "40e-1", " 4 "}) {
            assertEquals(Double.parseDouble(decimal.strip()), Double.parseDouble(RatingsReader.decimal(decimal)), decimal);
        }
        assertEquals("f.csv:1: user and item ids must be non-empty but line was ',,'", error(",,\n1,3,5\n"));
        // The same lines in tab and '::' files fail as they always did.
        assertEquals("f.csv:1: rating must be a number but was 'four'", error("1\t2\tfour\n1\t3\t5\n"));
        assertEquals("f.csv:1: rating must be a number but was 'four'", error("1::2::four\n1::3::5\n"));
    }

    @Test
    void aHeaderThatLooksLikeOneIsSkipped() throws IOException {
        assertEquals(2, read("userId,movieId,rating,timestamp\n1,1,4.0,9\n1,3,4.5,9\n").size());
        assertEquals(2, read("\"user\",\"item\",\"rating\"\n1,1,4\n1,3,4.5\n").size());
        assertEquals(1, read("u,i,r\n1,1,4\n").size());
    }

    @Test
    void aDeclaredHeaderThatIsARatingIsAnError() {
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> RatingsReader.of(RatingsFormat.CSV)
                .read(new ByteArrayInputStream("1,2,3\n1,3,5\n".getBytes(StandardCharsets.UTF_8)), "f.csv"));
        assertTrue(e.getMessage().startsWith("f.csv:1: the format says the first line is a header, but '1,2,3' is a"
                + " rating"), e.getMessage());
    }

    // ------------------------------------------------------------------ quoted fields

    @Test
    void quotedFieldsLoseTheirQuotesAsInEveryCsvReader() throws IOException {
        Ratings r = read("\"1\",\"10\",4.5\n\"2\", \"10\" ,\"3\"\n");
        assertEquals(2, r.size());
        assertTrue(r.userIds().isNumeric(), "quoted numbers are numbers");
        assertEquals(0, r.userIds().indexOf("1"));
        assertEquals(0, r.itemIds().indexOf("10"));

        Ratings text = read("user,item,rating\n\"Smith, J.\",\"The \"\"Big\"\" One\",5\n\" padded \",x,4\n");
        assertEquals(0, text.userIds().indexOf(" padded "), "inside quotes nothing is trimmed");
        assertEquals(1, text.userIds().indexOf("Smith, J."));
        assertEquals(0, text.itemIds().indexOf("The \"Big\" One"));
    }

    @Test
    void brokenQuotingNamesTheLine() {
        assertEquals("f.csv:2: field 2 opens a double quote that is not closed on its line in '2,\"10,4'",
                error("1,10,4\n2,\"10,4\n"));
        assertEquals("f.csv:2: field 1 has 'x' after its closing quote (a quote inside a quoted field is written \"\")"
                + " in '\"2\"x,10,4'", error("1,10,4\n\"2\"x,10,4\n"));
    }

    // ------------------------------------------------------------------ encodings

    private static byte[] encode(String text, String charset, byte... bom) {
        byte[] body = text.getBytes(Charset.forName(charset));
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        return all;
    }

    @Test
    void utf16AndUtf32AreRefusedByName() {
        String text = "1,10,4\n2,10,3\n";
        byte ff = (byte) 0xFF;
        byte fe = (byte) 0xFE;
        String[][] cases = {
            {"UTF-16LE (byte-order mark FF FE)", "UTF-16LE", "bom"},
            {"UTF-16BE (byte-order mark FE FF)", "UTF-16BE", "bom"},
            {"UTF-16LE (no byte-order mark; the NUL bytes in its first 28 bytes say so)", "UTF-16LE", ""},
            {"UTF-16BE (no byte-order mark; the NUL bytes in its first 28 bytes say so)", "UTF-16BE", ""},
            {"UTF-32LE (byte-order mark FF FE 00 00)", "UTF-32LE", "bom"},
            {"UTF-32BE (byte-order mark 00 00 FE FF)", "UTF-32BE", "bom"},
            {"UTF-32LE (no byte-order mark; the NUL bytes in its first 56 bytes say so)", "UTF-32LE", ""},
        };
        for (String[] c : cases) {
            byte[] bom = c[2].isEmpty() ? new byte[0] : switch (c[1]) {
                case "UTF-16LE" -> new byte[] {ff, fe};
                case "UTF-16BE" -> new byte[] {fe, ff};
                case "UTF-32LE" -> new byte[] {ff, fe, 0, 0};
                default -> new byte[] {0, 0, fe, ff};
            };
            String message = error(encode(text, c[1], bom));
            assertTrue(message.startsWith("f.csv: is encoded as " + c[0] + ", but ratings files must be UTF-8 (or"
                    + " ASCII); convert it first, for example with iconv -f " + c[1] + " -t UTF-8 f.csv"), message);
        }
    }

    @Test
    void nulBytesMeanBinaryDataAndAUtf8BomIsStillFine() throws IOException {
        assertEquals("f.csv: holds NUL bytes in its first 1024 bytes, so it is binary data, not a ratings text file"
                + " (UTF-8 or ASCII)", error(new byte[4096]));
        assertEquals(1, read(encode("1,2,3\n", "UTF-8", (byte) 0xEF, (byte) 0xBB, (byte) 0xBF)).size());
    }

    // ------------------------------------------------------------------ endless lines

    @Test
    void aLineBeyondTheLimitFailsNamingItWithoutReadingTheRest() {
        String longLine = "1,2,3\n" + "9".repeat(RatingsReader.MAX_LINE_CHARS + 1) + ",1,2\n";
        assertEquals("f.csv:2: line is longer than 65536 characters, the limit for a ratings line; this does not look"
                + " like a ratings file", error(longLine));
        // A line exactly at the limit is still read (here with a long text id).
        String atLimit = "1,2,3\n" + "7".repeat(RatingsReader.MAX_LINE_CHARS - 4) + ",2,3\n";
        assertDoesNotThrow(() -> read(atLimit));
        // An endless stream with no line break stops at the limit.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> detect.read(endless, "endless"));
        assertTrue(e.getMessage().startsWith("endless:1: line is longer than 65536 characters"), e.getMessage());
    }

    @Test
    void lineEndingsAreThoseOfReadLine() throws IOException {
        assertEquals(4, read("1,1,1\r\n1,2,2\r2,1,3\n\n2,2,4").size());
        assertEquals(1, read("1,1,1\r\n").size());
    }

    // ------------------------------------------------------------------ values that are no ratings

    @Test
    void hugeRatingsAreNamedAsNotARatingScale() {
        assertEquals("f.csv:3: rating 1e20 is too large to be on a rating scale: ratings must lie within"
                + " -1000000000..1000000000; fix the line, or rescale the ratings", error("1,1,4\n1,2,5\n2,1,1e20\n"));
        assertEquals("f.csv:2: rating -2e9 is too large to be on a rating scale: ratings must lie within"
                + " -1000000000..1000000000; fix the line, or rescale the ratings", error("1,1,4\n1,2,-2e9\n"));
        assertEquals("f.csv:3: ratings run from 1 (line 1) to 2000000 (line 3), a range of 1999999: too wide to be a"
                + " rating scale (at most 1000000 between the smallest and the largest rating, that is 10^6 levels at"
                + " a step of 1); check the value 2000000, or rescale the ratings", error("1,1,1\n1,2,5\n2,1,2e6\n"));
        RatingsInputException inMemory = assertThrows(RatingsInputException.class,
                () -> Ratings.builder().add(1, 1, 3).add(1, 2, 1e10).build());
        assertTrue(inMemory.getMessage().contains("rating 1.0E10 is too large to be on a rating scale"),
                inMemory.getMessage());
    }

    @Test
    void wideButPlausibleScalesAreFine() throws IOException {
        assertEquals(3, read("1,1,0\n1,2,1000000\n2,1,500000\n").size());
        assertEquals(2, read("1,1,-1e9\n1,2,-999999999.5\n").size());
    }
}
