package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.DuplicatePolicy;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.Ratings;
import io.als.api.RatingsFormat;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import io.als.api.Recommender;
import io.als.api.TrainingInfo;
import io.als.spi.MatrixProducts;
import io.als.spi.SparseView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code als update}: a partial update. The users in a file of new interactions get their rows
 * refit against the model's fixed item factors ({@link Recommender#update}), new users are
 * added, and the result is written as a new model file; nothing else of the model changes.
 * Between full refits this keeps a model current as interactions arrive, as the
 * {@code implicit} library's {@code partial_fit_users} does.
 *
 * <p>The file is read as {@code train} reads its data, with the model's kind deciding how: an
 * implicit model takes (user, item) pairs or values of at least 0; an explicit one ratings,
 * which must lie on the scale the model was trained on. Items the model does not know cannot
 * be placed (their factors are not fitted): they are named and left out.
 */
final class UpdateCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateCommand.class);

    @Override
    public String name() {
        return "update";
    }

    @Override
    public String summary() {
        return "refit the users of a file of new interactions against a model's fixed item factors and write the"
                + " updated model to --out (no full refit)";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'; not changed")
                .value("data", "FILE", "the new interactions, in a format 'train' reads (implicit model: user,item"
                        + " pairs or values >= 0; explicit: ratings on the model's scale). Implicit: a user's"
                        + " training items count as before. Explicit: give all of a user's ratings that should count,"
                        + " old and new")
                .value("format", "FORMAT", "the file's format, as for 'train' (default: told from the first line)")
                .value("duplicates", "POLICY", "a repeated (user, item) pair: error (default), last, mean or sum"
                        + " (sum: implicit models only)")
                .value("out", "MODEL", "the updated model file to write (atomically); never the --model file")
                .value("threads", "N", "threads for the refits (default: all cores)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        Path file = args.requirePath("model");
        if (!args.has("data") || args.get("data").trim().startsWith("synthetic")) {
            throw new UsageException("'update' needs --data FILE, a file of new interactions");
        }
        Path data = args.requirePath("data");
        Path out = args.requireFilePath("out", "model.als");
        OutputChecks.modelFile(args, out);
        int threads = args.intValue("threads", AlsConfig.Defaults.threads());
        RatingsFormat format = args.has("format") ? RatingsFormat.parse(args.get("format")) : null;
        DuplicatePolicy duplicates = args.has("duplicates") ? DuplicatePolicy.parse(args.get("duplicates"))
                : DuplicatePolicy.ERROR;

        Model model = ModelFile.read(file);
        TrainingInfo info = model.trainingInfo().orElseThrow(() -> new IllegalArgumentException(
                "--model " + file + " records no training settings (a version-1 file or a model built in code),"
                        + " which an update needs; re-train it"));
        boolean implicit = info.isImplicit();
        if (duplicates == DuplicatePolicy.SUM && !implicit) {
            throw new UsageException("--duplicates sum adds the values of repeated pairs, which suits an implicit model's"
                    + " counts; " + file + " is explicit (use last or mean)");
        }
        // An explicit model's ratings must lie on its scale: the reader names the line of one that does not.
        Ratings ratings = implicit ? new RatingsReader(format, duplicates, null).forImplicit().read(data)
                : RatingsReader.onModelScale(format, duplicates, info.scale()).read(data);

        List<Recommender.Feedback> feedback = new ArrayList<>(ratings.size());
        List<String> unknown = new ArrayList<>();
        java.util.Set<String> unknownSeen = new java.util.HashSet<>();
        List<String> leftOut = new ArrayList<>();
        // (user, item) as the model knows them: ids spelt two ways in the file ("7" and "007") are one pair.
        java.util.Map<String, int[]> pairs = new java.util.HashMap<>();
        SparseView byUser = ratings.byUser();
        for (int u = 0; u < byUser.rows(); u++) {
            String user = ratings.userIds().idAt(u);
            boolean isNew = model.userIds().indexOf(user) < 0;
            if (isNew && model.userIds().isNumeric() && !isWholeNumber(user)) {
                throw new RatingsInputException(data.toString(), lineOf(data, format, ratings, u, byUser.start(u)),
                        "user id '" + RecommendFlags.escaped(user) + "' is not a whole number, but the model's user"
                                + " ids are, so it cannot be added; a model of text ids needs a full 'train'");
            }
            String canonicalUser = canonical(model, user);
            int known = 0;
            int firstKnown = -1;
            boolean preference = false;
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                String item = ratings.itemIds().idAt(byUser.index(e));
                double value = byUser.value(e);
                int modelItem = model.itemIds().indexOf(item);
                if (modelItem < 0) {
                    if (unknownSeen.add(item)) {
                        unknown.add(item);
                    }
                    continue;
                }
                String key = canonicalUser + "\u0000" + modelItem;
                int[] before = pairs.putIfAbsent(key, new int[] {u, e});
                if (before != null) {
                    // Both lines named, the error at the later one.
                    long here = lineOf(data, format, ratings, u, e);
                    long there = lineOf(data, format, ratings, before[0], before[1]);
                    String first = "user " + ratings.userIds().idAt(before[0]) + " and item "
                            + ratings.itemIds().idAt(byUser.index(before[1]));
                    String second = "user " + user + " and item " + item;
                    throw new RatingsInputException(data.toString(), Math.max(here, there), (here < there ? second
                            + " (line " + here + ")" : first + " (line " + there + ")") + " and " + (here < there
                            ? first : second) + " are the same pair of the model, with ids spelt two ways; give each"
                            + " pair once");
                }
                preference |= value != 0;
                firstKnown = known++ == 0 ? e : firstKnown;
                feedback.add(new Recommender.Feedback(user, item, value));
            }
            if (known == 0) {
                // Nothing to place the user against: noted, as its unknown items are.
                leftOut.add(user);
            } else if (implicit && isNew && !preference) {
                throw new RatingsInputException(data.toString(), lineOf(data, format, ratings, u, firstKnown),
                        "new user " + user + " has only values of 0 for the model's items, which an implicit model"
                                + " reads as no preference, so there is nothing to place the user by");
            }
        }
        if (feedback.isEmpty()) {
            throw new IllegalArgumentException(data + ": none of the " + ratings.itemIds().size() + " item(s) is in the"
                    + " model (" + RecommendFlags.shortList(unknown) + "), so no user can be refit; an update places"
                    + " users against the model's items, and new items need a full 'train'");
        }
        if (!unknown.isEmpty()) {
            cli.err().println("als: note: " + data + " names " + unknown.size() + " item(s) the model does not know,"
                    + " left out (new items need a full 'train'): " + RecommendFlags.shortList(unknown));
        }
        if (!leftOut.isEmpty()) {
            cli.err().println("als: note: " + leftOut.size() + " user(s) of " + data + " have no item the model knows,"
                    + " so they are neither refit nor added: " + RecommendFlags.shortList(leftOut));
        }
        long start = System.nanoTime();
        Recommender.Update update;
        try (Recommender rec = new Recommender(model, MatrixProducts.JAVA, null, threads)) {
            update = rec.update(feedback, data.getFileName().toString());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] refit = update.refitUsers();
        int added = update.model().userIds().size() - model.userIds().size();
        ModelFile.write(update.model(), out);
        long bytes = java.nio.file.Files.size(out);
        LOG.info("refit {} users ({} new) from {} interactions in {} s; wrote {} ({} bytes)", refit.length, added,
                feedback.size(), String.format(Locale.ROOT, "%.3f", seconds), out, bytes);
        if (args.flag("json")) {
            cli.out().println(Json.object().put("model", file.toString()).put("data", data.toString())
                    .put("out", out.toString()).put("interactions", feedback.size()).put("refit_users", refit.length)
                    .put("new_users", added).put("users", update.model().userIds().size())
                    .put("unknown_items", unknown).put("users_left_out", leftOut).put("seconds", seconds)
                    .put("bytes", bytes));
        } else {
            cli.out().printf(Locale.ROOT, "refit %d user(s) (%d new) from %d interaction(s); %d users in all; wrote"
                    + " %s%n", refit.length, added, feedback.size(), update.model().userIds().size(), out);
        }
        return 0;
    }

    /** A user id as the model spells it: a number in canonical form when the model's ids are numbers. */
    private static String canonical(Model model, String user) {
        return model.userIds().isNumeric() && isWholeNumber(user) ? Long.toString(Long.parseLong(user.trim())) : user;
    }

    private static boolean isWholeNumber(String id) {
        try {
            Long.parseLong(id.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The line of entry {@code e} of user {@code u} in the file (0 when it cannot be found). */
    private static long lineOf(Path data, RatingsFormat format, Ratings ratings, int u, int e)
            throws java.io.IOException {
        return io.als.eval.data.DataLines.lineOf(data, format, ratings.userIds().idAt(u),
                ratings.itemIds().idAt(ratings.byUser().index(e)));
    }
}
