package io.als.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.IdIndex;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.ModelFormatException;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import io.als.spi.FactorMatrix;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Hostile files of the kinds that used to be read as something else: text in UTF-16 or
 * UTF-32, quoted CSV fields, and model files whose checksum is right but whose content is
 * not. Tries are bounded to keep the suite fast; a failure prints its seed.
 */
class FileFuzzTest {

    // ------------------------------------------------------------------ encodings

    @Provide
    Arbitrary<String> asciiText() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t').ofMinLength(1).ofMaxLength(200);
    }

    @Property(tries = 200)
    void utf16AndUtf32AreAlwaysRefusedByName(@ForAll("asciiText") String text,
                                             @ForAll @IntRange(min = 0, max = 3) int which,
                                             @ForAll boolean bom) {
        String charset = List.of("UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE").get(which);
        byte[] body = text.getBytes(Charset.forName(charset));
        byte[] mark = !bom ? new byte[0] : switch (charset) {
            case "UTF-16LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE};
            case "UTF-16BE" -> new byte[] {(byte) 0xFE, (byte) 0xFF};
            case "UTF-32LE" -> new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0};
            default -> new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF};
        };
        byte[] all = new byte[mark.length + body.length];
        System.arraycopy(mark, 0, all, 0, mark.length);
        System.arraycopy(body, 0, all, mark.length, body.length);
        try {
            RatingsReader.detecting().read(new ByteArrayInputStream(all), "fuzz");
            throw new AssertionError(charset + " text was read as ratings");
        } catch (RatingsInputException e) {
            assertTrue(e.getMessage().startsWith("fuzz: is encoded as " + charset + " "), e.getMessage());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ quoted CSV

    @Provide
    Arbitrary<List<String>> awkwardIds() {
        Arbitrary<String> id = Arbitraries.strings().withCharRange(' ', '~').withChars(',', '"', ' ', 'é', 'ß', '中')
                .ofMinLength(1).ofMaxLength(12);
        return id.list().ofMinSize(1).ofMaxSize(15).uniqueElements();
    }

    private static String quoted(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    @Property(tries = 300)
    void quotedCsvFieldsReadBackAsWritten(@ForAll("awkwardIds") List<String> users) throws IOException {
        StringBuilder sb = new StringBuilder("user,item,rating\r\n");
        for (int k = 0; k < users.size(); k++) {
            sb.append(quoted(users.get(k))).append(',').append(quoted("item " + k + ", \"the\" one")).append(',')
                    .append(k % 5 + 1).append(k % 2 == 0 ? "\n" : "\r\n");
        }
        Ratings r = RatingsReader.detecting().read(new ByteArrayInputStream(sb.toString()
                .getBytes(StandardCharsets.UTF_8)), "fuzz");
        assertEquals(users.size(), r.size());
        for (int k = 0; k < users.size(); k++) {
            assertTrue(r.userIds().indexOf(users.get(k)) >= 0, "user " + users.get(k) + " in " + sb);
            assertTrue(r.itemIds().indexOf("item " + k + ", \"the\" one") >= 0, sb.toString());
        }
    }

    // ------------------------------------------------------------------ model structure

    /** A small valid model file, with numeric or text ids. */
    private static byte[] validModel(boolean textIds, Path dir) throws IOException {
        int users = 4;
        int items = 5;
        SplittableRandom rnd = new SplittableRandom(11);
        FactorMatrix u = new FactorMatrix(users, 2);
        FactorMatrix p = new FactorMatrix(items, 2);
        java.util.Arrays.setAll(u.data(), k -> rnd.nextDouble() - 0.5);
        java.util.Arrays.setAll(p.data(), k -> rnd.nextDouble() - 0.5);
        double[] ub = {0.1, -0.2, 0.3, 0};
        double[] ib = {0, 0.5, -0.5, 0.25, 0.1};
        IdIndex userIds = textIds ? IdIndex.ofStrings("ann", "bo", "cy", "di") : IdIndex.ofNumeric(3, 5, 8, 13);
        IdIndex itemIds = textIds ? IdIndex.ofStrings("a", "b", "c", "d", "e") : IdIndex.ofNumeric(1, 2, 4, 8, 16);
        Model m = new Model(userIds, itemIds, u, p, 3.5, ub, ib, new int[] {0, 2, 3, 3, 5}, new int[] {0, 4, 2, 1, 3});
        Path f = dir.resolve("valid.als");
        ModelFile.write(m, f);
        return Files.readAllBytes(f);
    }

    @Property(tries = 300)
    void aModelWithAValidChecksumLoadsSoundOrIsRefused(@ForAll boolean textIds,
                                                       @ForAll @IntRange(min = 0, max = 1000) int where,
                                                       @ForAll @IntRange(min = 0, max = 5) int how,
                                                       @ForAll @LongRange(min = Long.MIN_VALUE) long value)
            throws IOException {
        Path dir = Files.createTempDirectory("als-model-fuzz");
        try {
            byte[] bytes = validModel(textIds, dir);
            int body = bytes.length - 8 - 12;
            int at = 12 + where % body;
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            switch (how) {
                case 0 -> bytes[at] = (byte) value;
                case 1 -> buf.putInt(Math.min(at, bytes.length - 12), (int) value);
                case 2 -> buf.putInt(Math.min(at, bytes.length - 12), (int) (value % 8));
                case 3 -> buf.putDouble(Math.min(at, bytes.length - 16), Double.longBitsToDouble(value));
                case 4 -> buf.putDouble(Math.min(at, bytes.length - 16), value % 2 == 0 ? Double.NaN : 1e300);
                default -> buf.putInt(Math.min(at, bytes.length - 12), Integer.MAX_VALUE - (int) (value & 3));
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 8);
            buf.putLong(bytes.length - 8, crc.getValue());
            Path f = Files.write(dir.resolve("m.als"), bytes);
            Model m;
            try {
                m = ModelFile.read(f);
            } catch (ModelFormatException refused) {
                assertTrue(refused.getMessage().startsWith(f + ": "), refused.getMessage());
                return;
            }
            for (int u = 0; u < m.userIds().size(); u++) {
                for (int i = 0; i < m.itemIds().size(); i++) {
                    double prediction = m.predictIndex(u, i);
                    assertTrue(Double.isFinite(prediction), "a loaded model predicts " + prediction);
                }
                m.recommend(m.userIds().idAt(u), 3);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
