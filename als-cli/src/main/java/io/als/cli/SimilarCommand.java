package io.als.cli;

import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.RecommendOptions;
import io.als.api.Recommender;
import io.als.api.TopN;
import io.als.spi.MatrixProducts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code als similar}: the items most like an item ({@code --item}), or the users most like a
 * user ({@code --user}), by the cosine of their factor vectors ({@link Recommender#similarItems}).
 * The score is that cosine, in [-1, 1]: 1 for the same direction, 0 for unrelated (a zero vector
 * has cosine 0 with everything), negative for opposite tastes. Biases play no part, and the query
 * itself is never listed.
 */
final class SimilarCommand implements Command {

    @Override
    public String name() {
        return "similar";
    }

    @Override
    public String summary() {
        return "the n items most like an item (--item) or users most like a user (--user), by cosine of factors";
    }

    @Override
    public Options options() {
        Options o = new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("item", "I", "list the items most similar to this item")
                .value("user", "U", "list the users most similar to this user")
                .value("n", "n", "N", "how many (default 10)");
        return RecommendFlags.addTitles(o);
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        if (args.has("item") == args.has("user")) {
            throw new UsageException("'similar' needs exactly one of --item I or --user U");
        }
        if (args.has("user") && args.has("items-file")) {
            throw new UsageException("--items-file shows item titles; it does not apply to --user");
        }
        Path file = args.requirePath("model");
        int n = args.intValue("n", 10);
        ItemTitles titles = RecommendFlags.titles(args);
        Model model = ModelFile.read(file);
        if (titles != null) {
            // Numeric item ids match the file's in any spelling; text ids only as written.
            titles = titles.forIds(model.itemIds().isNumeric());
        }
        boolean items = args.has("item");
        String query = items ? args.get("item") : args.get("user");
        PredictCommand.requireKnown(model, items ? null : query, items ? query : null);
        TopN top;
        // Scoring one query needs no pool of threads.
        try (Recommender rec = new Recommender(model, MatrixProducts.JAVA, null, 1)) {
            top = items ? rec.similarItems(model.itemIds().indexOf(query), n, RecommendOptions.DEFAULTS)
                    : rec.similarUsers(model.userIds().indexOf(query), n);
        }
        int others = (items ? model.itemIds().size() : model.userIds().size()) - 1;
        RecommendFlags.noteShort(cli, n, top.size(), others + 1, "the model has no more "
                + (items ? "items" : "users") + " besides the query");
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < top.size(); r++) {
            ids.add(items ? model.itemIds().idAt(top.index(r)) : model.userIds().idAt(top.index(r)));
        }
        String kind = items ? "item" : "user";
        if (args.flag("json")) {
            List<Json> list = new ArrayList<>();
            for (int r = 0; r < top.size(); r++) {
                Json j = Json.object().put("rank", r + 1).put(kind, ids.get(r)).put("cosine", top.score(r));
                if (titles != null) {
                    j.put("title", titles.title(ids.get(r)));
                }
                list.add(j);
            }
            Json head = Json.object().put(kind, query);
            if (titles != null) {
                head.put("title", titles.title(query));
            }
            cli.out().println(head.put("n", n).put("returned", top.size()).put("score", "cosine")
                    .put("similar", list));
        } else {
            for (int r = 0; r < top.size(); r++) {
                cli.out().printf(Locale.ROOT, "%3d  %-12s %.4f%s%n", r + 1, ids.get(r), top.score(r),
                        items ? RecommendFlags.titleColumn(titles, ids.get(r)) : "");
            }
        }
        if (items) {
            RecommendFlags.warnNoTitles(cli, titles, ids);
        }
        return 0;
    }
}
