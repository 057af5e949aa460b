package io.als.api;

import java.util.Locale;

/**
 * How a delimited ratings file is laid out: the field delimiter, whether the first line is
 * a header, and which (0-based) columns hold the user, the item and the rating. Columns
 * beyond those (a timestamp, say) are ignored.
 *
 * @param name       a short name for messages
 * @param delimiter  the literal text between fields (a tab, {@code ::}, a comma, ...)
 * @param header     whether to skip the first line
 * @param userColumn column of the user id
 * @param itemColumn column of the item id
 * @param ratingColumn column of the rating
 */
public record RatingsFormat(String name, String delimiter, boolean header, int userColumn, int itemColumn,
                            int ratingColumn) {

    /** MovieLens 100K {@code u.data}: user, item, rating, timestamp, tab-separated. */
    public static final RatingsFormat TAB = new RatingsFormat("tab", "\t", false, 0, 1, 2);
    /** MovieLens 1M/10M {@code ratings.dat}: {@code user::item::rating[::timestamp]}. */
    public static final RatingsFormat DAT = new RatingsFormat("dat", "::", false, 0, 1, 2);
    /** MovieLens 20M/25M/latest {@code ratings.csv}: header, then {@code userId,movieId,rating,timestamp}. */
    public static final RatingsFormat CSV = new RatingsFormat("csv", ",", true, 0, 1, 2);

    public RatingsFormat {
        if (delimiter == null || delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must be non-empty but was '" + delimiter + "'");
        }
        if (userColumn < 0 || itemColumn < 0 || ratingColumn < 0
                || userColumn == itemColumn || userColumn == ratingColumn || itemColumn == ratingColumn) {
            throw new IllegalArgumentException("columns must be distinct and non-negative but were user "
                    + userColumn + ", item " + itemColumn + ", rating " + ratingColumn);
        }
    }

    /** The number of fields a line must have at least. */
    public int minFields() {
        return Math.max(userColumn, Math.max(itemColumn, ratingColumn)) + 1;
    }

    /** The separators that have names in a generic format. */
    private static final java.util.Map<String, String> NAMED_SEPARATORS = java.util.Map.of(
            "\\t", "\t", "tab", "\t", "comma", ",", "semicolon", ";", "space", " ", "pipe", "|");
    /** An option word at the end of a generic format: letters, then anything but a colon. */
    private static final java.util.regex.Pattern OPTION = java.util.regex.Pattern.compile("[A-Za-z][^:]*");
    private static final java.util.regex.Pattern COLUMNS = java.util.regex.Pattern.compile("(\\d{1,9}),(\\d{1,9}),(\\d{1,9})");

    /**
     * A format by name: {@code tab}, {@code dat}, {@code csv}, or a generic
     * {@code delim:SEP[:header][:cols=U,I,R]} (SEP may be {@code \t}, {@code tab},
     * {@code comma}, {@code semicolon}, {@code space}, {@code pipe} or literal text; {@code cols}
     * gives the 0-based columns of the user, the item and the rating, default {@code 0,1,2};
     * the options may come in either order).
     *
     * <p>A spec is checked in full, so that a mistake in it is reported as one and not later as
     * a data file that does not match: every {@code :WORD} at the end must be {@code header} or
     * {@code cols=U,I,R} with three distinct non-negative column numbers, each at most once; a
     * separator must not be empty, and a separator of two or more letters must be one of the
     * names above (a word like {@code headr} is a misspelt option, not a separator).
     *
     * @throws IllegalArgumentException naming what is wrong with the spec
     */
    public static RatingsFormat parse(String text) {
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "tab":
                return TAB;
            case "dat":
                return DAT;
            case "csv":
                return CSV;
            default:
                break;
        }
        if (!t.startsWith("delim:")) {
            throw new IllegalArgumentException("format must be one of tab, dat, csv, delim:SEP[:header][:cols=U,I,R]"
                    + " but was '" + text + "'");
        }
        String rest = t.substring("delim:".length());
        int[] cols = null;
        boolean header = false;
        // Options are taken from the end: the separator itself may contain colons (delim:::).
        for (int colon = rest.lastIndexOf(':'); colon >= 0; colon = rest.lastIndexOf(':')) {
            String option = rest.substring(colon + 1);
            if (!OPTION.matcher(option).matches()) {
                break;
            }
            if (option.equals("header")) {
                if (header) {
                    throw new IllegalArgumentException("format '" + text + "' gives header twice");
                }
                header = true;
            } else if (option.startsWith("cols=")) {
                if (cols != null) {
                    throw new IllegalArgumentException("format '" + text + "' gives cols twice");
                }
                cols = columns(option.substring("cols=".length()), text);
            } else {
                throw new IllegalArgumentException("format '" + text + "' has an unknown option '" + option
                        + "'; the options of delim:SEP are header and cols=U,I,R");
            }
            rest = rest.substring(0, colon);
        }
        String sep = NAMED_SEPARATORS.getOrDefault(rest, rest);
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("format '" + text + "' has no separator; give delim:SEP, e.g. delim:comma"
                    + " or delim:;");
        }
        if (!NAMED_SEPARATORS.containsKey(rest) && sep.length() > 1 && sep.chars().allMatch(Character::isLetter)) {
            throw new IllegalArgumentException("format '" + text + "' has the separator '" + sep + "', a word that"
                    + " is not a separator name; names are " + new java.util.TreeSet<>(NAMED_SEPARATORS.keySet())
                    + ", options are header and cols=U,I,R");
        }
        int[] c = cols == null ? new int[] {0, 1, 2} : cols;
        return new RatingsFormat("delim", sep, header, c[0], c[1], c[2]);
    }

    /** The three columns of {@code cols=U,I,R}. */
    private static int[] columns(String value, String text) {
        java.util.regex.Matcher m = COLUMNS.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("format '" + text + "': cols must be three non-negative column numbers"
                    + " U,I,R (e.g. cols=0,1,2) but was '" + value + "'");
        }
        int[] cols = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        if (cols[0] == cols[1] || cols[0] == cols[2] || cols[1] == cols[2]) {
            throw new IllegalArgumentException("format '" + text + "': cols must be three distinct columns but was '"
                    + value + "'");
        }
        return cols;
    }

    /**
     * Guesses the format from the first line: {@code ::} means dat, a tab means tab, a comma
     * means csv. A CSV first line is a header only when it looks like one: its user, item and
     * rating fields are all present and none of them is a number (as in
     * {@code userId,movieId,rating}). Otherwise it is read as data, so that a bad first rating
     * such as {@code 1,2,four} or {@code 1,2,} fails with its line number instead of being
     * skipped as a header.
     *
     * @return the format, or null when the line fits none
     */
    public static RatingsFormat detect(String firstLine) {
        // Separators inside double quotes are an id's own (a CSV field such as "a\tb").
        String outside = outsideQuotes(firstLine);
        if (outside.contains("::")) {
            return DAT;
        }
        if (outside.contains("\t")) {
            return TAB;
        }
        if (outside.contains(",")) {
            return looksLikeHeader(firstLine, ",") ? CSV : CSV_NO_HEADER;
        }
        return null;
    }

    /** The line without what double quotes enclose (an unclosed quote encloses the rest). */
    private static String outsideQuotes(String line) {
        if (line.indexOf('"') < 0) {
            return line;
        }
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                in = !in;
            } else if (!in) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Comma-separated, user, item, rating, without a header. */
    private static final RatingsFormat CSV_NO_HEADER = new RatingsFormat("csv", ",", false, 0, 1, 2);

    /** Whether a line's first three fields are all non-empty and none is a number. */
    static boolean looksLikeHeader(String line, String delimiter) {
        String[] f = new String[3];
        int n;
        try {
            n = RatingsReader.split(line, delimiter, f);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (n < 3) {
            return false;
        }
        for (String field : f) {
            if (field.isEmpty() || isNumeric(field)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a field reads as a number (an integer, a decimal, an exponent, NaN or Infinity). */
    static boolean isNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        if (c != '+' && c != '-' && c != '.' && c != 'N' && c != 'I' && (c < '0' || c > '9')) {
            return false;
        }
        try {
            io.als.internal.Checks.decimal(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
