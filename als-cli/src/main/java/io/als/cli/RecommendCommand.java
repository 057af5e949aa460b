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
        return "list the n best items a user has not rated, from a model file (scores clipped to the training scale)";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("user", "U", "user id").value("n", "n", "N", "how many items (default 10)")
                .flag("no-clip", Clipping.FLAG_HELP);
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        java.nio.file.Path file = args.requirePath("model");
        Model model = ModelFile.read(file);
        String user = args.require("user");
        int n = args.intValue("n", 10);
        if (n < 1) {
            throw new UsageException("-n must be at least 1 but was " + n);
        }
        PredictCommand.requireKnown(model, user, null);
        // Ranked by the raw predictions, so that clipping (which ties every item above the
        // scale at its maximum) does not change the order; the scores shown are clipped.
        List<Model.Recommendation> recs = model.recommend(user, n);
        Clipping clip = Clipping.of(model, file, args.flag("no-clip"));
        if (args.flag("json")) {
            List<Json> items = new ArrayList<>();
            recs.forEach(r -> items.add(Json.object().put("item", r.item()).put("score", clip.apply(r.score()))
                    .put("raw_score", r.score())));
            cli.out().println(clip.put(Json.object().put("user", user).put("n", n)).put("recommendations", items));
        } else {
            for (int i = 0; i < recs.size(); i++) {
                cli.out().printf(Locale.ROOT, "%3d  %-12s %.4f%n", i + 1, recs.get(i).item(),
                        clip.apply(recs.get(i).score()));
            }
            clip.warn(cli);
        }
        return 0;
    }
}
