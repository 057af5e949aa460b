package io.als.cli;

import io.als.eval.cv.CrossValidation;
import io.als.eval.report.Reports;
import io.als.eval.tune.GridSearch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code als tune}: grid search over rank and lambda by cross-validation, with the winner and
 * a measurement of how much its CV score flatters it (see {@link GridSearch}).
 */
final class TuneCommand implements Command {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TuneCommand.class);

    static final String DEFAULT_RANKS = "10,20,50";
    /** The lambdas tried by default with the weighted penalty: around Spark MLlib's 0.1. */
    static final String DEFAULT_WEIGHTED_LAMBDAS = "0.05,0.1,0.2";
    /** The lambdas tried by default with the l2 penalty (the default one): around its default start of 4. */
    static final String DEFAULT_L2_LAMBDAS = "2,4,8";
    static final double DEFAULT_HELD_OUT = 0.1;

    @Override
    public String name() {
        return "tune";
    }

    @Override
    public String summary() {
        return "grid search of rank and lambda by cross-validation: the best setting and how optimistic its RMSE is;"
                + " for an implicit fit rank, lambda and alpha, by NDCG@k beside popularity";
    }

    @Override
    public Options options() {
        return RankingEval.add(EvalOptions.add(TrainingOptions.addTraining(TrainingOptions.addData(new Options()))))
                .value("rank", "K,K,...", "ranks to try (default " + DEFAULT_RANKS + ")",
                        FlagChecks.listOf(FlagChecks.setting("rank")))
                .value("lambda", "L,L,...", "lambdas to try (default " + DEFAULT_L2_LAMBDAS + " with the l2 penalty, "
                                + DEFAULT_WEIGHTED_LAMBDAS + " with weighted; each is used as given, no search)",
                        FlagChecks.listOf(FlagChecks.setting("lambda")))
                .value("held-out", "F", "fraction of the ratings set aside, never used to choose, to measure how"
                        + " far the best CV score understates the true error (default " + DEFAULT_HELD_OUT
                        + "; 0: no check)")
                .value("alpha", "A,A,...", "implicit: alphas to try, numbers or auto (the default alpha: for linear"
                        + " confidence 0.5 over the data's mean value); default 0.4, 1 and 2.5 times the default alpha",
                        FlagChecks.listOf(FlagChecks.setting("alpha")))
                .value("holdout", "F", "ranking: the held-out fraction of each user's positives (default "
                        + RankingEval.DEFAULT_HOLDOUT + ")");
    }

    /**
     * The settings that stand in for the grid's lambdas in the base configuration: a fixed
     * lambda (0, which every penalty takes) and no search, over a --config file's own.
     */
    static final Map<String, String> FIXED_LAMBDA = Map.of("lambda", "0", "validation", "0");

    /** The grid comes from the flags: a --config file's rank, lambda and validation are named in a warning. */
    static void gridKeysOfTheConfigFile(Args args) {
        java.util.Properties file = TrainingOptions.configFile(args);
        if (file == null) {
            return;
        }
        for (String key : List.of("rank", "lambda", "validation")) {
            if (file.containsKey("als." + key)) {
                LOG.warn("als.{} in {} is not used by tune, which takes ranks from --rank and lambdas from --lambda"
                        + " (each with a default); ignored", key, args.get("config"));
            }
        }
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        List<Integer> ranks = new ArrayList<>();
        for (String r : list(args, "rank", DEFAULT_RANKS)) {
            try {
                ranks.add(Integer.parseInt(r));
            } catch (NumberFormatException e) {
                throw new UsageException("--rank must be a comma-separated list of integers but had '" + r + "'");
            }
        }
        if (args.has("validation")) {
            throw new UsageException("--validation sets train's and cv's lambda search; tune takes its lambdas from"
                    + " --lambda");
        }
        gridKeysOfTheConfigFile(args);
        Map<String, String> settingsOnly = new LinkedHashMap<>(args.all());
        settingsOnly.remove("rank");
        settingsOnly.remove("lambda");
        settingsOnly.remove("alpha");
        if (RankingEval.wanted(new Args(name(), settingsOnly), cli)) {
            return RankingEval.tune(args, cli, ranks, args.has("lambda") ? list(args, "lambda", null) : null);
        }
        for (String f : new String[] {"alpha", "holdout"}) {
            if (args.has(f)) {
                throw new UsageException("--" + f + " goes with a ranking evaluation (--implicit true, or a ranking"
                        + " flag such as --protocol)");
            }
        }
        double heldOut = args.has("held-out") ? CvCommand.doubleValue(args, "held-out") : DEFAULT_HELD_OUT;
        if (!(heldOut >= 0 && heldOut < 1)) {
            throw new UsageException("--held-out must be at least 0 and below 1 but was " + heldOut);
        }
        OutputChecks.gridReport(args);
        // The lists are this command's; every other training flag builds the base settings, with
        // a fixed lambda standing in for the grid's (so they say no search is made).
        Map<String, String> rest = new LinkedHashMap<>(args.all());
        rest.remove("rank");
        rest.putAll(FIXED_LAMBDA);
        Args base = new Args(name(), rest);
        // Every setting and the solver before any data is read.
        EvalOptions.Fitting fitting = EvalOptions.fitting(base, cli);
        List<Double> lambdas = new ArrayList<>();
        String penalty = fitting.config().regularizer().name();
        for (String l : list(args, "lambda", penalty.equals("weighted") ? DEFAULT_WEIGHTED_LAMBDAS
                : penalty.equals("none") ? "0" : DEFAULT_L2_LAMBDAS)) {
            lambdas.add(FlagChecks.number("--lambda", l, "a comma-separated list of numbers"));
        }
        int folds = EvalOptions.folds(args);
        long seed = CvCommand.seed(args);
        DataSource data = DataSource.load(args);
        CrossValidation.Settings settings = fitting.settings(data.scale());
        double total = ranks.size() * lambdas.size() * folds * EvalOptions.sweeps(settings.config());
        GridSearch.Result grid;
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            grid = GridSearch.run(data.ratings(), ranks, lambdas, settings, folds, seed, heldOut,
                    (p, ps, f, fs, it, its) -> bar.update(((double) p * fs + f) * its + it, total,
                            String.format(Locale.ROOT, "setting %d/%d, fold %d/%d, iteration %d/%d", p + 1, ps,
                                    f + 1, fs, it, its)));
        }
        String what = folds + "-fold grid search on " + data.description();
        List<Path> written = args.has("report") ? Reports.writeGrid(args.requirePath("report"), grid, what) : List.of();
        if (args.flag("json")) {
            List<Json> points = new ArrayList<>();
            for (GridSearch.Point p : grid.points()) {
                points.add(Json.object().put("rank", p.rank()).put("lambda", p.lambda())
                        .put("rmse_mean", p.cv().rmseMean()).put("rmse_std", p.cv().rmseStd())
                        .put("mae_mean", p.cv().maeMean()).put("heldout_rmse", p.cv().extraRmseMean())
                        .put("train_seconds_mean", p.cv().trainSecondsMean()));
            }
            Json j = Json.object().put("command", "tune").put("data", data.description())
                    .put("n_ratings", data.ratings().size()).put("folds", folds).put("held_out", heldOut)
                    .put("held_out_ratings", grid.heldOutSize());
            EvalOptions.settingsJson(j, settings);
            j.put("rank", ranks).put("lambda", lambdas).put("grid", points).put("best", Json.object().put("rank", grid.best().rank())
                    .put("lambda", grid.best().lambda()).put("rmse_mean", grid.best().cv().rmseMean())
                    .put("rmse_std", grid.best().cv().rmseStd()).put("heldout_rmse", grid.bestHeldOutRmse()));
            j.put("optimism", grid.optimism());
            GridSearch.Point hindsight = grid.bestInHindsight();
            if (hindsight != null) {
                j.put("best_on_held_out", Json.object().put("rank", hindsight.rank()).put("lambda", hindsight.lambda())
                        .put("heldout_rmse", hindsight.cv().extraRmseMean()));
            }
            j.put("report", written.stream().map(Path::toString).toList());
            cli.out().println(j);
            return 0;
        }
        cli.out().printf(Locale.ROOT, "%s (%d ratings, rating scale %s)%n", what, data.ratings().size(), data.scale());
        if (heldOut > 0) {
            cli.out().printf(Locale.ROOT, "%d ratings (%.0f%%) held out before tuning; the folds cut the other %d%n",
                    grid.heldOutSize(), 100 * heldOut, data.ratings().size() - grid.heldOutSize());
        }
        cli.out().print(EvalOptions.settingsText(settings).replaceFirst("rank \\d+, lambda [^ ]+ ", "rank and lambda from"
                + " the grid "));
        cli.out().printf(Locale.ROOT, "  %6s %10s %9s %9s %9s %10s%n", "rank", "lambda", "cv rmse", "± std", "mae",
                heldOut > 0 ? "held-out" : "");
        for (GridSearch.Point p : grid.points()) {
            cli.out().printf(Locale.ROOT, "  %6d %10s %9.5f %9.5f %9.5f %10s%s%n", p.rank(), p.lambda(),
                    p.cv().rmseMean(), p.cv().rmseStd(), p.cv().maeMean(),
                    heldOut > 0 ? String.format(Locale.ROOT, "%.5f", p.cv().extraRmseMean()) : "",
                    p == grid.best() ? "  <- best" : "");
        }
        cli.out().printf(Locale.ROOT, "best: rank %d, lambda %s: cv rmse %.5f ± %.5f%n", grid.best().rank(),
                grid.best().lambda(), grid.best().cv().rmseMean(), grid.best().cv().rmseStd());
        if (heldOut > 0) {
            double optimism = grid.optimism();
            cli.out().printf(Locale.ROOT, "optimism: the same fold models score %.5f on the held-out ratings, so the"
                    + " best CV score %s the error by %.5f (%.2f%%)%n", grid.bestHeldOutRmse(),
                    optimism >= 0 ? "understates" : "overstates", Math.abs(optimism),
                    100 * Math.abs(optimism) / grid.best().cv().rmseMean());
            GridSearch.Point h = grid.bestInHindsight();
            cli.out().printf(Locale.ROOT, "in hindsight the held-out set would have picked rank %d, lambda %s"
                    + " (held-out rmse %.5f)%n", h.rank(), h.lambda(), h.cv().extraRmseMean());
        }
        for (Path p : written) {
            cli.out().println("wrote " + p);
        }
        return 0;
    }

    private static List<String> list(Args args, String name, String fallback) {
        String v = args.has(name) ? args.get(name) : fallback;
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("--" + name + " needs at least one value");
        }
        return out;
    }
}
