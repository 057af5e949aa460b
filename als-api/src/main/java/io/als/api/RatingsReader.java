package io.als.api;

import io.als.internal.FileReasons;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a delimited ratings file into {@link Ratings}, one line at a time. Fields are
 * trimmed; a field in double quotes is read as CSV readers read it (RFC 4180: the quotes are
 * not part of the value, and {@code ""} inside stands for one quote; a quoted field must end
 * on its line); a UTF-8 byte-order mark at the start is skipped; blank lines are skipped; a
 * gzip file (by its magic bytes) is read through gunzip. Any malformed line fails with a
 * {@link RatingsInputException} naming the file, the line number and the bad value.
 *
 * <p>What is refused, quickly and by name, rather than read as garbage:
 * <ul>
 *   <li>text that is not UTF-8 or ASCII: UTF-16 and UTF-32 (by their byte-order marks, or by
 *       NUL bytes in the first {@value #SNIFF_BYTES} bytes), and binary data (NUL bytes);</li>
 *   <li>bytes that are not UTF-8 anywhere in the file (a Latin-1 {@code é}, say), naming the
 *       line and the byte: read as U+FFFD they would make distinct ids one;</li>
 *   <li>a line longer than {@value #MAX_LINE_CHARS} characters (so that a file such as
 *       {@code /dev/zero} or a binary file without line breaks fails at once instead of
 *       filling the heap);</li>
 *   <li>a rating beyond {@code ±}{@link Ratings#MAX_ABS_RATING}, and ratings spanning more than
 *       {@link Ratings#MAX_RANGE} (see {@link Ratings.Builder}): such values are not on a
 *       rating scale.</li>
 * </ul>
 */
public final class RatingsReader {
    /** The longest line read, in characters: real ratings lines are well under 100. */
    public static final int MAX_LINE_CHARS = 1 << 16;
    /** How many bytes at the start are examined for the encoding. */
    static final int SNIFF_BYTES = 1024;

    /** Why ratings must come from a regular file, for the errors that refuse anything else. */
    private static final String REGULAR_ONLY = "ratings must be in a regular file, which is sized against the heap"
            + " before loading and may be read twice (a pipe or a device cannot be); save them to a file first and"
            + " give its path";

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final RatingsFormat format;
    private final DuplicatePolicy duplicates;
    private final RatingScale scale;
    /** Whether {@link #scale} is a model's (an update's data), not one the user declared. */
    private final boolean modelScale;
    /** Implicit feedback: the value column may be missing (value 1) and values must be finite and >= 0. */
    private final boolean implicit;

    private static final Logger LOG = LoggerFactory.getLogger(RatingsReader.class);

    /** Header names a two-column implicit file may start with (compared ignoring case, {@code _} and {@code -}). */
    private static final java.util.Set<String> PAIR_HEADER_NAMES = java.util.Set.of("user", "userid", "item", "itemid",
            "movieid", "artistid", "productid", "trackid", "u", "i");

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
        this(format, duplicates, scale, false, false);
    }

    private RatingsReader(RatingsFormat format, DuplicatePolicy duplicates, RatingScale scale, boolean implicit,
                          boolean modelScale) {
        this.format = format;
        this.duplicates = duplicates;
        this.scale = scale;
        this.implicit = implicit;
        this.modelScale = modelScale;
    }

    /**
     * A reader of new ratings for a model trained on {@code scale} (a partial update): a rating
     * off that scale fails naming its file and line, and the message says the scale is the
     * model's.
     */
    public static RatingsReader onModelScale(RatingsFormat format, DuplicatePolicy duplicates, RatingScale scale) {
        return new RatingsReader(format, duplicates, java.util.Objects.requireNonNull(scale, "scale"), false, true);
    }

    /**
     * This reader for implicit feedback (clicks, plays, purchases): a file's lines may stop
     * after the user and the item (value 1, "this user interacted with this item"), and a
     * value, when given, must be a finite number {@code >= 0} (a count, a rating or a weight);
     * anything else fails naming the file, the line and the value. The first line with data
     * decides whether the file has a value column, and a line that disagrees fails (a value
     * lost from one line is more likely damage than meaning 1). A two-field first line is a
     * header when both fields are header words such as {@code user,item} or
     * {@code userId,movieId}, or when both are words and the next line is a pair of numeric ids
     * ({@code customer,product} above {@code 1,10}; logged); word ids above word ids are data.
     */
    public RatingsReader forImplicit() {
        return new RatingsReader(format, duplicates, scale, true, modelScale);
    }

    /**
     * Reads a file (detecting the format when none was given). A file that cannot be opened
     * fails with a {@link RatingsInputException} that says why (not found, permission denied,
     * a regular file where a folder should be, ...). Only a regular file is read: a pipe
     * ({@code /dev/stdin}) or a device fails at once, saying so; read a stream with
     * {@link #read(InputStream, String)}.
     */
    public Ratings read(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new RatingsInputException(name, 0, "is a directory, not a ratings file;"
                    + " give a file such as u.data, ratings.dat or ratings.csv");
        }
        String kind = FileReasons.kind(file);
        if (kind != null && !kind.equals(FileReasons.REGULAR_FILE)) {
            throw new RatingsInputException(name, 0, "is " + kind + ", not a regular file; " + REGULAR_ONLY);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(raw, name);
        } catch (NoSuchFileException e) {
            Path blocker = FileReasons.nonDirectoryAncestor(file);
            if (blocker == null && name.equals("-")) {
                throw new RatingsInputException(name, 0, "file not found; reading ratings from standard input ('-')"
                        + " is not supported: " + REGULAR_ONLY);
            }
            throw new RatingsInputException(name, 0, blocker == null ? "file not found"
                    : "cannot read it: " + FileReasons.reason(file, e));
        } catch (IOException e) {
            throw new RatingsInputException(name, 0, "cannot read it: " + FileReasons.reason(file, e));
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
                return parse(new BufferedInputStream(new GZIPInputStream(stream), 1 << 16), source);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new RatingsInputException(source, 0, "starts like gzip but is not valid gzip data ("
                        + e.getMessage() + "); re-download or decompress it first");
            }
        }
        return parse(stream, source);
    }

    private Ratings parse(InputStream stream, String source) throws IOException {
        return parse(stream, source, null);
    }

    /**
     * For tests: reads an uncompressed stream as {@link #read(InputStream, String)} does, and
     * counts in {@code fastLines[0]} the lines the fast path read ({@link PlainLine}), which
     * is the only way to tell it from the general path: both must read the same ratings.
     */
    Ratings readCountingFastLines(InputStream stream, String source, long[] fastLines) throws IOException {
        return parse(stream, source, fastLines);
    }

    private Ratings parse(InputStream stream, String source, long[] fastLines) throws IOException {
        requireUtf8(stream, source);
        ByteLines reader = new ByteLines(stream, source);
        Ratings.Builder builder = Ratings.builder().source(source).duplicates(duplicates);
        PlainLine plain = new PlainLine();
        RatingsFormat fmt = format;
        boolean header = fmt != null && fmt.header();
        byte[] delimiter = fmt == null ? null : PlainLine.delimiterBytes(fmt);
        String[] fields = new String[Math.max(fmt == null ? 0 : fmt.minFields(), 4)];
        // Implicit feedback: whether the first line with data had no value column (null before
        // it); every other line must agree, as a line that lost its value is likely damage.
        Boolean pairFile = null;
        long firstDataLine = 0;
        // A first line of two words in a pair file, held until the next line tells whether it
        // is a header (ids that are numbers follow it) or data (word ids follow it).
        String[] pending = null;
        long pendingLine = 0;
        // Lines that were not blank so far: only the file's first may be held as pending (a word
        // pair after a header that was already skipped is data).
        long nonBlank = 0;
        while (reader.next()) {
            long lineNo = reader.number();
            if (!header && !Boolean.TRUE.equals(pairFile) && delimiter != null && reader.ascii()
                    && plain.parse(reader.buffer(), reader.start(), reader.end(), delimiter)) {
                // The common shape (canonical integer ids, a plain decimal rating), read from the
                // bytes without decoding or making strings; any other line takes the general path,
                // and so does every line with a non-ASCII byte, which text() checks is UTF-8.
                if (!ratingFits(plain.rating)) {
                    checkRating(source, lineNo, plain.rating, plain.ratingText(reader.buffer()));
                }
                builder.add(plain.user, plain.item, plain.rating, lineNo);
                nonBlank++;
                if (pairFile == null && implicit) {
                    pairFile = false;
                    firstDataLine = lineNo;
                }
                if (fastLines != null) {
                    fastLines[0]++;
                }
                continue;
            }
            String line = reader.text();
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            nonBlank++;
            if (fmt == null) {
                fmt = RatingsFormat.detect(line);
                if (fmt == null) {
                    throw new RatingsInputException(source, lineNo, "cannot tell the format from '" + abbreviate(line)
                            + "'; expected user, item and rating separated by a tab, '::' or ','"
                            + " (or give --format)");
                }
                header = fmt.header();
                delimiter = PlainLine.delimiterBytes(fmt);
            }
            if (fields.length < fmt.minFields()) {
                fields = new String[fmt.minFields()];
            }
            int n;
            try {
                n = split(line, fmt.delimiter(), fields);
            } catch (IllegalArgumentException e) {
                if (header) {
                    header = false;
                    continue;
                }
                throw new RatingsInputException(source, lineNo, e.getMessage() + " in '" + abbreviate(line) + "'");
            }
            boolean pairOnly = implicit && n == fmt.minFields() - 1 && fmt.ratingColumn() == n;
            if (pairOnly && !header && firstDataLine(builder) && pending == null
                    && isPairHeader(fields[0], fields[1])) {
                continue;
            }
            if (header) {
                // A declared header is skipped, unless it is plainly a rating (or, in a file of
                // pairs, a pair of numeric ids): then the declaration is wrong and skipping the
                // line would lose a rating silently.
                header = false;
                if ((n >= fmt.minFields() || pairOnly) && RatingsFormat.isNumeric(fields[fmt.userColumn()])
                        && RatingsFormat.isNumeric(fields[fmt.itemColumn()])
                        && (pairOnly || RatingsFormat.isNumeric(fields[fmt.ratingColumn()]))) {
                    throw new RatingsInputException(source, lineNo, "the format says the first line is a header, but '"
                            + abbreviate(line) + "' is " + (pairOnly ? "a user and an item" : "a rating")
                            + "; give a format without a header (for a CSV file without one: --format delim:comma)");
                }
                continue;
            }
            if (pending != null) {
                // The first line was two words: a header if this line is a pair of numeric ids
                // (the rule the Spark engine's reader applies too).
                if (pairOnly && isPairHeader(pending[0], pending[1], fields[fmt.userColumn()],
                        fields[fmt.itemColumn()])) {
                    LOG.info("{}:{}: '{}' and '{}' read as a header, not as a user and an item: both are words,"
                            + " and the ids after them are numbers", source, pendingLine, pending[0], pending[1]);
                    pairFile = null;
                } else {
                    builder.add(pending[0], pending[1], 1, pendingLine);
                }
                pending = null;
            }
            if (implicit && pairFile == null) {
                pairFile = pairOnly;
                firstDataLine = lineNo;
            }
            if (n < fmt.minFields() && !(pairOnly && pairFile)) {
                throw new RatingsInputException(source, lineNo, "expected at least " + fmt.minFields()
                        + " fields separated by '" + printable(fmt.delimiter()) + "' but found " + n + " in '"
                        + abbreviate(line) + "'" + (pairOnly ? "; the first line with data (line " + firstDataLine
                        + ") has a value column, so every line needs one" : ""));
            }
            if (Boolean.TRUE.equals(pairFile) && !pairOnly) {
                throw new RatingsInputException(source, lineNo, "'" + abbreviate(line) + "' has a value column,"
                        + " but the first line with data (line " + firstDataLine + ") has none, so no line may"
                        + " have one; give every line a value, or none");
            }
            String user = fields[fmt.userColumn()];
            String item = fields[fmt.itemColumn()];
            if (pairOnly && nonBlank == 1 && looksLikeWords(user, item)) {
                pending = new String[] {user, item};
                pendingLine = lineNo;
                continue;
            }
            String ratingText = pairOnly ? "1" : fields[fmt.ratingColumn()];
            if (user.isEmpty() || item.isEmpty()) {
                throw new RatingsInputException(source, lineNo, "user and item ids must be non-empty but line was '"
                        + abbreviate(line) + "'");
            }
            double rating;
            try {
                rating = Double.parseDouble(decimal(ratingText));
            } catch (NumberFormatException e) {
                throw new RatingsInputException(source, lineNo, "rating must be a number but was '"
                        + abbreviate(ratingText) + "'");
            }
            if (io.als.internal.Checks.underflows(ratingText.strip(), rating)) {
                throw new RatingsInputException(source, lineNo, "rating " + abbreviate(ratingText.strip()) + " is too"
                        + " small in size for a double (it would read as 0); write 0, or rescale the ratings");
            }
            checkRating(source, lineNo, rating, ratingText);
            builder.add(user, item, rating, lineNo);
        }
        if (pending != null) {
            builder.add(pending[0], pending[1], 1, pendingLine);
        }
        long lines = reader.number();
        if (builder.size() == 0) {
            throw new RatingsInputException(source, 0, "ratings must not be empty but the file held "
                    + (lines == 0 ? "nothing" : "no rating (" + lines + " line(s))"));
        }
        return builder.build();
    }

    /** {@link Checks#decimal}: the rating's text, when it is a decimal number. */
    static String decimal(String text) {
        return io.als.internal.Checks.decimal(text);
    }

    /** Whether a rating passes {@link #checkRating} (so that the fast path makes no message text for it). */
    private boolean ratingFits(double rating) {
        return Math.abs(rating) <= Ratings.MAX_ABS_RATING && (scale == null || scale.contains(rating));
    }

    /** Whether two ids are both non-empty and neither is a number (so the pair may be a header). */
    private static boolean looksLikeWords(String user, String item) {
        return !user.isEmpty() && !item.isEmpty() && !RatingsFormat.isNumeric(user) && !RatingsFormat.isNumeric(item);
    }

    /** Whether nothing has been read yet (so the line at hand is the first with data). */
    private static boolean firstDataLine(Ratings.Builder builder) {
        return builder.size() == 0;
    }

    /**
     * Whether two fields are both header words of a two-column implicit file ({@code user},
     * {@code item}, {@code user_id}, {@code artistId}, ...: compared ignoring case, {@code _} and {@code -}).
     */
    public static boolean isPairHeader(String a, String b) {
        return PAIR_HEADER_NAMES.contains(headerWord(a)) && PAIR_HEADER_NAMES.contains(headerWord(b));
    }

    /**
     * Whether the first line of a two-column implicit file, {@code a} and {@code b}, is a
     * header, given the ids of the line after it ({@code nextUser}, {@code nextItem}; null when
     * there is none): both are header words ({@link #isPairHeader(String, String)}), or both
     * are words and the next line's ids are both numbers. The rule {@link #forImplicit()}
     * reads by, for readers that see the first lines apart from the rest (the Spark engine).
     */
    public static boolean isPairHeader(String a, String b, String nextUser, String nextItem) {
        return isPairHeader(a, b) || looksLikeWords(a, b) && nextUser != null && nextItem != null
                && RatingsFormat.isNumeric(nextUser) && RatingsFormat.isNumeric(nextItem);
    }

    private static String headerWord(String f) {
        return f.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** The checks every rating gets, whichever path read it. */
    private void checkRating(String source, long lineNo, double rating, String ratingText) {
        if (implicit && !(rating >= 0 && Double.isFinite(rating))) {
            throw new RatingsInputException(source, lineNo, "an implicit-feedback value (a count, rating or weight)"
                    + " must be a finite number >= 0 but was " + ratingText);
        }
        if (Double.isFinite(rating) && Math.abs(rating) > Ratings.MAX_ABS_RATING) {
            throw new RatingsInputException(source, lineNo, Ratings.tooLarge(ratingText));
        }
        if (scale != null && Double.isFinite(rating) && !scale.contains(rating)) {
            throw new RatingsInputException(source, lineNo, modelScale
                    ? "rating must be on the scale " + scale + " the model was trained on but was " + ratingText
                    : "rating must be within the declared scale " + scale + " but was " + ratingText
                            + "; fix the line or widen --scale");
        }
    }

    /**
     * The fast path for the lines nearly every ratings file holds: {@code U<d>I<d>R}, then
     * nothing or a delimiter and anything (a timestamp), where {@code U} and {@code I} are
     * canonical decimal integers (what {@link io.als.internal.IdCollector} would read as numeric
     * ids: no sign, no leading zero, at most 18 digits) and {@code R} is digits with an
     * optional fraction, at most 15 digits in all, with no blanks anywhere. It reads the three
     * values without making a string. The rating is the integer of its digits divided by a
     * power of ten: both are exact doubles, so the one division is correctly rounded and equal
     * to {@link Double#parseDouble} of the text. A line of any other shape returns false and
     * is read by the general path, which trims, unquotes and reports errors.
     */
    static final class PlainLine {
        private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15};
        long user;
        long item;
        double rating;
        private long value;
        private int ratingFrom;
        private int ratingTo;

        /**
         * The delimiter's bytes when the format suits the fast path (columns user, item, rating
         * in that order, an ASCII delimiter that cannot start a number), else null.
         */
        static byte[] delimiterBytes(RatingsFormat f) {
            if (f.userColumn() != 0 || f.itemColumn() != 1 || f.ratingColumn() != 2) {
                return null;
            }
            String d = f.delimiter();
            for (int k = 0; k < d.length(); k++) {
                char c = d.charAt(k);
                if (c >= 128 || (c >= '0' && c <= '9') || c == '.' || c == '"' || c == ' ') {
                    return null;
                }
            }
            return d.getBytes(StandardCharsets.US_ASCII);
        }

        /** Reads {@code b[from, to)} if it has the plain shape; false (nothing read) otherwise. */
        boolean parse(byte[] b, int from, int to, byte[] delimiter) {
            int at = id(b, from, to);
            if (at < 0 || !delimiterAt(b, at, to, delimiter)) {
                return false;
            }
            user = value;
            at = id(b, at + delimiter.length, to);
            if (at < 0 || !delimiterAt(b, at, to, delimiter)) {
                return false;
            }
            item = value;
            at += delimiter.length;
            ratingFrom = at;
            long digits = 0;
            int count = 0;
            int fraction = -1;
            for (; at < to; at++) {
                int c = b[at];
                if (c >= '0' && c <= '9') {
                    digits = digits * 10 + (c - '0');
                    if (++count > 15) {
                        return false;
                    }
                    if (fraction >= 0) {
                        fraction++;
                    }
                } else if (c == '.' && fraction < 0) {
                    fraction = 0;
                } else {
                    break;
                }
            }
            if (count == 0 || fraction == 0 || (at < to && !delimiterAt(b, at, to, delimiter))) {
                return false;
            }
            ratingTo = at;
            rating = fraction <= 0 ? digits : digits / POW10[fraction];
            return true;
        }

        /** The rating's text, for messages. */
        String ratingText(byte[] b) {
            return new String(b, ratingFrom, ratingTo - ratingFrom, StandardCharsets.US_ASCII);
        }

        private static boolean delimiterAt(byte[] b, int at, int to, byte[] d) {
            if (to - at < d.length) {
                return false;
            }
            for (int k = 0; k < d.length; k++) {
                if (b[at + k] != d[k]) {
                    return false;
                }
            }
            return true;
        }

        /** A canonical non-negative integer from {@code from}; the index after it, or -1. */
        private int id(byte[] b, int from, int to) {
            long v = 0;
            int at = from;
            for (; at < to && at - from <= 18; at++) {
                int c = b[at];
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
            }
            int digits = at - from;
            if (digits == 0 || digits > 18 || (digits > 1 && b[from] == '0')) {
                return -1;
            }
            value = v;
            return at;
        }
    }

    /**
     * The lines of a stream as byte ranges, ended by {@code \n}, {@code \r} or {@code \r\n} as
     * {@link java.io.BufferedReader#readLine()} ends them, never longer than
     * {@value #MAX_LINE_CHARS} characters. The fast path reads a line's bytes in place (only
     * a line of ASCII bytes, see {@link #ascii()}); {@link #text()} decodes it as UTF-8 for the
     * general path and refuses bytes that are not UTF-8: replacing them with U+FFFD would make
     * distinct ids equal. Reading bytes instead of decoding every character is what makes
     * loading fast from a cold start (docs/benchmarks.md).
     */
    static final class ByteLines {
        /** Bytes a line may take: every character at most four UTF-8 bytes. */
        private static final int MAX_LINE_BYTES = 4 * MAX_LINE_CHARS;
        private final InputStream in;
        private final String source;
        private byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private int start;
        private int end;
        private boolean skipLf;
        private boolean eof;
        private long number;
        /** Whether the current line is ASCII only. */
        private boolean ascii;
        /** For lines with other bytes: a strict decoder and its output. */
        private java.nio.charset.CharsetDecoder decoder;
        private java.nio.CharBuffer chars;

        ByteLines(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        /** The 1-based number of the current line (0 before the first). */
        long number() {
            return number;
        }

        byte[] buffer() {
            return buf;
        }

        int start() {
            return start;
        }

        int end() {
            return end;
        }

        /** Whether the current line holds only ASCII bytes (no byte above 0x7F). */
        boolean ascii() {
            return ascii;
        }

        /** The current line, decoded; a line that is not UTF-8 fails naming the first bad byte. */
        String text() {
            String line = ascii ? new String(buf, start, end - start, StandardCharsets.US_ASCII) : decodeStrict();
            if (line.length() > MAX_LINE_CHARS) {
                throw tooLong();
            }
            return line;
        }

        private String decodeStrict() {
            if (decoder == null) {
                decoder = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
            }
            int length = end - start;
            if (chars == null || chars.capacity() < length) {
                // UTF-8 never gives more chars than bytes.
                chars = java.nio.CharBuffer.allocate(Math.max(length, 256));
            }
            chars.clear();
            decoder.reset();
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(buf, start, length);
            java.nio.charset.CoderResult r = decoder.decode(in, chars, true);
            if (!r.isError()) {
                r = decoder.flush(chars);
            }
            if (r.isError()) {
                throw notUtf8(in.position(), r.length());
            }
            return chars.flip().toString();
        }

        /** The error for the malformed bytes {@code buf[at, at + n)} of the current line. */
        private RatingsInputException notUtf8(int at, int n) {
            StringBuilder bytes = new StringBuilder();
            for (int k = at; k < at + n && k < end; k++) {
                bytes.append(bytes.length() == 0 ? "" : " ").append(String.format("0x%02X", buf[k] & 0xff));
            }
            String before = new String(buf, start, at - start, StandardCharsets.UTF_8).replace("\t", "\\t");
            if (before.length() > 40) {
                before = "..." + before.substring(before.length() - 37);
            }
            return new RatingsInputException(source, number, "the file is not UTF-8: " + (n == 1 ? "byte " : "bytes ")
                    + bytes + " at byte " + (at - start + 1) + " of this line"
                    + (before.isEmpty() ? "" : " (after '" + before + "')")
                    + (n == 1 ? " is" : " are") + " not valid UTF-8; ratings files must be UTF-8 (or ASCII); convert it first, for"
                    + " example from Latin-1 with iconv -f ISO-8859-1 -t UTF-8 " + source + " > ratings-utf8.txt");
        }

        /** Moves to the next line; false at the end of the stream. */
        boolean next() throws IOException {
            if (skipLf) {
                // The last line ended with \r: a \n right after it belongs to the same ending.
                if (pos == limit && !fill()) {
                    return false;
                }
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                }
            }
            int scan = pos;
            boolean high = false;
            while (true) {
                for (; scan < limit; scan++) {
                    byte c = buf[scan];
                    if (c > '\r') {
                        continue;
                    }
                    if (c < 0) {
                        // A byte above 0x7F (bytes are signed): part of a non-ASCII character.
                        high = true;
                    } else if (c == '\n' || c == '\r') {
                        start = pos;
                        end = scan;
                        pos = scan + 1;
                        skipLf = c == '\r';
                        ascii = !high;
                        number++;
                        if (end - start > MAX_LINE_BYTES) {
                            throw tooLong();
                        }
                        return true;
                    }
                }
                if (scan - pos > MAX_LINE_BYTES) {
                    number++;
                    throw tooLong();
                }
                int offset = scan - pos;
                if (!fill()) {
                    if (pos == limit) {
                        return false;
                    }
                    start = pos;
                    end = limit;
                    pos = limit;
                    ascii = !high;
                    number++;
                    return true;
                }
                scan = pos + offset;
            }
        }

        /**
         * Reads more bytes after the unfinished line that starts at {@code pos}, moving it to
         * the front of the buffer (growing the buffer for a line longer than it); false at the
         * end of the stream.
         */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int keep = limit - pos;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, keep);
            } else if (keep == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(2 * buf.length, MAX_LINE_BYTES + 2));
            }
            pos = 0;
            limit = keep;
            int got = in.read(buf, limit, buf.length - limit);
            if (got <= 0) {
                eof = true;
                return false;
            }
            limit += got;
            return true;
        }

        private RatingsInputException tooLong() {
            return new RatingsInputException(source, number, "line is longer than " + MAX_LINE_CHARS
                    + " characters, the limit for a ratings line; this does not look like a ratings file");
        }
    }

    // ------------------------------------------------------------------ encodings

    /**
     * Refuses text that is not UTF-8 (or ASCII) by looking at the first {@value #SNIFF_BYTES}
     * bytes: an als model file (by its magic), a UTF-16 or UTF-32 byte-order mark, or NUL
     * bytes, which no ratings text holds; their pattern tells UTF-16 and UTF-32 (ASCII text in
     * them has a NUL in every second or in three of every four bytes) from binary data. The
     * stream is reset to its start.
     */
    static void requireUtf8(InputStream stream, String source) throws IOException {
        stream.mark(SNIFF_BYTES);
        byte[] head = stream.readNBytes(SNIFF_BYTES);
        stream.reset();
        if (head.length >= ModelFile.MAGIC.length
                && java.util.Arrays.equals(head, 0, ModelFile.MAGIC.length, ModelFile.MAGIC, 0, ModelFile.MAGIC.length)) {
            throw new RatingsInputException(source, 0, "is an als model file (it starts with "
                    + new String(ModelFile.MAGIC, StandardCharsets.US_ASCII) + "), not ratings; a ratings text file"
                    + " (u.data, ratings.dat, ratings.csv, ...) was expected here");
        }
        String encoding = encodingOf(head);
        if (encoding == null) {
            return;
        }
        if (encoding.isEmpty()) {
            throw new RatingsInputException(source, 0, "holds NUL bytes in its first " + head.length
                    + " bytes, so it is binary data, not a ratings text file (UTF-8 or ASCII)");
        }
        throw new RatingsInputException(source, 0, "is encoded as " + encoding
                + ", but ratings files must be UTF-8 (or ASCII); convert it first, for example with"
                + " iconv -f " + encoding.replaceFirst(" .*", "") + " -t UTF-8 " + source + " > ratings-utf8.txt");
    }

    /**
     * The encoding the first bytes of a file show when it is not UTF-8: "UTF-16LE (byte-order
     * mark FF FE)", "UTF-16BE (no byte-order mark; NUL bytes ...)", ...; an empty string for
     * binary data; null for text that may be UTF-8. A byte-order mark or a pattern of NUL
     * bytes counts only when the bytes decode to text in that encoding: binary data such as a
     * model file can have NUL bytes in the same places.
     */
    static String encodingOf(byte[] head) {
        int n = head.length;
        if (n >= 4 && head[0] == 0 && head[1] == 0 && (head[2] & 0xff) == 0xFE && (head[3] & 0xff) == 0xFF
                && isText(head, 4, "UTF-32BE")) {
            return "UTF-32BE (byte-order mark 00 00 FE FF)";
        }
        if (n >= 4 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE && head[2] == 0 && head[3] == 0
                && isText(head, 4, "UTF-32LE")) {
            return "UTF-32LE (byte-order mark FF FE 00 00)";
        }
        if (n >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF && isText(head, 2, "UTF-16BE")) {
            return "UTF-16BE (byte-order mark FE FF)";
        }
        if (n >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE && isText(head, 2, "UTF-16LE")) {
            return "UTF-16LE (byte-order mark FF FE)";
        }
        int[] zeros = new int[4];
        int[] count = new int[4];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            count[i & 3]++;
            if (head[i] == 0) {
                zeros[i & 3]++;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        String how = " (no byte-order mark; the NUL bytes in its first " + n + " bytes say so)";
        // Four bytes at least tell UTF-32 from UTF-16: two of them are one UTF-16 character.
        String charset = null;
        if (n >= 4 && mostly(zeros, count, 1, 2, 3) && !mostly(zeros, count, 0)) {
            charset = "UTF-32LE";
        } else if (n >= 4 && mostly(zeros, count, 0, 1, 2) && !mostly(zeros, count, 3)) {
            charset = "UTF-32BE";
        } else if (mostly(zeros, count, 1, 3) && !mostly(zeros, count, 0, 2)) {
            charset = "UTF-16LE";
        } else if (mostly(zeros, count, 0, 2) && !mostly(zeros, count, 1, 3)) {
            charset = "UTF-16BE";
        }
        return charset != null && isText(head, 0, charset) ? charset + how : "";
    }

    /**
     * Whether {@code head} from {@code from} decodes in {@code charset} to text: no malformed
     * unit, no NUL or other control character but tab, line feed and carriage return, no
     * noncharacter. A character cut off by the end of {@code head} does not count.
     */
    private static boolean isText(byte[] head, int from, String charset) {
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(head.length);
        java.nio.charset.CoderResult r = java.nio.charset.Charset.forName(charset).newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(head, from, head.length - from), out, false);
        if (r.isError()) {
            return false;
        }
        out.flip();
        while (out.hasRemaining()) {
            char c = out.get();
            boolean control = (c < ' ' && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
            if (control || c == '\uFFFE' || c == '\uFFFF') {
                return false;
            }
        }
        return true;
    }

    /** Whether at least 80% of the bytes at these positions (mod 4) are NUL. */
    private static boolean mostly(int[] zeros, int[] count, int... positions) {
        int z = 0;
        int c = 0;
        for (int p : positions) {
            z += zeros[p];
            c += count[p];
        }
        return c > 0 && z >= 0.8 * c;
    }

    // ------------------------------------------------------------------ lines and fields

    /**
     * Splits on a literal delimiter into {@code out}, trimming; returns the field count (up to
     * out.length). Public for the library's second passes over a file this reader has read
     * ({@code io.als.eval.data.DataLines}), which must see the same fields. A field that starts with a double quote (after blanks) runs to its closing
     * quote, with {@code ""} inside standing for one quote, and is not trimmed inside.
     *
     * @throws IllegalArgumentException for a quoted field without its closing quote, or with
     *                                  text between the closing quote and the delimiter
     */
    public static int split(String line, String delimiter, String[] out) {
        int count = 0;
        int from = 0;
        int n = line.length();
        int dl = delimiter.length();
        while (count < out.length) {
            int j = skipBlanks(line, from, delimiter);
            if (j < n && line.charAt(j) == '"') {
                StringBuilder value = new StringBuilder();
                int k = j + 1;
                while (true) {
                    if (k >= n) {
                        throw new IllegalArgumentException("field " + (count + 1)
                                + " opens a double quote that is not closed on its line");
                    }
                    char c = line.charAt(k);
                    if (c == '"') {
                        if (k + 1 < n && line.charAt(k + 1) == '"') {
                            value.append('"');
                            k += 2;
                            continue;
                        }
                        k++;
                        break;
                    }
                    value.append(c);
                    k++;
                }
                k = skipBlanks(line, k, delimiter);
                out[count++] = value.toString();
                if (k >= n) {
                    return count;
                }
                if (!line.startsWith(delimiter, k)) {
                    throw new IllegalArgumentException("field " + count + " has '" + line.charAt(k)
                            + "' after its closing quote (a quote inside a quoted field is written \"\")");
                }
                from = k + dl;
            } else {
                int at = line.indexOf(delimiter, from);
                if (at < 0) {
                    out[count++] = line.substring(from).trim();
                    return count;
                }
                out[count++] = line.substring(from, at).trim();
                from = at + dl;
            }
        }
        return count;
    }

    /** The first index at or after {@code from} that is not a blank (a blank that starts the delimiter counts as the delimiter). */
    private static int skipBlanks(String line, int from, String delimiter) {
        int j = from;
        while (j < line.length() && line.charAt(j) <= ' ' && !line.startsWith(delimiter, j)) {
            j++;
        }
        return j;
    }

    private static String printable(String delimiter) {
        return delimiter.replace("\t", "\\t");
    }

    /**
     * A line as a message shows it: at most 80 characters, a tab as {@code \t} and any other
     * control character (a NUL of a binary file, an escape sequence) as a backslash, u and four hex digits, so
     * that nothing in a data file reaches the terminal raw.
     */
    static String abbreviate(String s) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < s.length() && p.length() <= 80; i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                p.append("\\t");
            } else if (Character.isISOControl(c)) {
                p.append(String.format("\\u%04x", (int) c));
            } else {
                p.append(c);
            }
        }
        return p.length() > 80 ? p.substring(0, 77) + "..." : p.toString();
    }
}
