package io.als.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item titles from a MovieLens item file, for {@code --items-file}: the id in the first
 * field, the title in the second. Three layouts, told apart by the file's first line (and, for
 * CSV, also by the extension):
 * <ul>
 *   <li>{@code u.item} (ML-100K): {@code id|title|date|...}, ISO-8859-1;</li>
 *   <li>{@code movies.dat} (ML-1M, ML-10M): {@code id::title::genres}, ISO-8859-1;</li>
 *   <li>{@code movies.csv} (ML-20M, ML-25M, ml-latest): a header line
 *       ({@code movieId,title,genres}), then comma-separated fields, a field that holds a
 *       comma or a quote in double quotes ({@code "American President, The (1995)"}), UTF-8.</li>
 * </ul>
 * A first line with {@code ::} is a {@code .dat} file, else one with {@code |} a {@code u.item}
 * file, else one with a comma (or any file whose name ends in {@code .csv}) a CSV file. The
 * two older layouts are read as ISO-8859-1 because that is how GroupLens wrote them (a UTF-8
 * reading turns "Misérables" into replacement characters); the CSV layout is strict UTF-8 and
 * a malformed byte fails naming the line.
 *
 * <p>A line without a title field, or an id given twice, fails with the file and the line.
 * The first line of a CSV file is its header unless it starts with a numeric id.
 */
final class ItemTitles {

    /** The layouts, with the charset each is read in. */
    enum Layout {
        PIPE("u.item (id|title|...)", StandardCharsets.ISO_8859_1),
        DAT("movies.dat (id::title::genres)", StandardCharsets.ISO_8859_1),
        CSV("movies.csv (header, then id,title,...)", StandardCharsets.UTF_8);

        final String description;
        final Charset charset;

        Layout(String description, Charset charset) {
            this.description = description;
            this.charset = charset;
        }
    }

    private final Path file;
    private final Layout layout;
    /** Titles by the id as the file spells it. */
    private final Map<String, String> titles;
    /** The line of each id as the file spells it. */
    private final Map<String, Integer> lines;
    /** Titles by numeric id in its plain spelling ("007" as "7"), or null when ids are text. */
    private final Map<String, String> numeric;

    /**
     * A CSV file's first line taken for a header because numbers follow it, as id, title and
     * line: an item after all for a model of text ids, whose file may start with one. Or null.
     */
    private final String[] headerItem;

    private ItemTitles(Path file, Layout layout, Map<String, String> titles, Map<String, Integer> lines,
                       Map<String, String> numeric, String[] headerItem) {
        this.file = file;
        this.layout = layout;
        this.titles = titles;
        this.lines = lines;
        this.numeric = numeric;
        this.headerItem = headerItem;
    }

    /** The title of item {@code id}, or null when the file does not list it. */
    String title(String id) {
        String t = titles.get(id);
        if (t == null && numeric != null) {
            // Numeric ids as the model spells them (no leading zeros, no sign) may be written
            // otherwise in the file, and the other way round.
            t = numeric.get(canonical(id));
        }
        return t;
    }

    /**
     * These titles for a model whose item ids are numbers ({@code numericIds}: "007" in the file
     * is item 7, and two spellings of one number are one item listed twice, an error naming
     * both lines) or text ("007" and "7" are two items, matched exactly).
     */
    ItemTitles forIds(boolean numericIds) {
        if (!numericIds) {
            if (headerItem == null || titles.containsKey(headerItem[0])) {
                return new ItemTitles(file, layout, titles, lines, null, null);
            }
            Map<String, String> withFirst = new HashMap<>(titles);
            Map<String, Integer> linesWithFirst = new HashMap<>(lines);
            withFirst.put(headerItem[0], headerItem[1]);
            linesWithFirst.put(headerItem[0], Integer.parseInt(headerItem[2]));
            return new ItemTitles(file, layout, withFirst, linesWithFirst, null, null);
        }
        Map<String, String> byNumber = new HashMap<>();
        Map<String, String> spelling = new HashMap<>();
        titles.keySet().stream().sorted(java.util.Comparator.comparing(lines::get)).forEach(id -> {
            String key = canonical(id);
            String first = spelling.putIfAbsent(key, id);
            // Only numbers have other spellings: text ids collide with nothing but themselves.
            if (first != null && !first.equals(id)) {
                throw bad(file.toString(), lines.get(id), "lists item " + key + " a second time, as " + id + " (line "
                        + lines.get(first) + " gave it as " + first + "); the model's item ids are numbers");
            }
            byNumber.putIfAbsent(key, titles.get(id));
        });
        return new ItemTitles(file, layout, titles, lines, byNumber, null);
    }

    int size() {
        return titles.size();
    }

    Layout layout() {
        return layout;
    }

    Path file() {
        return file;
    }

    /**
     * Reads the file; a missing or malformed one fails with its name (and line). Only a regular
     * file is read, and lines are bounded ({@link TextLines}).
     */
    static ItemTitles read(Path file) throws IOException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw bad(name, 0, "is a directory, not an item file");
        }
        Layout layout = null;
        CharsetDecoder decoder = null;
        String header = null;
        int headerLine = 0;
        String pending = null;
        int pendingLine = 0;
        String[] headerItem = null;
        Map<String, String> titles = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        try (TextLines lines = TextLines.open("--items-file", name, file)) {
            for (byte[] bytes = lines.next(); bytes != null; bytes = lines.next()) {
                int number = lines.number();
                if (number == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                        && (bytes[2] & 0xff) == 0xBF) {
                    // A UTF-8 byte-order mark, in any layout (read as ISO-8859-1 it would be
                    // three characters glued to the first id).
                    bytes = java.util.Arrays.copyOfRange(bytes, 3, bytes.length);
                }
                if (layout == null && blank(bytes)) {
                    continue; // the layout is told by the first line that holds something
                }
                if (layout == null) {
                    layout = detect(file, bytes);
                    decoder = layout.charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                }
                String line;
                try {
                    line = decoder.decode(ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    throw lines.error("is not UTF-8 text; a movies.csv file must be UTF-8");
                }
                if (number == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (layout == Layout.CSV && header == null && pending == null && titles.isEmpty()
                        && !startsWithId(line)) {
                    // The header (movieId,title,genres) if its first field names an id column, or
                    // if the next line starts with a number; else an item of a file of text ids.
                    if (headerName(line)) {
                        header = line;
                        headerLine = number;
                    } else {
                        pending = line;
                        pendingLine = number;
                    }
                    continue;
                }
                if (pending != null) {
                    if (startsWithId(line)) {
                        // Numbers follow: a header, unless the model's ids are text (forIds).
                        header = pending;
                        headerLine = pendingLine;
                        String[] item = csvFields(pending, name, pendingLine);
                        if (item != null && !item[0].isEmpty()) {
                            headerItem = new String[] {item[0], item[1].trim(), Integer.toString(pendingLine)};
                        }
                    } else {
                        add(layout, titles, lineOf, name, pendingLine, pending);
                    }
                    pending = null;
                }
                add(layout, titles, lineOf, name, number, line);
            }
        }
        if (pending != null) {
            add(layout, titles, lineOf, name, pendingLine, pending);
        }
        if (layout == null) {
            layout = detect(file, new byte[0]);
        }
        if (titles.isEmpty()) {
            throw header != null
                    ? bad(name, headerLine, "lists no items: this line, '" + shorten(header) + "', is read as the"
                            + " header of a movies.csv file and no item follows it")
                    : bad(name, 0, "lists no items (expected " + layout.description + ")");
        }
        // Until the model is known (forIds), numeric ids match in any spelling too ("007" finds item 7).
        Map<String, String> any = new HashMap<>();
        titles.forEach((id, t) -> any.putIfAbsent(canonical(id), t));
        return new ItemTitles(file, layout, titles, lineOf, any, headerItem);
    }

    /** Adds the item of one line of the file's layout. */
    private static void add(Layout layout, Map<String, String> titles, Map<String, Integer> lineOf, String name,
                            int number, String line) {
        String[] idAndTitle = switch (layout) {
            case PIPE -> split(line, "|");
            case DAT -> split(line, "::");
            case CSV -> csvFields(line, name, number);
        };
        if (idAndTitle == null) {
            throw bad(name, number, "must hold an item id and a title as " + layout.description + " but was '"
                    + shorten(line) + "'");
        }
        String id = layout == Layout.CSV ? idAndTitle[0] : idAndTitle[0].trim();
        if (id.isEmpty()) {
            throw bad(name, number, "has an empty item id: '" + shorten(line) + "'");
        }
        if (titles.put(id, idAndTitle[1].trim()) != null) {
            throw bad(name, number, "lists item " + id + " a second time (first on line " + lineOf.get(id) + ")");
        }
        lineOf.put(id, number);
    }

    /** Whether a line holds only white space (as bytes, before its charset is known). */
    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Whether a CSV line's first field names an id column (movieId, itemId, item_id, item, id), as a header's does. */
    private static boolean headerName(String line) {
        String first = line.split(",", 2)[0].trim().replace("\"", "").toLowerCase(Locale.ROOT).replace("_", "");
        return first.equals("movieid") || first.equals("itemid") || first.equals("item") || first.equals("id")
                || first.equals("movie");
    }

    /** Whether a CSV line's first field (quoted or not) is a number, so that the line is an item, not a header. */
    private static boolean startsWithId(String line) {
        String first = line.split(",", 2)[0].trim();
        if (first.length() >= 2 && first.startsWith("\"") && first.endsWith("\"")) {
            first = first.substring(1, first.length() - 1).trim();
        }
        return !first.isEmpty() && first.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The layout, from the first line (ASCII is enough to tell) and the extension. */
    static Layout detect(Path file, byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        String first = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
        if (first.contains("::")) {
            return Layout.DAT;
        }
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return Layout.CSV;
        }
        if (first.contains("|")) {
            return Layout.PIPE;
        }
        return Layout.CSV;
    }

    /** The first two fields around {@code sep}, or null when there is no second one. */
    private static String[] split(String line, String sep) {
        int a = line.indexOf(sep);
        if (a < 0) {
            return null;
        }
        int b = line.indexOf(sep, a + sep.length());
        return new String[] {line.substring(0, a), b < 0 ? line.substring(a + sep.length())
                : line.substring(a + sep.length(), b)};
    }

    /** The first two fields of a CSV line, with RFC 4180 quotes ({@code ""} inside quotes is one quote). */
    private static String[] csvFields(String line, String file, int number) {
        List<String> fields = new ArrayList<>(2);
        int i = 0;
        while (fields.size() < 2 && i <= line.length()) {
            StringBuilder f = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw bad(file, number, "has a quoted field that is not closed: '"
                                + shorten(line) + "'");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw bad(file, number, "has text after a closing quote: '"
                            + shorten(line) + "'");
                }
            } else {
                int comma = line.indexOf(',', i);
                int stop = comma < 0 ? line.length() : comma;
                f.append(line.substring(i, stop).trim()); // a quoted field keeps its spaces
                i = stop;
            }
            fields.add(f.toString());
            if (i >= line.length()) {
                break;
            }
            i++;
        }
        return fields.size() < 2 ? null : fields.toArray(new String[0]);
    }

    private static String canonical(String id) {
        String t = id.trim();
        if (t.isEmpty() || t.length() > 18) {
            return t;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return t;
            }
        }
        return Long.toString(Long.parseLong(t));
    }

    /** A bad item file: exit 1, naming the file and the line (0: the whole file). */
    private static IllegalArgumentException bad(String file, int line, String message) {
        return new IllegalArgumentException("--items-file " + file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    private static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
