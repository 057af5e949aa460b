package io.als.api;

import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams a delimited ratings file into {@link Ratings}, one line at a time. Fields are
 * trimmed; a byte-order mark at the start is skipped; blank lines are skipped; a gzip file
 * (by its magic bytes) is read through gunzip. Any malformed line fails with a
 * {@link RatingsInputException} naming the file, the line number and the bad value.
 */
public final class RatingsReader {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final RatingsFormat format;
    private final DuplicatePolicy duplicates;
    private final RatingScale scale;

    /**
     * A reader that detects the format from the first data line (MovieLens {@code u.data},
     * {@code ratings.dat}, {@code ratings.csv}, or a delimited file) and rejects a repeated
     * (user, item) pair.
     */
    public static RatingsReader detecting() {
        return new RatingsReader(null, DuplicatePolicy.ERROR);
    }

    /** A reader of one given format that rejects a repeated (user, item) pair. */
    public static RatingsReader of(RatingsFormat format) {
        return new RatingsReader(java.util.Objects.requireNonNull(format, "format"), DuplicatePolicy.ERROR);
    }

    /**
     * @param format     the layout, or null to detect it from the first data line
     * @param duplicates what to do with a repeated (user, item) pair
     */
    public RatingsReader(RatingsFormat format, DuplicatePolicy duplicates) {
        this(format, duplicates, null);
    }

    /**
     * @param format     the layout, or null to detect it from the first data line
     * @param duplicates what to do with a repeated (user, item) pair
     * @param scale      the valid range of ratings, or null to accept any finite rating
     */
    public RatingsReader(RatingsFormat format, DuplicatePolicy duplicates, RatingScale scale) {
        this.format = format;
        this.duplicates = duplicates;
        this.scale = scale;
    }

    /** Reads a file (detecting the format when none was given). */
    public Ratings read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new RatingsInputException(name, 0, "is a directory, not a ratings file;"
                    + " give a file such as u.data, ratings.dat or ratings.csv");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(raw, name);
        } catch (NoSuchFileException e) {
            throw new RatingsInputException(name, 0, "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a stream, naming it {@code source} in errors. The stream is not closed. */
    public Ratings read(InputStream in, String source) throws IOException {
        InputStream stream = in.markSupported() ? in : new BufferedInputStream(in);
        stream.mark(2);
        int b1 = stream.read();
        int b2 = stream.read();
        stream.reset();
        if (b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2) {
            try {
                return parse(new GZIPInputStream(stream), source);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new RatingsInputException(source, 0, "starts like gzip but is not valid gzip data ("
                        + e.getMessage() + "); re-download or decompress it first");
            }
        }
        return parse(stream, source);
    }

    private Ratings parse(InputStream stream, String source) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        Ratings.Builder builder = Ratings.builder().source(source).duplicates(duplicates);
        RatingsFormat fmt = format;
        boolean skipHeader = fmt != null && fmt.header();
        String[] fields = new String[0];
        long lineNo = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (fmt == null) {
                fmt = RatingsFormat.detect(line);
                if (fmt == null) {
                    throw new RatingsInputException(source, lineNo, "cannot tell the format from '" + abbreviate(line)
                            + "'; expected user, item and rating separated by a tab, '::' or ','"
                            + " (or give --format)");
                }
                skipHeader = fmt.header();
                fields = new String[Math.max(fmt.minFields(), 4)];
            }
            if (skipHeader) {
                skipHeader = false;
                continue;
            }
            if (fields.length < fmt.minFields()) {
                fields = new String[fmt.minFields()];
            }
            int n = split(line, fmt.delimiter(), fields);
            if (n < fmt.minFields()) {
                throw new RatingsInputException(source, lineNo, "expected at least " + fmt.minFields()
                        + " fields separated by '" + printable(fmt.delimiter()) + "' but found " + n + " in '"
                        + abbreviate(line) + "'");
            }
            String user = fields[fmt.userColumn()];
            String item = fields[fmt.itemColumn()];
            String ratingText = fields[fmt.ratingColumn()];
            if (user.isEmpty() || item.isEmpty()) {
                throw new RatingsInputException(source, lineNo, "user and item ids must be non-empty but line was '"
                        + abbreviate(line) + "'");
            }
            double rating;
            try {
                rating = Double.parseDouble(ratingText);
            } catch (NumberFormatException e) {
                throw new RatingsInputException(source, lineNo, "rating must be a number but was '"
                        + abbreviate(ratingText) + "'");
            }
            if (scale != null && Double.isFinite(rating) && !scale.contains(rating)) {
                throw new RatingsInputException(source, lineNo, "rating must be within the declared scale " + scale
                        + " but was " + ratingText + "; fix the line or widen --scale");
            }
            builder.add(user, item, rating, lineNo);
        }
        if (builder.size() == 0) {
            throw new RatingsInputException(source, 0, "ratings must not be empty but the file held "
                    + (lineNo == 0 ? "nothing" : "no rating (" + lineNo + " line(s))"));
        }
        return builder.build();
    }

    /** Splits on a literal delimiter into {@code out}, trimming; returns the field count (up to out.length). */
    static int split(String line, String delimiter, String[] out) {
        int count = 0;
        int from = 0;
        int dl = delimiter.length();
        while (count < out.length) {
            int at = line.indexOf(delimiter, from);
            if (at < 0) {
                out[count++] = line.substring(from).trim();
                return count;
            }
            out[count++] = line.substring(from, at).trim();
            from = at + dl;
        }
        return count;
    }

    private static String printable(String delimiter) {
        return delimiter.replace("\t", "\\t");
    }

    static String abbreviate(String s) {
        String p = s.replace("\t", "\\t");
        return p.length() > 80 ? p.substring(0, 77) + "..." : p;
    }
}
