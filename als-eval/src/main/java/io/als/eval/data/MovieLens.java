package io.als.eval.data;

import io.als.api.RatingsFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The MovieLens archives GroupLens publishes at https://grouplens.org/datasets/movielens/,
 * where each sits, what it unpacks to and its published MD5.
 *
 * <p>The MD5 values are those of GroupLens's {@code .md5} files as quoted, identically, by
 * several independent projects (e.g. {@code eli-osherovich/papers_with_code}
 * {@code datasets/movielens/dl_config.py}, and loaders in PaddlePaddle's dataset cache list).
 * {@code ml-latest-small} changes when GroupLens refreshes it, so it has no fixed value and
 * is checked against the {@code .md5} file served beside it only.
 */
public enum MovieLens {
    ML_100K("ml-100k", "ml-100k", "0e33842e24a9c977be4e0107933c0723", "u.data", RatingsFormat.TAB),
    ML_1M("ml-1m", "ml-1m", "c4d9eecfca2ab87c1945afe126590906", "ratings.dat", RatingsFormat.DAT),
    ML_10M("ml-10m", "ml-10M100K", "ce571fd55effeba0271552578f2648bd", "ratings.dat", RatingsFormat.DAT),
    ML_20M("ml-20m", "ml-20m", "cd245b17a1ae2cc31bb14903e1204af3", "ratings.csv", RatingsFormat.CSV),
    ML_25M("ml-25m", "ml-25m", "6b51fb2759a8657d3bfcbfc42b592ada", "ratings.csv", RatingsFormat.CSV),
    ML_LATEST_SMALL("ml-latest-small", "ml-latest-small", null, "ratings.csv", RatingsFormat.CSV);

    private final String id;
    private final String folder;
    private final String md5;
    private final String ratingsFile;
    private final RatingsFormat format;

    MovieLens(String id, String folder, String md5, String ratingsFile, RatingsFormat format) {
        this.id = id;
        this.folder = folder;
        this.md5 = md5;
        this.ratingsFile = ratingsFile;
        this.format = format;
    }

    /** The name users type, e.g. {@code ml-1m}. */
    public String id() {
        return id;
    }

    /** The archive's file name on the server. */
    public String archive() {
        return id + ".zip";
    }

    /** The folder the archive unpacks to. */
    public String folder() {
        return folder;
    }

    /** The published MD5 of the archive in lower-case hex, or null when it changes over time. */
    public String knownMd5() {
        return md5;
    }

    /** The ratings file inside {@link #folder()}. */
    public String ratingsFile() {
        return ratingsFile;
    }

    public RatingsFormat format() {
        return format;
    }

    public static MovieLens parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (MovieLens m : values()) {
            if (m.id.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("data set must be one of " + ids() + " but was '" + text + "'");
    }

    public static List<String> ids() {
        List<String> out = new ArrayList<>();
        for (MovieLens m : values()) {
            out.add(m.id);
        }
        return out;
    }
}
