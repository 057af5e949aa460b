package io.als.cli;

import io.als.api.Model;
import io.als.api.RecommendOptions;
import io.als.api.Recommender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags {@code recommend} and {@code similar} share: which items may be returned
 * ({@code --include-seen}, {@code --allow}, {@code --deny}, {@code --min-support}), the
 * fold-in list of {@code --items}, titles from {@code --items-file}, and the note printed when
 * fewer items than {@code -n} could be returned.
 */
final class RecommendFlags {
    /** Ids shown in a note about unknown ids before "and N more". */
    private static final int IDS_SHOWN = 10;

    private RecommendFlags() {
    }

    static final String LIST_HELP = listHelp("item");

    /** How a list flag of {@code noun} ids is written, for its help. */
    static String listHelp(String noun) {
        return "a file of " + noun + " ids (one per line or comma-separated; # starts a comment)"
                + " if a file of that name exists, else a comma-separated list of ids; an id with a comma, a # or"
                + " spaces at its ends goes in double quotes, as in CSV";
    }

    /** --allow, --deny and --min-support. */
    static Options addLists(Options o) {
        return o.value("allow", "FILE|IDS", "recommend only these items: " + LIST_HELP)
                .value("deny", "FILE|IDS", "never recommend these items (wins over --allow): " + LIST_HELP)
                .value("min-support", "M", "never recommend an item with fewer than M training interactions"
                        + " (default 0)");
    }

    /** --items-file. */
    static Options addTitles(Options o) {
        return o.value("items-file", "FILE", "show titles from a MovieLens item file: u.item (id|title|..., ISO-8859-1),"
                + " movies.dat (id::title::genres, ISO-8859-1) or movies.csv (header, quoted titles, UTF-8)");
    }

    /** The titles of --items-file, or null without it. */
    static ItemTitles titles(Args args) throws IOException {
        return args.has("items-file") ? ItemTitles.read(args.requirePath("items-file")) : null;
    }

    /**
     * The options from --include-seen, --allow, --deny and --min-support. Ids the model does
     * not know are named on stderr (they could never be returned anyway); a list file that
     * holds no id fails.
     */
    static RecommendOptions options(Args args, Model model, Cli cli, boolean excludeTraining) throws IOException {
        RecommendOptions.Builder b = RecommendOptions.builder().excludeTraining(excludeTraining)
                .minSupport(args.intValue("min-support", 0));
        if (args.has("allow")) {
            b.allowItems(indices("allow", args.get("allow"), model, cli));
        }
        if (args.has("deny")) {
            b.denyItems(indices("deny", args.get("deny"), model, cli));
        }
        return b.build();
    }

    /** The model's indices of the ids a list flag names; unknown ids are noted on stderr. */
    private static int[] indices(String flag, String value, Model model, Cli cli) throws IOException {
        Known found = lookup(ids(flag, value), model.itemIds());
        List<String> unknown = found.unknown();
        if (found.indices().length == 0 && flag.equals("allow")) {
            // Only unknown items allowed: every list would be empty, which is never what was meant.
            throw new IllegalArgumentException("--allow: none of the " + unknown.size() + " item(s) is in the model ("
                    + shortList(unknown) + "), so nothing could be recommended; give items the model was trained on");
        }
        if (!unknown.isEmpty()) {
            cli.err().println("als: note: --" + flag + " names " + unknown.size() + " item(s) the model does not know,"
                    + " ignored: " + shortList(unknown));
        }
        return found.indices();
    }

    /** The indices of listed ids the model knows, each once, in the order given, and the ids it does not know. */
    record Known(int[] indices, List<String> unknown) {
    }

    /** Looks {@code ids} up in {@code index}: each known index once, in order; the unknown ids in order. */
    static Known lookup(List<String> ids, io.als.api.IdIndex index) {
        List<Integer> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean[] seen = new boolean[index.size()];
        for (String id : ids) {
            int at = index.indexOf(id);
            if (at < 0) {
                unknown.add(id);
            } else if (!seen[at]) {
                seen[at] = true;
                found.add(at);
            }
        }
        return new Known(found.stream().mapToInt(Integer::intValue).toArray(), unknown);
    }

    /**
     * The ids of a list flag: the lines of the file it names (each may hold several ids
     * separated by commas; blank lines and text after {@code #} are skipped), or the
     * comma-separated ids it holds when no such file exists. A value with a {@code /} that
     * names no file is taken for a missing file, not for an id.
     */
    static List<String> ids(String flag, String value) throws IOException {
        return ids(flag, value, "item");
    }

    /** {@link #ids(String, String)} of {@code noun} ids ("user", "item"), as messages name them. */
    static List<String> ids(String flag, String value, String noun) throws IOException {
        Path file = asFile(value);
        Set<String> ids = new LinkedHashSet<>();
        if (file != null) {
            int n = 0;
            for (String line : TextLines.readUtf8("--" + flag, value, file, "a list of ids")) {
                n++;
                String where = "--" + flag + " " + value + ":" + n;
                List<Entry> entries;
                try {
                    entries = entries(where, line, true);
                } catch (UsageException e) {
                    throw new IllegalArgumentException(e.getMessage()); // the file's fault, not the command line's
                }
                for (Entry e : entries) {
                    if (!e.rest().isEmpty()) {
                        throw new IllegalArgumentException(where + ": '" + e.rest() + "' follows the quoted id \""
                                + e.text() + "\"; give one id per entry");
                    }
                    if (e.quoted() && e.text().isEmpty()) {
                        throw new IllegalArgumentException(where + ": an empty quoted id; no " + noun + " has an empty"
                                + " id");
                    }
                    if (!e.text().isEmpty()) {
                        ids.add(e.text());
                    }
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("--" + flag + " " + value + ": the file holds no " + noun + " id");
            }
            return new ArrayList<>(ids);
        }
        String refusal = TextLines.refusal(value);
        if (refusal != null) {
            // A folder (or device) of that name: the user meant a file, not an id. Found in a
            // new-user trial: "--deny t", t a folder, denied nothing, with a note that "t" is no item.
            throw new IllegalArgumentException("--" + flag + " " + value + ": " + refusal
                    + " (an id spelt like it goes in double quotes)");
        }
        for (Entry e : inline("--" + flag, value)) {
            // An unquoted entry with a / is a file that is not there, never an id.
            if (!e.quoted() && e.text().contains("/")) {
                throw new IllegalArgumentException("--" + flag + " " + value + ": "
                        + (value.equals(e.text()) ? "" : e.text() + ": ") + "file not found (an id that holds a /"
                        + " goes in double quotes)");
            }
            ids.add(e.text());
        }
        return new ArrayList<>(ids);
    }

    /**
     * One entry of a comma-separated list. An id that holds a comma, a {@code #} or spaces at
     * its ends is written in double quotes, a quote inside doubled, as in CSV ({@code "i,2"});
     * {@code rest} is what follows the closing quote before the next comma ({@code :4} of
     * {@code "i,2":4}), empty for an unquoted entry, whose text is trimmed.
     */
    record Entry(String text, boolean quoted, String rest) {
    }

    /** The entries of one line; with {@code comments}, an unquoted {@code #} ends the line. */
    static List<Entry> entries(String where, String line, boolean comments) {
        List<Entry> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (true) {
            int j = i;
            while (j < n && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
                j++;
            }
            int end;
            if (j < n && line.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                int k = j + 1;
                while (true) {
                    if (k >= n) {
                        throw new UsageException(where + " has a quote that is not closed in '" + escaped(line) + "'");
                    }
                    char c = line.charAt(k);
                    if (c == '"' && k + 1 < n && line.charAt(k + 1) == '"') {
                        sb.append('"');
                        k += 2;
                    } else if (c == '"') {
                        break;
                    } else {
                        sb.append(c);
                        k++;
                    }
                }
                end = k + 1;
                while (end < n && line.charAt(end) != ',' && !(comments && line.charAt(end) == '#')) {
                    end++;
                }
                out.add(new Entry(sb.toString(), true, line.substring(k + 1, end).trim()));
            } else {
                end = j;
                while (end < n && line.charAt(end) != ',' && !(comments && line.charAt(end) == '#')) {
                    end++;
                }
                // trim(), as the ratings reader trims: a Unicode space belongs to the id.
                out.add(new Entry(line.substring(j, end).trim(), false, ""));
            }
            if (end >= n || line.charAt(end) == '#') {
                return out;
            }
            i = end + 1;
        }
    }

    /** The entries of a list given on the command line: none empty, none with text after its quote. */
    private static List<Entry> inline(String label, String value) {
        List<Entry> out = entries(label, value, false);
        for (Entry e : out) {
            if (e.text().isEmpty()) {
                throw new UsageException(label + " has an empty element in '" + value + "'; give ids separated by"
                        + " single commas, or a file");
            }
            if (!e.rest().isEmpty()) {
                throw new UsageException(label + " has '" + e.rest() + "' after the quoted id \"" + e.text() + "\"; give"
                        + " one id per entry");
            }
        }
        return out;
    }

    private static Path asFile(String value) {
        try {
            Path p = Path.of(value);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The inputs a list flag names as a file, by flag, for the output checks. */
    static Map<String, Path> listFiles(Args args) {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String flag : List.of("allow", "deny", "users", "users-for")) {
            Path p = args.has(flag) ? asFile(args.get(flag)) : null;
            if (p != null) {
                files.put("--" + flag, p);
            }
        }
        return files;
    }

    // ------------------------------------------------------------------ --items

    /**
     * Parses {@code --items}: comma-separated entries {@code ID} or {@code ID:VALUE}. The text
     * after the last colon is the value when it is a number (so an id may itself hold colons);
     * a bare id gets {@code defaultValue}. Fails (exit 2) on an empty list, a value that is not
     * finite, or an id given twice.
     *
     * @param defaultValue the value of a bare id, or NaN to parse only (the flag check)
     */
    static List<Recommender.Interaction> items(String label, String value, double defaultValue) {
        Map<String, Double> given = new LinkedHashMap<>();
        for (Entry e : entries(label, value, false)) {
            String entry = e.quoted() ? "\"" + e.text() + "\"" + e.rest() : e.text();
            if (!e.quoted() && entry.isEmpty()) {
                throw new UsageException(label + " has an empty element in '" + value + "'; give entries separated by"
                        + " single commas");
            }
            String id = e.quoted() ? e.text() : entry;
            double v = defaultValue;
            // A quoted id is all id; its value, if any, follows the closing quote.
            if (e.quoted() && !e.rest().isEmpty() && !e.rest().startsWith(":")) {
                throw new UsageException(label + " entry '" + entry + "' has text after its quoted id; write \"ID\" or"
                        + " \"ID\":VALUE");
            }
            String valued = e.quoted() ? e.rest() : entry;
            // After a quoted id, only ":VALUE" may follow, the value a number.
            int colon = e.quoted() ? valued.indexOf(':') : valued.lastIndexOf(':');
            if (colon >= 0 && e.quoted() && number(valued.substring(colon + 1).trim()) == null
                    && !valued.substring(colon + 1).isBlank()) {
                throw new UsageException(label + " value of item " + id + " must be a number but was "
                        + valued.substring(colon + 1).trim());
            }
            if (colon >= 0) {
                String tail = valued.substring(colon + 1).trim();
                Double parsed = number(tail);
                if (parsed != null) {
                    id = e.quoted() ? e.text() : entry.substring(0, colon).trim();
                    v = parsed;
                    if (io.als.internal.Checks.underflows(tail, v)) {
                        throw new UsageException(label + " value of item " + id + " must be 0 or at least "
                                + Double.MIN_VALUE + " in size (the smallest a double holds) but was " + tail);
                    }
                    if (!Double.isFinite(v)) {
                        throw new UsageException(label + " value of item " + id + " must be a finite number but was "
                                + tail);
                    }
                } else if (tail.isEmpty()) {
                    throw new UsageException(label + " entry '" + entry + "' has a colon but no value after it;"
                            + " write ID or ID:VALUE");
                }
            }
            if (id.isEmpty()) {
                throw new UsageException(label + " entry '" + entry + "' has no item id; write ID or ID:VALUE");
            }
            if (given.put(id, v) != null) {
                throw new UsageException(label + " names item " + id + " twice; give each item once");
            }
        }
        if (given.isEmpty()) {
            throw new UsageException(label + " needs at least one item id but was '" + value + "'");
        }
        List<Recommender.Interaction> out = new ArrayList<>();
        given.forEach((id, v) -> out.add(new Recommender.Interaction(id, v)));
        return out;
    }

    /** The number an entry's value writes, read strictly ({@link io.als.internal.Checks#decimal}), or null. */
    private static Double number(String s) {
        try {
            return Double.valueOf(io.als.internal.Checks.decimal(s));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The flag check of {@code --allow} and {@code --deny}: a list given inline has no empty
     * element and no text after a quoted id (a file is read, and checked, with the model).
     */
    static void checkList(String label, String value) {
        if (asFile(value) == null) {
            inline(label, value);
        }
    }

    /** The flag check of {@code --items}: parses without knowing the model. */
    static void checkItems(String label, String value) {
        items(label, value, Double.NaN);
    }

    // ------------------------------------------------------------------ notes

    /** Says on stderr that fewer than {@code n} were returned, when so, and why that can be. */
    static void noteShort(Cli cli, int n, int returned, int catalogue, String what) {
        if (returned < n) {
            cli.err().println("als: note: " + n + " asked for, " + returned + " returned: " + what + " ("
                    + catalogue + " in the model)");
        }
    }

    static String shortList(List<String> ids) {
        List<String> shown = ids.subList(0, Math.min(IDS_SHOWN, ids.size())).stream().map(RecommendFlags::shownId)
                .toList();
        return ids.size() <= IDS_SHOWN ? String.join(", ", shown)
                : String.join(", ", shown) + " and " + (ids.size() - IDS_SHOWN) + " more";
    }

    /** The most characters of one id a message shows. */
    private static final int ID_SHOWN = 60;

    /**
     * An id as a message lists it: quoted as a list flag takes it when it holds a comma or a
     * quote or has spaces at its ends, control characters escaped, and cut after
     * {@value #ID_SHOWN} characters.
     */
    static String shownId(String id) {
        String text = escaped(id.length() > ID_SHOWN ? id.substring(0, ID_SHOWN) : id);
        String cut = id.length() > ID_SHOWN ? "..." : "";
        return io.als.api.ModelExport.quoted(text) + cut;
    }

    /** Text from the user's input as a message shows it: control characters escaped, at most 60 characters. */
    static String escaped(String s) {
        return io.als.internal.Texts.escaped(s, ID_SHOWN, false);
    }

    /** A title for text output: two spaces then the title, or nothing. */
    static String titleColumn(ItemTitles titles, String id) {
        if (titles == null) {
            return "";
        }
        String t = titles.title(id);
        return "  " + (t == null ? "-" : t);
    }

    /** Warns when none of the ids shown has a title: the file likely belongs to other data. */
    static void warnNoTitles(Cli cli, ItemTitles titles, List<String> ids) {
        warnNoTitles(cli, titles, ids, "the items shown");
    }

    /** As {@link #warnNoTitles(Cli, ItemTitles, List)}, naming the ids checked ({@code what}). */
    static void warnNoTitles(Cli cli, ItemTitles titles, List<String> ids, String what) {
        if (titles == null || ids.isEmpty()) {
            return;
        }
        for (String id : ids) {
            if (titles.title(id) != null) {
                return;
            }
        }
        cli.err().println("als: warning: --items-file " + titles.file() + " has a title for none of " + what + ";"
                + " does it belong to the data the model was trained on? (the ML-1M derived file numbers items"
                + " by index, not by MovieID, so movies.dat does not match it)");
    }
}
