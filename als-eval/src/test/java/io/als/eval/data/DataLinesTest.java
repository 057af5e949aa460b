package io.als.eval.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.api.Ratings;
import io.als.api.RatingsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second pass finds a rating's line as the reader read it: header, blank lines, quoted ids. */
class DataLinesTest {

    @Test
    void aRatingsLineIsFoundByItsUserAndItemAsTheReaderSplitsThem(@TempDir Path dir) throws IOException {
        // Line 1 a header, line 3 blank, line 4 a quoted id holding the delimiter.
        Path file = Files.writeString(dir.resolve("r.csv"),
                "userId,movieId,rating\n1,10,4\n\n\"a,b\", 11 ,3\n1,12,5\n");
        Ratings ratings = RatingsReader.detecting().read(file);
        assertEquals(3, ratings.size());
        assertEquals(4, DataLines.lineOf(file, null, "a,b", "11"));
        assertEquals(5, DataLines.lineOf(file, null, "1", "12"));
        assertEquals(2, DataLines.lineOf(file, null, "1", "10"));
        assertEquals(0, DataLines.lineOf(file, null, "1", "11"));
    }
}
