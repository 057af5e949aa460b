package io.als.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatingsReaderTest {
    private final RatingsReader detect = new RatingsReader(null, DuplicatePolicy.ERROR);

    private Ratings read(String text) throws IOException {
        return detect.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void readsEachMovieLensLayout() throws IOException {
        assertEquals(2, read("196\t242\t3\t881250949\n186\t302\t3\t891717742\n").size());
        assertEquals(2, read("1::1193::5::978300760\n1::661::3::978302109\n").size());
        assertEquals(2, read("1::1193::5\n1::661::3\n").size());
        assertEquals(2, read("userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n").size());
        Ratings generic = new RatingsReader(RatingsFormat.parse("delim:semicolon:header"), DuplicatePolicy.ERROR)
                .read(new ByteArrayInputStream("u;i;r\na;b;2\n".getBytes(StandardCharsets.UTF_8)), "g");
        assertEquals(1, generic.size());
    }

    @Test
    void ratingsRememberWhereTheyCameFrom(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("u.data");
        Files.writeString(file, "1\t2\t3\n");
        Ratings fromFile = detect.read(file);
        assertEquals(file.toString(), fromFile.source());
        assertEquals("test", read("1\t2\t3\n").source());
        Ratings inMemory = Ratings.builder().add(1, 2, 3).build();
        assertEquals(Ratings.IN_MEMORY, inMemory.source());
        assertEquals(Ratings.IN_MEMORY, Ratings.of(inMemory.byUser()).source());
        Ratings renamed = inMemory.withSource("synthetic");
        assertEquals("synthetic", renamed.source());
        assertEquals(inMemory, renamed, "the name is not part of the ratings' value");
        assertEquals(inMemory.byItem(), renamed.byItem());
    }

    @Test
    void toleratesBomStrayWhitespaceAndBlankLines() throws IOException {
        Ratings r = read("\uFEFF1 :: 2 :: 4\n\n  3::4::5  \n");
        assertEquals(2, r.size());
        assertEquals(0, r.userIds().indexOf(1));
    }

    @Test
    void malformedLinesNameFileLineAndValue() {
        RatingsInputException e = assertThrows(RatingsInputException.class, () -> read("1\t2\t3\n1\t3\tfive\n"));
        assertEquals("test:2: rating must be a number but was 'five'", e.getMessage());
        e = assertThrows(RatingsInputException.class, () -> read("1\t2\t3\n1\t3\n"));
        assertEquals("test:2: expected at least 3 fields separated by '\\t' but found 2 in '1\\t3'", e.getMessage());
        e = assertThrows(RatingsInputException.class, () -> read("1\t2\tNaN\n"));
        assertEquals("test:1: rating must be finite but was NaN", e.getMessage());
    }

    @Test
    void emptyAndHeaderOnlyFilesAreErrors() {
        assertTrue(assertThrows(RatingsInputException.class, () -> read("")).getMessage()
                .contains("must not be empty"));
        assertTrue(assertThrows(RatingsInputException.class, () -> read("userId,movieId,rating\n")).getMessage()
                .contains("must not be empty"));
    }

    @Test
    void directoriesAndMissingFilesAreNamed(@TempDir Path dir) {
        assertTrue(assertThrows(RatingsInputException.class, () -> detect.read(dir)).getMessage()
                .endsWith("is a directory, not a ratings file; give a file such as u.data, ratings.dat or ratings.csv"));
        assertTrue(assertThrows(RatingsInputException.class, () -> detect.read(dir.resolve("nope"))).getMessage()
                .endsWith("nope: file not found"));
    }

    @Test
    void gzipIsReadTransparently(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("1::2::3\n2::2::4\n".getBytes(StandardCharsets.UTF_8));
        }
        Path f = dir.resolve("r.dat.gz");
        Files.write(f, bytes.toByteArray());
        assertEquals(2, detect.read(f).size());
    }
}
