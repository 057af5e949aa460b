package io.als.cli;

import io.als.api.ImplicitFeedback;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.TrainingInfo;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code als info}: what a model file holds, without predicting anything: its kind (plain or
 * biased, one solution or averaged samples), rank, counts, rating scale, the settings it was
 * trained with (for an implicit model its confidence settings), and the file's format version and size. The file is fully checked on the way
 * (as {@code predict} checks it).
 */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "describe a model file: kind, rank, counts, rating scale, training settings, file version and size";
    }

    @Override
    public Options options() {
        return new Options().value("model", "MODEL", "model file written by 'als train'");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        Path file = args.requirePath("model");
        // One read: a pipe (/dev/stdin) can be read only once.
        ModelFile.Loaded loaded = ModelFile.load(file);
        Model model = loaded.model();
        int version = loaded.version();
        long bytes = loaded.bytes();
        int[] ptr = model.ratedPointers();
        int rated = ptr[ptr.length - 1];
        TrainingInfo info = model.trainingInfo().orElse(null);
        ImplicitFeedback implicit = info == null ? null : info.implicit();
        String kind = implicit != null ? "implicit" : model.biased() ? "biased" : "plain";
        if (args.flag("json")) {
            Json j = Json.object().put("model", file.toString()).put("file_version", version).put("file_bytes", bytes)
                    .put("kind", kind).put("biased", model.biased()).put("samples", model.samples())
                    .put("rank", model.rank()).put("users", model.userIds().size())
                    .put("items", model.itemIds().size()).put("rated_pairs", rated)
                    .put("ratings", info == null ? null : info.ratings());
            if (info == null) {
                j.put("scale", null).put("clipped_by_default", false).put("training", null);
            } else {
                j.put("scale", Json.object().put("min", info.scale().min()).put("max", info.scale().max()))
                        .put("clipped_by_default", implicit == null)
                        .put("training", Json.object().put("solver", info.solver())
                                .put("regularizer", info.regularizer()).put("lambda", info.lambda())
                                .put("iterations_run", info.iterationsRun())
                                .put("iterations_asked", info.iterationsAsked()).put("seed", info.seed())
                                .put("init", info.init().name().toLowerCase(Locale.ROOT))
                                .put("biased", info.biased()).put("samples", info.samples())
                                .put("noise", info.noise()).put("data", info.source())
                                .put("users", info.users()).put("items", info.items()));
            }
            j.put("implicit", TrainCommand.implicitJson(implicit));
            // Whether the one stored sample summarises the fit's samples (training.samples).
            j.put("compressed", model.compressed());
            cli.out().println(j);
            return 0;
        }
        StringBuilder sb = new StringBuilder();
        line(sb, "model", file + ": format version " + version + ", " + bytes + " bytes");
        line(sb, "kind", (implicit != null ? "implicit feedback (scores are preferences, not ratings)" : kind) + ", "
                + (model.compressed() ? "the average of " + info.samples()
                + " posterior samples of rank " + info.rank() + ", stored compressed as one factorisation"
                : model.samples() == 1 ? "one ALS solution" : model.samples() + " posterior samples averaged"));
        line(sb, "rank", Integer.toString(model.rank()));
        line(sb, "users", Integer.toString(model.userIds().size()));
        line(sb, "items", Integer.toString(model.itemIds().size()));
        line(sb, "ratings", (info == null ? "not recorded" : info.ratings() + (implicit != null ? " training interactions" : " training ratings")) + "; " + rated
                + " rated (user, item) pairs kept, which recommend leaves out");
        if (info == null) {
            line(sb, "scale", "not recorded: predict and recommend do not clip");
            line(sb, "training", "not recorded (version-1 files and models built in code have no training info)");
        } else if (implicit != null) {
            line(sb, "values", info.scale() + " (the range of the training values; predict and recommend never clip an"
                    + " implicit model's scores)");
        } else {
            line(sb, "scale", info.scale() + " (predict and recommend clip to it; --no-clip turns that off)");
        }
        if (info != null) {
            line(sb, "training", String.format(Locale.ROOT, "solver %s, regularizer %s, lambda %s, %d of %d"
                            + " iterations, seed %d, init %s, %s%s", info.solver(), info.regularizer(), info.lambda(),
                    info.iterationsRun(), info.iterationsAsked(), info.seed(),
                    info.init().name().toLowerCase(Locale.ROOT), info.biased() ? "biased" : "unbiased",
                    info.samples() > 0 ? ", " + info.samples() + " samples with noise " + info.noise() : ""));
            if (implicit != null) {
                line(sb, "implicit", String.format(Locale.ROOT, "alpha %s, confidence %s%s, alpha0 %s, solve %s, nu %s",
                        implicit.alpha(), implicit.confidence().name().toLowerCase(Locale.ROOT),
                        implicit.confidence() == ImplicitFeedback.Confidence.LOG ? " (epsilon " + implicit.epsilon()
                                + ")" : implicit.confidence() == ImplicitFeedback.Confidence.BM25 ? " (k1 "
                                + implicit.bm25K1() + ", b " + implicit.bm25B() + ")" : "", implicit.unobservedWeight(),
                        implicit.rowSolve().isCg() ? implicit.rowSolve().label() + ", " + implicit.cgSteps() + " steps"
                                : "cholesky", implicit.nu()));
            }
            line(sb, "data", info.source() + " (" + info.users() + " users, " + info.items() + " items)");
        }
        cli.out().print(sb);
        return 0;
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(String.format(Locale.ROOT, "%-9s %s%n", key, value));
    }
}
