package io.als.eval.data;

import io.als.api.RatingsFormat;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A second, narrow pass over a ratings file that {@link io.als.api.RatingsReader} has already
 * read and checked, for what {@link io.als.api.Ratings} does not keep: a line's number, or a
 * field after the rating (the timestamps of {@link io.als.eval.rank.Timestamps}). The file is
 * read as the reader read it: gzip or plain UTF-8, a byte-order mark skipped, blank lines
 * skipped, the format given or detected from the first line by {@link RatingsFormat#detect},
 * with that format's header rule.
 */
public final class DataLines {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    /** The most fields of a line a visitor sees (a ratings file's user, item, rating and time, and more). */
    static final int FIELDS = 16;

    private DataLines() {
    }

    /**
     * One data line: its number (from 1), its text and its first {@code count} fields as the
     * reader splits them ({@link io.als.api.RatingsReader#split}: trimmed, a quoted field
     * unquoted), at most {@value #FIELDS}. The array is reused for the next line.
     */
    @FunctionalInterface
    public interface Visitor {
        /** Returns false to stop the pass. */
        boolean visit(long lineNo, String line, String[] fields, int count, RatingsFormat format) throws IOException;
    }

    /**
     * Visits every data line of {@code file} in order.
     *
     * @param format the format the ratings were read with, or null when it was detected
     */
    public static void forEach(Path file, RatingsFormat format, Visitor visitor) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             BufferedReader in = new BufferedReader(new InputStreamReader(gunzipped(raw), StandardCharsets.UTF_8),
                     1 << 16)) {
            RatingsFormat fmt = format;
            boolean header = fmt != null && fmt.header();
            long lineNo = 0;
            String[] fields = new String[FIELDS];
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (fmt == null) {
                    fmt = RatingsFormat.detect(line);
                    header = fmt != null && fmt.header();
                }
                if (fmt == null || header) {
                    // The reader accepted this file, so an undetectable first line cannot occur.
                    header = false;
                    continue;
                }
                int n = io.als.api.RatingsReader.split(line, fmt.delimiter(), fields);
                if (!visitor.visit(lineNo, line, fields, n, fmt)) {
                    return;
                }
            }
        }
    }

    /**
     * The number of the first data line of {@code file} with this user and item (ids as the
     * reader reads them: trimmed, unquoted), or 0 when there is none.
     */
    public static long lineOf(Path file, RatingsFormat format, String user, String item) throws IOException {
        long[] found = {0};
        forEach(file, format, (lineNo, line, f, count, fmt) -> {
            if (count > Math.max(fmt.userColumn(), fmt.itemColumn()) && f[fmt.userColumn()].equals(user)
                    && f[fmt.itemColumn()].equals(item)) {
                found[0] = lineNo;
                return false;
            }
            return true;
        });
        return found[0];
    }

    private static InputStream gunzipped(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2 ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
