package io.als.cli;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code als recommend}: the top-n unrated items for a user. */
final class RecommendCommand implements Command {

    @Override
    public String name() {
        return "recommend";
    }

    @Override
    public String summary() {
        return "list the n best items a user has not rated, from a model file";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("user", "U", "user id").value("n", "n", "N", "how many items (default 10)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        Model model = ModelFile.read(args.requirePath("model"));
        String user = args.require("user");
        int n = args.intValue("n", 10);
        if (n < 1) {
            throw new UsageException("-n must be at least 1 but was " + n);
        }
        PredictCommand.requireKnown(model, user, null);
        List<Model.Recommendation> recs = model.recommend(user, n);
        if (args.flag("json")) {
            List<Json> items = new ArrayList<>();
            recs.forEach(r -> items.add(Json.object().put("item", r.item()).put("score", r.score())));
            cli.out().println(Json.object().put("user", user).put("n", n).put("recommendations", items));
        } else {
            for (int i = 0; i < recs.size(); i++) {
                cli.out().printf(Locale.ROOT, "%3d  %-12s %.4f%n", i + 1, recs.get(i).item(), recs.get(i).score());
            }
        }
        return 0;
    }
}
