package io.als.cli;

import io.als.api.Model;
import io.als.api.ModelFile;
import java.util.Locale;

/** {@code als predict}: one predicted rating from a saved model. */
final class PredictCommand implements Command {

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "predict one user's rating of one item from a model file (explicit models: clipped to the training"
                + " scale; implicit: the raw preference score)";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'")
                .value("user", "U", "user id").value("item", "I", "item id")
                .flag("no-clip", Clipping.FLAG_HELP);
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        java.nio.file.Path file = args.requirePath("model");
        Model model = ModelFile.read(file);
        String user = args.require("user");
        String item = args.require("item");
        requireKnown(model, user, item);
        Clipping clip = Clipping.of(model, file, args.flag("no-clip"));
        double raw = model.predict(user, item);
        double p = clip.apply(raw);
        if (args.flag("json")) {
            cli.out().println(clip.put(Json.object().put("user", user).put("item", item).put("prediction", p)
                    .put("raw_prediction", raw)));
        } else {
            cli.out().printf(Locale.ROOT, "%.6f%n", p);
            clip.warn(cli);
        }
        return 0;
    }

    /** Unknown ids are an error at the command line (the API returns NaN instead). */
    static void requireKnown(Model model, String user, String item) {
        if (user != null && model.userIds().indexOf(user) < 0) {
            throw new IllegalArgumentException("user '" + user + "' is not in the model (" + model.userIds().size()
                    + " users were trained)");
        }
        if (item != null && model.itemIds().indexOf(item) < 0) {
            throw new IllegalArgumentException("item '" + item + "' is not in the model (" + model.itemIds().size()
                    + " items were trained)");
        }
    }
}
