package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.RecommendOptions;
import io.als.api.Recommender;
import io.als.api.TopN;
import io.als.api.TrainingInfo;
import io.als.cli.RecommendFlags.Known;
import io.als.internal.AtomicFiles;
import io.als.internal.OutputPaths;
import io.als.spi.MatrixProducts;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code als recommend}: the best items for one user of the model ({@code --user}), for every
 * user or a list of users into a CSV file ({@code --all} or {@code --users}, with
 * {@code --out}), or for a new user folded in from the items they interacted with
 * ({@code --items}); and the other way round, the users an item suits best
 * ({@code --users-for}). All go through {@link Recommender}: ranked by the raw scores, training
 * items (or the given items; for {@code --users-for}, the item's training users) left out, and
 * the lists and minimum support of {@link RecommendFlags} applied to items. Scores of an
 * explicit model are shown clipped to its rating scale ({@link Clipping}); an implicit model's
 * are preferences and never clipped.
 */
final class RecommendCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendCommand.class);
    /** Users per call of {@link Recommender#recommendAll} with {@code --all}: bounds memory and paces progress. */
    static final int USERS_PER_CHUNK = 4096;
    static final String CSV_HEADER = "user,item,rank,score";

    @Override
    public String name() {
        return "recommend";
    }

    @Override
    public String summary() {
        return "the n best items for a user (--user), every user (--all --out FILE), some users (--users LIST --out"
                + " FILE) or a new user (--items); or the n users an item suits best (--users-for ITEM, or a list"
                + " with --out FILE)";
    }

    @Override
    public Options options() {
        Options o = new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("user", "U", "recommend for this user of the model")
                .flag("all", "recommend for every user of the model into the CSV file --out (user,item,rank,score)")
                .value("users", "FILE|IDS", "recommend for these users of the model into the CSV file --out, as --all"
                        + " does, in the order given (users the model does not know are named and left out): "
                        + RecommendFlags.listHelp("user"))
                .value("items", "I1[:V1],I2,...", "recommend for a new user who interacted with these items (fold-in);"
                        + " V is the value (implicit model: default 1; explicit: default the top of the rating scale);"
                        + " the items are never recommended back; an id with a comma or a colon goes in double"
                        + " quotes, \"ID\":V")
                .value("users-for", "ITEM|FILE|IDS", "the n users of the model with the highest scores for this item"
                        + " (whom to show it to), its training users left out; with --out FILE, for each item listed,"
                        + " into a CSV file (item,user,rank,score): " + RecommendFlags.listHelp("item"))
                .value("n", "n", "N", "how many items per user, or users with --users-for (default 10)")
                .value("out", "FILE", "with --all, --users or --users-for: the CSV file to write (atomically)")
                .value("threads", "N", "threads for scoring and fold-in (default: all cores)")
                .flag("include-seen", "also recommend the user's training items (--user, --all, --users), or the"
                        + " item's training users (--users-for)");
        RecommendFlags.addLists(o);
        RecommendFlags.addTitles(o);
        return o.flag("no-clip", Clipping.FLAG_HELP);
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        // The command line first, whole, before the model is read.
        int modes = (args.has("user") ? 1 : 0) + (args.flag("all") ? 1 : 0) + (args.has("items") ? 1 : 0)
                + (args.has("users") ? 1 : 0) + (args.has("users-for") ? 1 : 0);
        if (modes != 1) {
            throw new UsageException("'recommend' needs exactly one of --user U, --all, --users LIST, --items LIST or"
                    + " --users-for ITEM but was given " + (modes == 0 ? "none" : "more than one"));
        }
        boolean needsFile = args.flag("all") || args.has("users");
        if (needsFile && !args.has("out")) {
            throw new UsageException((args.flag("all") ? "--all" : "--users") + " needs --out FILE (the CSV file to"
                    + " write)");
        }
        boolean toFile = needsFile || args.has("users-for") && args.has("out");
        if (args.has("out") && !toFile) {
            throw new UsageException("--out goes with --all, --users or --users-for (the other forms print their"
                    + " list)");
        }
        if (args.has("items") && args.flag("include-seen")) {
            throw new UsageException("--include-seen applies to --user, --all, --users and --users-for; the items of"
                    + " --items are never recommended back");
        }
        if (args.has("users-for")) {
            for (String itemsOnly : List.of("allow", "deny", "min-support", "items-file")) {
                if (args.has(itemsOnly)) {
                    throw new UsageException("--" + itemsOnly + " chooses or names items, and goes with the forms"
                            + " that recommend items; --users-for ranks users for items");
                }
            }
        }
        Path file = args.requirePath("model");
        int n = args.intValue("n", 10);
        int threads = args.intValue("threads", AlsConfig.Defaults.threads());
        if (toFile) {
            Map<String, Path> inputs = OutputChecks.inputs(args);
            inputs.putAll(RecommendFlags.listFiles(args));
            OutputPaths.checkFile("--out", args.requireFilePath("out", "recommendations.csv"), "recommendations.csv", inputs);
        }
        ItemTitles titles = RecommendFlags.titles(args);
        Model model = ModelFile.read(file);
        if (titles != null) {
            // Numeric item ids match the file's in any spelling; text ids only as written.
            titles = titles.forIds(model.itemIds().isNumeric());
        }
        Clipping clip = Clipping.of(model, file, args.flag("no-clip"));
        RecommendOptions options = RecommendFlags.options(args, model, cli, !args.flag("include-seen"));
        try (Recommender rec = new Recommender(model, MatrixProducts.JAVA, null, threads)) {
            if (args.flag("all")) {
                return all(args, cli, rec, n, options, clip, titles, null);
            }
            if (args.has("users")) {
                return all(args, cli, rec, n, options, clip, titles, known("users", args.get("users"), "user",
                        model.userIds(), cli));
            }
            if (args.has("users-for")) {
                return args.has("out") ? usersForAll(args, cli, rec, n, clip) : usersFor(args, cli, rec, n, clip);
            }
            if (args.has("items")) {
                return foldIn(args, cli, rec, n, options, clip, titles);
            }
            String user = args.get("user");
            PredictCommand.requireKnown(model, user, null);
            TopN top = rec.recommend(model.userIds().indexOf(user), n, options);
            RecommendFlags.noteShort(cli, n, top.size(), model.itemIds().size(), "items eligible for user " + user
                    + " after leaving out " + (options.excludeTraining() ? "its training items and " : "")
                    + "the filtered ones");
            print(args, cli, model, top, n, clip, titles, Json.object().put("user", user));
        }
        return 0;
    }

    /** Prints one list: text lines (rank, item, score, title) or one JSON object starting with {@code head}. */
    private static void print(Args args, Cli cli, Model model, TopN top, int n, Clipping clip, ItemTitles titles,
                              Json head) {
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < top.size(); r++) {
            ids.add(model.itemIds().idAt(top.index(r)));
        }
        if (args.flag("json")) {
            List<Json> items = new ArrayList<>();
            for (int r = 0; r < top.size(); r++) {
                Json j = Json.object().put("rank", r + 1).put("item", ids.get(r))
                        .put("score", clip.apply(top.score(r))).put("raw_score", top.score(r));
                if (titles != null) {
                    j.put("title", titles.title(ids.get(r)));
                }
                items.add(j);
            }
            cli.out().println(clip.put(head.put("n", n).put("returned", top.size())).put("recommendations", items));
        } else {
            for (int r = 0; r < top.size(); r++) {
                cli.out().printf(Locale.ROOT, "%3d  %-12s %.4f%s%n", r + 1, ids.get(r), clip.apply(top.score(r)),
                        RecommendFlags.titleColumn(titles, ids.get(r)));
            }
            clip.warn(cli);
        }
        RecommendFlags.warnNoTitles(cli, titles, ids);
    }

    /** {@code --items}: fold in a new user and recommend for it. */
    private static int foldIn(Args args, Cli cli, Recommender rec, int n, RecommendOptions options, Clipping clip,
                              ItemTitles titles) {
        Model model = rec.model();
        TrainingInfo info = model.trainingInfo().orElseThrow(() -> new IllegalArgumentException(
                "--items: " + args.get("model") + " records no training settings (a version-1 file or a model built"
                        + " in code), which fold-in needs; re-train it"));
        // A bare id: one interaction for an implicit model; for an explicit one "liked it", the
        // top of the scale the model was trained on.
        double bare = info.isImplicit() ? 1 : info.scale().max();
        List<Recommender.Interaction> given = RecommendFlags.items("--items", args.get("items"), bare);
        List<String> unknown = new ArrayList<>();
        Map<Integer, String> spelled = new HashMap<>();
        for (Recommender.Interaction x : given) {
            int index = model.itemIds().indexOf(x.item());
            String other = index < 0 ? null : spelled.putIfAbsent(index, x.item());
            if (index < 0) {
                unknown.add(x.item());
            } else if (other != null) {
                throw new UsageException("--items names item " + model.itemIds().idAt(index) + " twice (as " + other
                        + " and " + x.item() + "); give each item once");
            } else if (info.isImplicit() && x.value() < 0) {
                throw new UsageException("--items value of item " + x.item() + " must be at least 0 for an implicit"
                        + " model but was " + x.value());
            } else if (!info.isImplicit() && !info.scale().contains(x.value())) {
                // A rating the model's scale cannot hold pulls the user's row as far as it is off.
                throw new UsageException("--items value of item " + x.item() + " must be a rating on the model's scale "
                        + info.scale() + " but was " + x.value());
            } else if (Math.abs(x.value()) > io.als.api.Ratings.MAX_ABS_RATING) {
                // As training refuses it: a value this large swamps the penalty and the row cannot be solved.
                throw new UsageException("--items value of item " + x.item() + " must be at most "
                        + io.als.api.Ratings.MAX_ABS_RATING + " in size, as a training value must, but was " + x.value());
            }
        }
        if (unknown.size() == given.size()) {
            boolean colon = unknown.stream().anyMatch(id -> id.contains(":"));
            throw new IllegalArgumentException("--items: none of the " + given.size() + " item(s) is in the model ("
                    + RecommendFlags.shortList(unknown) + "); give items the model was trained on"
                    + (colon ? " (an entry whose text after its last ':' is not a number is read as one id)" : ""));
        }
        if (info.isImplicit() && given.stream().noneMatch(x -> !unknown.contains(x.item()) && x.value() != 0)) {
            throw new UsageException("--items gives every known item the value 0, which an implicit model reads as no"
                    + " preference; give at least one positive value");
        }
        if (!unknown.isEmpty()) {
            cli.err().println("als: note: --items names " + unknown.size() + " item(s) the model does not know, left"
                    + " out: " + RecommendFlags.shortList(unknown));
        }
        Recommender.FoldedUser user = rec.foldIn(given);
        TopN top = rec.recommend(user, n, options);
        RecommendFlags.noteShort(cli, n, top.size(), model.itemIds().size(), "items eligible after leaving out the "
                + user.items().length + " given and the filtered ones");
        List<Json> used = new ArrayList<>();
        for (Recommender.Interaction x : given) {
            if (!unknown.contains(x.item())) {
                used.add(Json.object().put("item", x.item()).put("value", x.value()));
            }
        }
        print(args, cli, model, top, n, clip, titles, Json.object().put("items", used).put("unknown_items", unknown));
        return 0;
    }

    /** {@code --users-for} without {@code --out}: the users one item suits best, as text lines or one JSON object. */
    private static int usersFor(Args args, Cli cli, Recommender rec, int n, Clipping clip) throws java.io.IOException {
        Model model = rec.model();
        List<String> named = RecommendFlags.ids("users-for", args.get("users-for"), "item");
        if (named.size() != 1) {
            throw new UsageException("--users-for names " + named.size() + " items; without --out it prints one item's"
                    + " users, so give one item, or --out FILE for a CSV file of each item's users");
        }
        String item = named.get(0);
        PredictCommand.requireKnown(model, null, item);
        int i = model.itemIds().indexOf(item);
        boolean exclude = !args.flag("include-seen");
        TopN top = rec.recommendUsers(new int[] {i}, n, exclude)[0];
        RecommendFlags.noteShort(cli, n, top.size(), model.userIds().size(), exclude ? "users left after leaving out"
                + " the item's " + rec.support(i) + " training users" : "no more users");
        if (args.flag("json")) {
            List<Json> users = new ArrayList<>();
            for (int r = 0; r < top.size(); r++) {
                users.add(Json.object().put("rank", r + 1).put("user", model.userIds().idAt(top.index(r)))
                        .put("score", clip.apply(top.score(r))).put("raw_score", top.score(r)));
            }
            cli.out().println(clip.put(Json.object().put("item", item).put("n", n).put("returned", top.size()))
                    .put("users", users));
        } else {
            for (int r = 0; r < top.size(); r++) {
                cli.out().printf(Locale.ROOT, "%3d  %-12s %.4f%n", r + 1, model.userIds().idAt(top.index(r)),
                        clip.apply(top.score(r)));
            }
            clip.warn(cli);
        }
        return 0;
    }

    /**
     * {@code --users-for LIST --out FILE}: each listed item's users into a CSV file
     * {@code item,user,rank,score}, written atomically; Spark MLlib's recommendForItemSubset.
     * Unknown items are named and left out, and none known fails, as for {@code --users}.
     */
    private static int usersForAll(Args args, Cli cli, Recommender rec, int n, Clipping clip) throws Exception {
        Model model = rec.model();
        Known listed = known("users-for", args.get("users-for"), "item", model.itemIds(), cli);
        int[] items = listed.indices();
        boolean exclude = !args.flag("include-seen");
        Path out = args.requireFilePath("out", "recommendations.csv");
        long[] lines = {0};
        int[] shortItems = {0};
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            AtomicFiles.write(out, stream -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
                w.write("item,user,rank,score\n");
                for (int from = 0; from < items.length; from += USERS_PER_CHUNK) {
                    int[] chunk = Arrays.copyOfRange(items, from, Math.min(items.length, from + USERS_PER_CHUNK));
                    TopN[] tops = rec.recommendUsers(chunk, n, exclude);
                    for (int q = 0; q < chunk.length; q++) {
                        String item = csv(model.itemIds().idAt(chunk[q]));
                        shortItems[0] += tops[q].size() < n ? 1 : 0;
                        for (int r = 0; r < tops[q].size(); r++) {
                            w.write(item + "," + csv(model.userIds().idAt(tops[q].index(r))) + "," + (r + 1) + ","
                                    + clip.apply(tops[q].score(r)) + "\n");
                            lines[0]++;
                        }
                    }
                    bar.update(from + chunk.length, items.length, (from + chunk.length) + "/" + items.length + " items");
                }
                w.flush();
            });
        }
        if (shortItems[0] > 0) {
            cli.err().println("als: note: " + n + " users asked for per item; " + shortItems[0] + " of " + items.length
                    + " items got fewer: no more users were left (" + model.userIds().size() + " in the model)");
        }
        clip.warn(cli);
        if (args.flag("json")) {
            cli.out().println(clip.put(Json.object().put("out", out.toString()).put("items", items.length).put("n", n)
                    .put("lines", lines[0]).put("items_with_fewer", shortItems[0]).put("unknown_items", listed.unknown())
                    .put("bytes", Files.size(out))));
        } else {
            cli.out().printf(Locale.ROOT, "wrote %d recommendations (%d items, up to %d users each) to %s%n", lines[0],
                    items.length, n, out);
        }
        return 0;
    }

    /**
     * The model's indices of the ids a list flag names, each once, in the order given; unknown
     * ones are named on stderr, and none known fails (exit 1).
     */
    private static Known known(String flag, String value, String noun, io.als.api.IdIndex index, Cli cli)
            throws java.io.IOException {
        Known listed = RecommendFlags.lookup(RecommendFlags.ids(flag, value, noun), index);
        List<String> unknown = listed.unknown();
        if (listed.indices().length == 0) {
            throw new IllegalArgumentException("--" + flag + ": none of the " + unknown.size() + " " + noun + "(s) is in"
                    + " the model (" + RecommendFlags.shortList(unknown) + "); give " + noun + "s the model was trained"
                    + " on" + (noun.equals("user") ? ", or fold a new user in with --items" : ""));
        }
        if (!unknown.isEmpty()) {
            cli.err().println("als: note: --" + flag + " names " + unknown.size() + " " + noun + "(s) the model does not"
                    + " know, left out: " + RecommendFlags.shortList(unknown));
        }
        return listed;
    }

    /**
     * {@code --all} and {@code --users}: each user's list into the CSV file, written atomically.
     *
     * @param listed the users of {@code --users}, in order, and those it names that the model does not
     *               know; null for every user of the model
     */
    private static int all(Args args, Cli cli, Recommender rec, int n, RecommendOptions options, Clipping clip,
                           ItemTitles titles, Known listed) throws Exception {
        int[] chosen = listed == null ? null : listed.indices();
        Model model = rec.model();
        Path out = args.requireFilePath("out", "recommendations.csv");
        int users = chosen == null ? model.userIds().size() : chosen.length;
        long start = System.nanoTime();
        long[] lines = {0};
        int[] shortUsers = {0};
        int[] fewest = {Integer.MAX_VALUE};
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            AtomicFiles.write(out, stream -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
                w.write(CSV_HEADER + (titles != null ? ",title" : "") + "\n");
                StringBuilder sb = new StringBuilder();
                for (int from = 0; from < users; from += USERS_PER_CHUNK) {
                    int first = from;
                    int[] chunk = new int[Math.min(USERS_PER_CHUNK, users - from)];
                    Arrays.setAll(chunk, q -> chosen == null ? first + q : chosen[first + q]);
                    TopN[] tops = rec.recommendAll(chunk, n, options);
                    for (int q = 0; q < chunk.length; q++) {
                        TopN top = tops[q];
                        String user = csv(model.userIds().idAt(chunk[q]));
                        if (top.size() < n) {
                            shortUsers[0]++;
                            fewest[0] = Math.min(fewest[0], top.size());
                        }
                        for (int r = 0; r < top.size(); r++) {
                            String item = model.itemIds().idAt(top.index(r));
                            sb.setLength(0);
                            sb.append(user).append(',').append(csv(item)).append(',').append(r + 1).append(',')
                                    .append(clip.apply(top.score(r)));
                            if (titles != null) {
                                String t = titles.title(item);
                                sb.append(',').append(t == null ? "" : csv(t));
                            }
                            w.write(sb.append('\n').toString());
                            lines[0]++;
                        }
                    }
                    bar.update(from + chunk.length, users, (from + chunk.length) + "/" + users + " users");
                }
                w.flush();
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(out);
        LOG.info("wrote {} recommendations for {} users to {} in {} s", lines[0], users, out,
                String.format(Locale.ROOT, "%.2f", seconds));
        if (shortUsers[0] > 0) {
            cli.err().println("als: note: " + n + " asked for per user; " + shortUsers[0] + " of " + users + " users got"
                    + " fewer (as few as " + fewest[0] + "): no more items were eligible (" + model.itemIds().size()
                    + " in the model)");
        }
        clip.warn(cli);
        // Every title column empty: the items file likely belongs to other data.
        if (titles != null) {
            List<String> catalogue = new ArrayList<>(model.itemIds().size());
            for (int i = 0; i < model.itemIds().size(); i++) {
                catalogue.add(model.itemIds().idAt(i));
            }
            RecommendFlags.warnNoTitles(cli, titles, catalogue, "the model's items");
        }
        if (args.flag("json")) {
            Json summary = Json.object().put("out", out.toString()).put("users", users).put("n", n)
                    .put("lines", lines[0]).put("users_with_fewer", shortUsers[0]);
            if (listed != null) {
                summary.put("unknown_users", listed.unknown());
            }
            cli.out().println(clip.put(summary.put("bytes", bytes).put("seconds", seconds).put("threads",
                    rec.threads())));
        } else {
            cli.out().printf(Locale.ROOT, "wrote %d recommendations (%d users, up to %d each) to %s%n", lines[0],
                    users, n, out);
        }
        return 0;
    }

    /** A CSV field, quoted as an export quotes it ({@link io.als.api.ModelExport#quoted}). */
    static String csv(String s) {
        return io.als.api.ModelExport.quoted(s);
    }
}
