package io.als.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MovieLens files for the accuracy tests, read at run time from the {@code shared} folder next
 * to the repository (tests run inside a module, so every ancestor of the working directory is
 * searched). Missing data fails the test with how to get it; nothing is ever skipped, and no
 * data is committed.
 */
final class SharedData {
    static final String FOLDER = "shared/data/movielens";
    static final String ML_100K = "ml-100k/u.data";
    static final String ML_100K_SPLITS = "ml-100k";
    static final String ML_1M = "ml-1m/derived/ratings_no_timestamp_itemindex.dat";

    private SharedData() {
    }

    /** The file or folder at {@code relative} under {@value #FOLDER}, or a failed test saying how to get it. */
    static Path require(String relative) {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FOLDER).resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return fail("MovieLens data " + relative + " is missing: no " + FOLDER + "/" + relative + " above " + here
                + ". Get the data set from https://grouplens.org/datasets/movielens/ (or run './als fetch "
                + relative.substring(0, relative.indexOf('/') < 0 ? relative.length() : relative.indexOf('/'))
                + " --dir ../shared/data/movielens' from the repository root) so that it sits at ../"
                + FOLDER + "/" + relative + " beside the repository checkout.");
    }
}
