package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A missing data file fails the test with directions, never skips it. */
class MovieLensFilesTest {

    @Test
    void aMissingFileFailsWithWhereToGetItAndWhereToPutIt() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> MovieLensFiles.require("ml-100k/no-such-file.data"));
        assertTrue(e.getMessage().contains("https://grouplens.org/datasets/movielens/"), e.getMessage());
        assertTrue(e.getMessage().contains("shared/data/movielens/ml-100k/no-such-file.data"), e.getMessage());
    }
}
