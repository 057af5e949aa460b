package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.RatingsFormat;
import io.als.eval.rank.Positives;
import io.als.eval.rank.RankingEvaluation;
import io.als.eval.rank.RankingFold;
import io.als.eval.rank.RankingGridSearch;
import io.als.eval.rank.RankingMetrics;
import io.als.eval.rank.RankingProtocol;
import io.als.eval.rank.RankingResult;
import io.als.eval.rank.RankingSplit;
import io.als.eval.rank.Timestamps;
import io.als.eval.report.RankingReports;
import io.als.internal.OutputPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cv} and {@code tune} for top-N recommendation: what they do when the fit is implicit
 * ({@code --implicit true}) or a ranking flag is given. The positives (every interaction, or
 * the ratings of at least {@code --threshold}) are cut by {@code --protocol}; each split's
 * model recommends every evaluated user its top items among those it did not interact with in
 * training, scored by precision, recall, NDCG, MAP, hit rate and MRR at {@code -k} (and at 20),
 * and catalogue coverage, beside the popularity baseline (see {@link RankingEvaluation}).
 */
final class RankingEval {
    static final String DEFAULT_PROTOCOL = "holdout";
    static final double DEFAULT_HOLDOUT = 0.2;
    /** Users with fewer positives are not evaluated (they stay in training): a common cut in the literature. */
    static final int DEFAULT_MIN_POSITIVES = 5;
    /**
     * The alphas tune tries by default for an implicit fit, as multiples of the default alpha
     * (for the linear confidence 0.5 over the mean positive value, {@link AlsConfig#alphaAuto()}).
     */
    static final double[] DEFAULT_ALPHA_FACTORS = {0.4, 1, 2.5};
    /** The lambdas tune tries by default with the ials penalty, around its default of 0.1. */
    static final String DEFAULT_IALS_LAMBDAS = "0.03,0.1,0.3";
    /** The flags that ask for a ranking evaluation of any fit. */
    private static final List<String> RANKING_FLAGS = List.of("threshold", "protocol", "min-positives", "k");

    private RankingEval() {
    }

    /** The ranking flags of cv and tune (--folds and --report come with {@link EvalOptions}). */
    static Options add(Options o) {
        return o.value("protocol", "P", "ranking: holdout (a fraction of each user's positives), kfold (each"
                        + " user's positives in --folds folds), last (each user's latest) or time (the latest"
                        + " --holdout of all positives); default " + DEFAULT_PROTOCOL)
                .value("threshold", "T", "ranking: ratings of at least T are positives, the rest are dropped"
                        + " (default: every interaction, but for an implicit fit's values of 0, which record no"
                        + " preference)")
                .value("min-positives", "M", "ranking: evaluate users with at least M positives; the others stay in"
                        + " training (default " + DEFAULT_MIN_POSITIVES + ")")
                .value("k", "k", "K", "ranking: the cutoff of the top-K metrics (default "
                        + RankingEvaluation.DEFAULT_K + "; recall and the rest are also reported at "
                        + RankingEvaluation.DEFAULT_RECALL_K + ")");
    }

    /** Whether the command line asks for a ranking evaluation: an implicit fit, or a ranking flag. */
    static boolean wanted(Args args, Cli cli) throws IOException {
        return RANKING_FLAGS.stream().anyMatch(args::has) || TrainingOptions.config(args, cli).isImplicit();
    }

    /** The flags of the rating-prediction evaluation that mean nothing here. */
    private static void refuse(Args args, String... flags) {
        for (String f : flags) {
            if (args.has(f)) {
                throw new UsageException("--" + f + " belongs to the evaluation of rating predictions, not to a ranking"
                        + " evaluation (which --implicit true or a ranking flag asks for)");
            }
        }
    }

    private static RankingProtocol protocol(Args args) {
        RankingProtocol.Kind kind = RankingProtocol.Kind.parse(args.has("protocol") ? args.get("protocol")
                : DEFAULT_PROTOCOL);
        double fraction = args.has("holdout") ? CvCommand.doubleValue(args, "holdout") : DEFAULT_HOLDOUT;
        if (args.has("folds") && kind != RankingProtocol.Kind.KFOLD) {
            throw new UsageException("--folds goes with --protocol kfold");
        }
        if (args.has("holdout") && !(kind == RankingProtocol.Kind.HOLDOUT || kind == RankingProtocol.Kind.TIME)) {
            throw new UsageException("--holdout goes with --protocol holdout or time");
        }
        if (kind.needsTimes() && !isFile(args)) {
            throw new UsageException("--protocol " + kind.label() + " needs the time of each rating: give --data FILE"
                    + " with a timestamp after the rating (synthetic data has none)");
        }
        return new RankingProtocol(kind, fraction, EvalOptions.folds(args),
                args.intValue("min-positives", DEFAULT_MIN_POSITIVES), CvCommand.seed(args));
    }

    private static boolean isFile(Args args) {
        String d = args.get("data");
        return d != null && !d.trim().startsWith("synthetic");
    }

    private static int k(Args args) {
        return args.intValue("k", RankingEvaluation.DEFAULT_K);
    }

    /** The data, its positives and their splits. */
    private record Cut(DataSource data, Positives positives, List<RankingSplit> splits, String what) {
    }

    /** @param implicit whether the fit is implicit: then, without a threshold, a value of 0 is no positive */
    private static Cut cut(Args args, RankingProtocol protocol, boolean implicit) throws IOException {
        DataSource data = DataSource.load(args);
        long[] times = null;
        if (protocol.kind().needsTimes()) {
            RatingsFormat format = args.has("format") ? RatingsFormat.parse(args.get("format")) : null;
            times = Timestamps.read(args.requirePath("data"), format, data.ratings());
        }
        Positives positives = args.has("threshold")
                ? Positives.atLeast(data.ratings(), times, CvCommand.doubleValue(args, "threshold"))
                : implicit ? Positives.aboveZero(data.ratings(), times) : Positives.all(data.ratings(), times);
        String what = protocol.describe() + " of " + data.description()
                + (args.has("threshold") ? ", positives: ratings >= " + args.get("threshold").trim() : "");
        return new Cut(data, positives, protocol.splits(positives), what);
    }

    /** Says when the cutoff is beyond the catalogue: lists are then shorter than k, and precision@k is over k. */
    private static void noteLongLists(Cli cli, int k, Cut cut) {
        int items = cut.positives().ratings().numItems();
        if (k > items) {
            cli.err().println("als: note: -k " + k + " is more than the " + items + " items of the data; every list"
                    + " holds fewer than k items, and precision@" + k + " still divides by " + k);
        }
    }

    private static void checkReport(Args args, List<String> files) {
        if (args.has("report")) {
            OutputPaths.checkFilesIn("--report", args.requirePath("report"), files, OutputChecks.inputs(args));
        }
    }

    /** {@code cv} for ranking. */
    static int cv(Args args, Cli cli) throws Exception {
        refuse(args, "splits", "train", "test", "split-names", "cold-start", "no-clip");
        RankingProtocol protocol = protocol(args);
        checkReport(args, RankingReports.CV_FILES);
        EvalOptions.Fitting fitting = EvalOptions.fitting(args, cli);
        RankingEvaluation.Settings settings = new RankingEvaluation.Settings(fitting.config(), fitting.solver(),
                RankingEvaluation.Settings.cutoffs(k(args)), true);
        Cut cut = cut(args, protocol, fitting.config().isImplicit());
        noteLongLists(cli, k(args), cut);
        double total = cut.splits().size() * EvalOptions.sweeps(settings.config());
        RankingResult result;
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            result = RankingEvaluation.run(cut.splits(), settings, (s, n, it, its) -> bar.update((double) s * its + it,
                    total, String.format(Locale.ROOT, "split %d/%d, iteration %d/%d", s + 1, n, it, its)));
        }
        List<Path> written = args.has("report")
                ? RankingReports.writeCv(args.requirePath("report"), result, cut.what()) : List.of();
        if (args.flag("json")) {
            Json j = Json.object().put("command", "cv").put("evaluation", "ranking").put("split", cut.what());
            dataJson(j, args, protocol, cut);
            settingsJson(j, settings);
            j.put("model", means(result, false)).put("model_std", stds(result)).put("popularity", means(result, true))
                    .put("ndcg_per_iteration", result.ndcgPerIteration())
                    .put("train_seconds_mean", result.trainSecondsMean());
            List<Json> folds = new ArrayList<>();
            for (RankingFold f : result.folds()) {
                folds.add(Json.object().put("name", f.name()).put("users", f.users())
                        .put("test_positives", f.testPositives()).put("cold_items", f.coldItems())
                        .put("train_positives", f.trainPositives()).put("iterations", f.iterations())
                        .put("train_seconds", f.trainSeconds()).put("model", scores(f.model()))
                        .put("popularity", scores(f.popularity())).put("ndcg_per_iteration", f.ndcgPerIteration()));
            }
            j.put("fold_results", folds).put("report", written.stream().map(Path::toString).toList());
            cli.out().println(j);
            return 0;
        }
        cli.out().printf(Locale.ROOT, "%s: %d positives of %d users and %d items%n", cut.what(),
                cut.positives().ratings().size(), cut.positives().ratings().numUsers(),
                cut.positives().ratings().numItems());
        cli.out().print(settingsText(settings));
        cli.out().print(table(result));
        cli.out().printf(Locale.ROOT, "ndcg@%d per iteration:%s%n", result.k(), curve(result.ndcgPerIteration()));
        cli.out().printf(Locale.ROOT, "%d split%s, %.0f users evaluated, %.0f held-out positives (%.0f of unseen items"
                        + " dropped) on average per split; train time %.2f s per split%n", result.folds().size(),
                result.folds().size() == 1 ? "" : "s", avg(result, RankingFold::users),
                avg(result, RankingFold::testPositives), avg(result, RankingFold::coldItems),
                result.trainSecondsMean());
        for (Path p : written) {
            cli.out().println("wrote " + p);
        }
        return 0;
    }

    /** {@code tune} for ranking: ranks, lambdas and (implicit) alphas, by mean NDCG at k. */
    static int tune(Args args, Cli cli, List<Integer> ranks, List<String> lambdaText) throws Exception {
        refuse(args, "held-out", "cold-start", "no-clip");
        RankingProtocol protocol = protocol(args);
        checkReport(args, concat(RankingReports.GRID_FILES, RankingReports.CV_FILES));
        Map<String, String> rest = new LinkedHashMap<>(args.all());
        rest.remove("rank");
        rest.remove("alpha");
        rest.putAll(TuneCommand.FIXED_LAMBDA);
        Args base = new Args("tune", rest);
        AlsConfig probe = TrainingOptions.config(base, cli);
        if (args.has("alpha") && !probe.isImplicit()) {
            throw new UsageException("--alpha is a setting of an implicit fit; add --implicit true");
        }
        EvalOptions.Fitting fitting = EvalOptions.fitting(base, cli);
        List<Double> lambdas = numbers("lambda", lambdaText != null ? lambdaText
                : List.of((fitting.config().regularizer().name().equals("ials") ? DEFAULT_IALS_LAMBDAS
                        : TuneCommand.DEFAULT_L2_LAMBDAS).split(",")));
        // "auto" in the list is the default alpha; checked now, resolved once the data is read.
        List<String> alphaText = args.has("alpha") ? List.of(args.get("alpha").split(",")) : null;
        if (alphaText != null) {
            numbers("alpha", alphaText.stream().filter(a -> !a.trim().equalsIgnoreCase("auto")).toList());
        }
        Cut cut = cut(args, protocol, fitting.config().isImplicit());
        noteLongLists(cli, k(args), cut);
        List<RankingGridSearch.Alpha> alphas = alphas(alphaText, fitting.config());
        // Every grid point sets its alpha.
        AlsConfig fixed = fitting.config();
        RankingEvaluation.Settings settings = new RankingEvaluation.Settings(fixed, fitting.solver(),
                RankingEvaluation.Settings.cutoffs(k(args)), true);
        int points = ranks.size() * lambdas.size() * (fitting.config().isImplicit() ? alphas.size() : 1);
        double total = points * cut.splits().size() * EvalOptions.sweeps(settings.config());
        RankingGridSearch.Result grid;
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            grid = RankingGridSearch.runGrid(cut.splits(), ranks, lambdas, alphas, settings,
                    (p, ps, s, ss, it, its) -> bar.update(((double) p * ss + s) * its + it, total,
                            String.format(Locale.ROOT, "setting %d/%d, split %d/%d, iteration %d/%d", p + 1, ps,
                                    s + 1, ss, it, its)));
        }
        String what = "grid search by " + cut.what();
        List<Path> written = args.has("report")
                ? RankingReports.writeGrid(args.requirePath("report"), grid, what) : List.of();
        int k = settings.cutoffs().get(0);
        if (args.flag("json")) {
            Json j = Json.object().put("command", "tune").put("evaluation", "ranking").put("split", cut.what());
            dataJson(j, args, protocol, cut);
            settingsJson(j, settings);
            List<Json> list = new ArrayList<>();
            for (RankingGridSearch.Point p : grid.points()) {
                list.add(point(p));
            }
            // The alphas as used: a number, or the mean of those the splits chose from their data.
            List<RankingGridSearch.Point> row = grid.points().subList(0, alphas.size());
            j.put("rank", ranks).put("lambda", lambdas)
                    .put("alpha", fitting.config().isImplicit()
                            ? row.stream().map(RankingGridSearch.Point::alpha).toList() : null)
                    .put("alpha_from_data", fitting.config().isImplicit()
                            ? row.stream().map(RankingGridSearch.Point::alphaFromData).toList() : null)
                    .put("grid", list)
                    .put("best", point(grid.best())).put("popularity", means(grid.baseline(), true))
                    .put("report", written.stream().map(Path::toString).toList());
            cli.out().println(j);
            return 0;
        }
        cli.out().printf(Locale.ROOT, "%s: %d positives%n", what, cut.positives().ratings().size());
        cli.out().print(settingsText(settings).replaceFirst("rank \\d+, lambda \\S+ \\((\\w+)\\)",
                "rank, lambda" + (fitting.config().isImplicit() ? " and alpha" : "") + " from the grid ($1 penalty)")
                .replaceFirst("implicit\\(alpha [^,]+, ", "implicit("));
        int second = settings.cutoffs().get(settings.cutoffs().size() - 1);
        cli.out().printf(Locale.ROOT, "  %-10s %6s %8s %7s %9s %8s %9s %9s%n", "model", "rank", "lambda", "alpha",
                "ndcg@" + k, "± std", "p@" + k, "r@" + second);
        for (RankingGridSearch.Point p : grid.points()) {
            RankingResult r = p.result();
            cli.out().printf(Locale.ROOT, "  %-10s %6d %8s %7s %9.4f %8s %9.4f %9.4f%s%n", "als", p.rank(),
                    p.lambda(), Double.isNaN(p.alpha()) ? "-"
                            : RankingReports.shortNumber(p.alpha()) + (p.alphaFromData() ? "*" : ""), r.ndcg(),
                    spreadText(r, "ndcg", k, false), r.mean("precision", k, false), r.mean("recall", second, false),
                    p == grid.best() ? "  <- best" : "");
        }
        RankingResult b = grid.baseline();
        if (grid.points().stream().anyMatch(RankingGridSearch.Point::alphaFromData)) {
            alphaNote(cli, fitting.config(), cut.splits().size());
        }
        cli.out().printf(Locale.ROOT, "  %-10s %6s %8s %7s %9.4f %8s %9.4f %9.4f%n", "popularity", "-", "-", "-",
                b.mean("ndcg", k, true), spreadText(b, "ndcg", k, true), b.mean("precision", k, true),
                b.mean("recall", second, true));
        RankingResult best = grid.best().result();
        cli.out().printf(Locale.ROOT, "best: rank %d, lambda %s%s: ndcg@%d %.4f%s (popularity %.4f)%n",
                grid.best().rank(), grid.best().lambda(),
                Double.isNaN(grid.best().alpha()) ? "" : ", alpha " + RankingReports.shortNumber(grid.best().alpha()), k,
                best.ndcg(), best.folds().size() < 2 ? "" : " ± " + spreadText(best, "ndcg", k, false),
                b.mean("ndcg", k, true));
        for (Path p : written) {
            cli.out().println("wrote " + p);
        }
        return 0;
    }

    /** Says how an alpha chosen from the data was chosen, and what the table shows for it. */
    private static void alphaNote(Cli cli, AlsConfig config, int splits) {
        cli.out().printf(Locale.ROOT, "  * alpha from the data: each split's fit took %s (or the multiple of it the grid"
                + " names) over the mean value of its own training positives, as cv does; shown: %s%n",
                RankingReports.shortNumber(config.implicit().alpha()),
                splits == 1 ? "that alpha" : "the mean of the " + splits + " splits' alphas");
    }

    private static Json point(RankingGridSearch.Point p) {
        return Json.object().put("rank", p.rank()).put("lambda", p.lambda())
                .put("alpha", Double.isNaN(p.alpha()) ? null : p.alpha())
                .put("alpha_from_data", Double.isNaN(p.alpha()) ? null : p.alphaFromData()).put("model", means(p.result(), false))
                .put("ndcg_std", spread(p.result(), "ndcg", p.result().k(), false))
                .put("train_seconds_mean", p.result().trainSecondsMean());
    }

    /**
     * Tune's alphas: the given ones, {@code auto} standing for the default alpha, or by default
     * {@link #DEFAULT_ALPHA_FACTORS} times it. When the default alpha is chosen from the data
     * (linear confidence), {@code auto} and the default factors are chosen by each split's fit
     * from its own training values, as {@code cv} and {@code train} choose it, so that no
     * held-out value reaches them; a number is used as it is.
     */
    static List<RankingGridSearch.Alpha> alphas(List<String> given, AlsConfig config) {
        if (!config.isImplicit()) {
            return List.of(RankingGridSearch.Alpha.fixed(Double.NaN));
        }
        double base = config.implicit().alpha();
        java.util.function.DoubleFunction<RankingGridSearch.Alpha> auto = f -> config.alphaAuto()
                ? RankingGridSearch.Alpha.fromData(f * base) : RankingGridSearch.Alpha.fixed(f * base);
        List<RankingGridSearch.Alpha> out = new ArrayList<>();
        if (given == null) {
            for (double f : DEFAULT_ALPHA_FACTORS) {
                out.add(auto.apply(f));
            }
            return out;
        }
        for (String a : given) {
            if (a.trim().equalsIgnoreCase("auto")) {
                out.add(auto.apply(1));
            } else if (!a.isBlank()) {
                out.add(RankingGridSearch.Alpha.fixed(FlagChecks.number("--alpha", a,
                        "a comma-separated list of numbers or auto")));
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("--alpha needs at least one value");
        }
        // Repeats as written (auto twice, a number twice) were refused by the flag checks; auto
        // can still equal a number when it is fixed (a confidence other than linear).
        if (new java.util.HashSet<>(out).size() < out.size()) {
            throw new UsageException("--alpha repeats a value: auto is " + base + " with --confidence "
                    + config.implicit().confidence().name().toLowerCase(Locale.ROOT) + ", which the list also gives;"
                    + " give each alpha once");
        }
        return out;
    }

    private static List<Double> numbers(String flag, List<String> parts) {
        List<Double> out = new ArrayList<>();
        for (String s : parts) {
            if (s.isBlank()) {
                continue;
            }
            out.add(FlagChecks.number("--" + flag, s, "a comma-separated list of numbers"));
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void dataJson(Json j, Args args, RankingProtocol protocol, Cut cut) {
        j.put("data", cut.data().description()).put("protocol", protocol.kind().label())
                .put("threshold", args.has("threshold") ? CvCommand.doubleValue(args, "threshold") : null)
                .put("min_positives", protocol.minPositives())
                .put("n_positives", cut.positives().ratings().size())
                .put("n_users", cut.positives().ratings().numUsers())
                .put("n_items", cut.positives().ratings().numItems()).put("splits", cut.splits().size());
        if (protocol.kind() == RankingProtocol.Kind.KFOLD) {
            j.put("folds", protocol.folds());
        } else if (protocol.kind() != RankingProtocol.Kind.LAST) {
            j.put("holdout", protocol.fraction());
        }
    }

    private static void settingsJson(Json j, RankingEvaluation.Settings s) {
        AlsConfig c = s.config();
        j.put("solver", s.solver().name()).put("rank", c.rank()).put("lambda", c.lambda())
                .put("regularizer", c.regularizer().name()).put("iterations", c.iterations()).put("seed", c.seed())
                .put("threads", EvalOptions.usedThreads(c)).put("implicit", c.isImplicit());
        if (c.isImplicit()) {
            j.put("alpha", c.alphaAuto() ? null : c.implicit().alpha()).put("alpha_auto", c.alphaAuto())
                    .put("confidence", c.implicit().confidence().name().toLowerCase(Locale.ROOT))
                    .put("epsilon", c.implicit().epsilon()).put("alpha0", c.implicit().unobservedWeight())
                    .put("solve", c.implicit().rowSolve().label())
                    .put("cg_steps", c.implicit().cgSteps()).put("nu", c.implicit().nu())
                    .put("bm25_k1", c.implicit().bm25K1()).put("bm25_b", c.implicit().bm25B());
        } else {
            j.put("biased", c.biased()).put("samples", c.samples()).put("lambda_auto", c.lambdaAuto());
        }
        j.put("k", s.cutoffs().get(0)).put("cutoffs", s.cutoffs());
    }

    private static String settingsText(RankingEvaluation.Settings s) {
        AlsConfig c = s.config();
        return String.format(Locale.ROOT, "solver %s, rank %d, lambda %s (%s), %s, seed %d, %s%n",
                s.solver().name(), c.rank(), c.lambda(), c.regularizer().name(),
                c.iterations() + (c.iterations() == 1 ? " iteration" : " iterations"), c.seed(),
                c.isImplicit() ? (c.alphaAuto() ? c.implicit().toString().replaceFirst("^implicit\\(alpha [^,]+,",
                        "implicit(alpha auto: " + c.implicit().alpha() + " over each training split's mean value,")
                        : c.implicit().toString())
                        : "explicit" + (c.biased() ? ", biased" : "")
                        + (c.samples() > 0 ? ", " + c.samples() + " samples" : ""));
    }

    /** Every metric at every cutoff, keyed like {@code ndcg@10}. */
    private static Json scores(List<RankingMetrics.Scores> list) {
        Json j = Json.object();
        for (RankingMetrics.Scores s : list) {
            RankingMetrics.NAMES.forEach(m -> j.put(m + "@" + s.k(), s.get(m)));
        }
        return j;
    }

    private static Json means(RankingResult r, boolean baseline) {
        Json j = Json.object();
        for (int k : r.cutoffs()) {
            RankingMetrics.NAMES.forEach(m -> j.put(m + "@" + k, r.mean(m, k, baseline)));
        }
        return j;
    }

    /** The sample standard deviation across splits, or null for one split, which has no spread. */
    private static Double spread(RankingResult r, String metric, int k, boolean baseline) {
        return r.folds().size() < 2 ? null : r.std(metric, k, baseline);
    }

    /** {@link #spread} as the tables show it: four decimals, or "-" for one split. */
    private static String spreadText(RankingResult r, String metric, int k, boolean baseline) {
        Double s = spread(r, metric, k, baseline);
        return s == null ? "-" : String.format(Locale.ROOT, "%.4f", s);
    }

    private static Json stds(RankingResult r) {
        Json j = Json.object();
        for (int k : r.cutoffs()) {
            RankingMetrics.NAMES.forEach(m -> j.put(m + "@" + k, spread(r, m, k, false)));
        }
        return j;
    }

    private static String table(RankingResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-10s", "metric"));
        for (int k : r.cutoffs()) {
            sb.append(String.format(Locale.ROOT, " %10s %8s %12s", "als@" + k, "± std", "popularity@" + k));
        }
        sb.append('\n');
        for (String m : RankingMetrics.NAMES) {
            sb.append(String.format(Locale.ROOT, "  %-10s", m));
            for (int k : r.cutoffs()) {
                sb.append(String.format(Locale.ROOT, " %10.4f %8s %12.4f", r.mean(m, k, false), spreadText(r, m, k, false),
                        r.mean(m, k, true)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String curve(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(String.format(Locale.ROOT, " %.4f", v));
        }
        return sb.toString();
    }

    private static double avg(RankingResult r, java.util.function.ToIntFunction<RankingFold> f) {
        return r.folds().stream().mapToInt(f).average().orElse(0);
    }
}
