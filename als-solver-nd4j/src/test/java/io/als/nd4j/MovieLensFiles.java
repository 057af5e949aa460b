package io.als.nd4j;

import static org.junit.jupiter.api.Assertions.fail;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the MovieLens files shared next to the repository. Tests run with the module as the
 * working directory, so the search walks up from {@code user.dir} until some ancestor has a
 * {@code shared/data/movielens} folder. A missing file fails the test (never skips it) with
 * where to get the data and where to put it.
 */
final class MovieLensFiles {
    static final String DATA_DIR = "shared/data/movielens";
    static final String ML_100K = "ml-100k/u.data";
    static final String ML_1M = "ml-1m/derived/ratings_no_timestamp_itemindex.dat";

    private MovieLensFiles() {
    }

    /** The file at {@code relative} under the shared MovieLens folder, or a failed test. */
    static Path require(String relative) {
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DATA_DIR).resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("MovieLens file " + relative + " not found under any " + DATA_DIR + " folder above " + start
                + ". Download the data set from https://grouplens.org/datasets/movielens/ and put it at "
                + expectedLocation(start).resolve(DATA_DIR).resolve(relative)
                + " (a 'shared' folder next to the repository checkout).");
    }

    /** The parent of the repository root (the first ancestor holding {@code .mvn}), where {@code shared} belongs. */
    private static Path expectedLocation(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".mvn")) && dir.getParent() != null) {
                return dir.getParent();
            }
        }
        return start;
    }

    /** Reads a ratings file, failing on duplicates. */
    static Ratings read(String relative) {
        return new RatingsReader(null, DuplicatePolicy.ERROR).read(require(relative));
    }
}
