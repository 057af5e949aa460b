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

    /** The optional column choice at the end of a generic format: {@code :cols=USER,ITEM,RATING}. */
    private static final java.util.regex.Pattern COLUMNS =
            java.util.regex.Pattern.compile(":cols=(\\d+),(\\d+),(\\d+)$");

    /**
     * A format by name: {@code tab}, {@code dat}, {@code csv}, or a generic
     * {@code delim:SEP[:header][:cols=U,I,R]} (SEP may be {@code \t}, {@code tab},
     * {@code comma}, {@code semicolon}, {@code space} or literal text; {@code cols} gives the
     * 0-based columns of the user, the item and the rating, default {@code 0,1,2}).
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
        if (t.startsWith("delim:")) {
            String rest = t.substring("delim:".length());
            int[] cols = {0, 1, 2};
            java.util.regex.Matcher m = COLUMNS.matcher(rest);
            if (m.find()) {
                for (int c = 0; c < 3; c++) {
                    cols[c] = Integer.parseInt(m.group(c + 1));
                }
                rest = rest.substring(0, m.start());
            }
            boolean header = rest.endsWith(":header");
            String sep = header ? rest.substring(0, rest.length() - ":header".length()) : rest;
            sep = switch (sep) {
                case "\\t", "tab" -> "\t";
                case "comma" -> ",";
                case "semicolon" -> ";";
                case "space" -> " ";
                default -> sep;
            };
            return new RatingsFormat("delim", sep, header, cols[0], cols[1], cols[2]);
        }
        throw new IllegalArgumentException("format must be one of tab, dat, csv, delim:SEP[:header][:cols=U,I,R] but was "
                + text);
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
        if (firstLine.contains("::")) {
            return DAT;
        }
        if (firstLine.contains("\t")) {
            return TAB;
        }
        if (firstLine.contains(",")) {
            return looksLikeHeader(firstLine, ",") ? CSV : CSV_NO_HEADER;
        }
        return null;
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
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
