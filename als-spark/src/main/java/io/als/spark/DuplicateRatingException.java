package io.als.spark;

import io.als.api.RatingsInputException;

/** A (user, item) pair rated more than once: the distributed fit, like the library's default, refuses it. */
public final class DuplicateRatingException extends RatingsInputException {
    private static final long serialVersionUID = 1L;

    DuplicateRatingException(String source, String user, String item) {
        super(source, 0, "user " + user + " rated item " + item + " more than once; merge the repeats first"
                + " (the Spark engine has no --duplicates policy yet)");
    }
}
