package io.als.eval.rank;

import io.als.api.IdIndex;
import io.als.api.Ratings;
import io.als.api.RatingsFormat;
import io.als.api.RatingsInputException;
import io.als.eval.data.DataLines;
import io.als.spi.SparseView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The time of each rating, for the protocols that split by time (leave-last-out and the
 * global time split). {@link Ratings} keeps no timestamps, so this is a second, narrow pass
 * over a file that {@link io.als.api.RatingsReader} has already read and checked: the same
 * format (given, or detected from the first line by {@link RatingsFormat#detect}, with its
 * header rule), and from each line only the user, the item and the field after the last of
 * the user, item and rating columns, which MovieLens files use for the timestamp (u.data's
 * fourth column, ratings.dat's {@code ::}-separated fourth field, ratings.csv's
 * {@code timestamp}). The timestamp is an integer (seconds in MovieLens; any unit will do, only
 * the order matters). A rating repeated in the file (read under {@code --duplicates last} or
 * {@code mean}) takes its latest time.
 *
 * <p>Everything else (ids, ratings, duplicates, encodings) was checked by the reader; here a
 * line fails only for its timestamp: missing or not an integer, named with the file and line.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * The time of every rating of {@code ratings}, which were read from {@code file}, indexed
     * like the entries of {@code ratings.byUser()}.
     *
     * @param format the format the ratings were read with, or null when it was detected
     * @throws RatingsInputException naming the file and line of a missing or bad timestamp
     */
    public static long[] read(Path file, RatingsFormat format, Ratings ratings) throws IOException {
        String source = file.toString();
        SparseView v = ratings.byUser();
        long[] time = new long[v.nnz()];
        Arrays.fill(time, Long.MIN_VALUE);
        DataLines.forEach(file, format, (lineNo, line, f, count, fmt) -> {
            int column = fmt.minFields();
            if (count <= column || f[column].isEmpty()) {
                throw new RatingsInputException(source, lineNo, "has no timestamp: splitting by time needs one in"
                        + " field " + (column + 1) + " (after the user, item and rating), but the line is '"
                        + abbreviate(line) + "'; use --protocol holdout or kfold for data without times");
            }
            long t;
            try {
                t = Long.parseLong(f[column]);
            } catch (NumberFormatException e) {
                throw new RatingsInputException(source, lineNo, "timestamp must be an integer but was '"
                        + abbreviate(f[column]) + "'");
            }
            int e = entry(ratings, v, f[fmt.userColumn()], f[fmt.itemColumn()]);
            if (e >= 0) {
                time[e] = Math.max(time[e], t);
            }
            return true;
        });
        for (int e = 0; e < time.length; e++) {
            if (time[e] == Long.MIN_VALUE) {
                throw new IllegalStateException(source + " changed while it was read: a rating has no line with a"
                        + " timestamp");
            }
        }
        return time;
    }

    /** The entry of (user, item) in the by-user view, or -1 when it is not there. */
    private static int entry(Ratings ratings, SparseView v, String user, String item) {
        IdIndex users = ratings.userIds();
        int u = users.indexOf(user);
        int i = ratings.itemIds().indexOf(item);
        if (u < 0 || i < 0) {
            return -1;
        }
        // A row's item indices ascend (the canonical order).
        int lo = v.start(u);
        int hi = v.end(u) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = v.index(mid);
            if (at < i) {
                lo = mid + 1;
            } else if (at > i) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        String p = s.replace("\t", "\\t");
        return p.length() > 80 ? p.substring(0, 77) + "..." : p;
    }
}
