package io.als.cli;

import io.als.api.Ratings;
import io.als.eval.cv.CrossValidation;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.Split;
import io.als.eval.cv.Splits;
import io.als.eval.data.ObservedScale;
import io.als.eval.report.Reports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code als cv}: how accurate is a model on this data? Seeded k-fold cross-validation (the
 * default), a single random holdout, or predefined train/test files, with RMSE and MAE per
 * split and their mean and spread.
 */
final class CvCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(CvCommand.class);
    /** MovieLens 100K's own five-fold sets are u1..u5 (its README); ua and ub are another protocol. */
    static final String DEFAULT_SPLIT_NAMES = "u[1-5]";

    @Override
    public String name() {
        return "cv";
    }

    @Override
    public String summary() {
        return "cross-validate: RMSE and MAE per fold, mean ± std, times (synthetic data when --data is omitted);"
                + " for an implicit fit or with a ranking flag, top-N metrics against popularity";
    }

    @Override
    public Options options() {
        return RankingEval.add(EvalOptions.add(TrainingOptions.addTraining(TrainingOptions.addData(new Options()))))
                .value("holdout", "F", "one random split with this fraction of the ratings as the test set (ranking:"
                        + " of each user's positives, default " + RankingEval.DEFAULT_HOLDOUT + ")")
                .value("splits", "DIR", "predefined splits: NAME.base/NAME.test pairs in DIR (see --split-names)")
                .value("split-names", "REGEX", "which NAMEs --splits uses (default " + DEFAULT_SPLIT_NAMES
                        + ": MovieLens 100K's u1..u5)")
                .value("train", "FILE", "a predefined training file (with --test)")
                .value("test", "FILE", "a predefined test file (with --train)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        if (RankingEval.wanted(args, cli)) {
            return RankingEval.cv(args, cli);
        }
        int modes = (args.has("holdout") ? 1 : 0) + (args.has("splits") ? 1 : 0) + (args.has("train") ? 1 : 0);
        if (modes > 1 || (args.has("folds") && modes > 0)) {
            throw new UsageException("choose one of --folds, --holdout, --splits and --train/--test");
        }
        if (args.has("train") != args.has("test")) {
            throw new UsageException("--train and --test go together");
        }
        if ((args.has("splits") || args.has("train")) && args.has("data")) {
            throw new UsageException("--data cannot be combined with --splits or --train/--test, which name the data");
        }
        OutputChecks.cvReport(args);
        long seed = seed(args);
        // Every setting and the solver before any data is read.
        EvalOptions.Fitting fitting = EvalOptions.fitting(args, cli);
        List<Split> splits;
        String what;
        ObservedScale scale;
        int nRatings;
        DataSource data = null;
        if (args.has("splits") || args.has("train")) {
            List<Path[]> pairs = args.has("splits") ? pairs(args.requirePath("splits"),
                    args.has("split-names") ? args.get("split-names") : DEFAULT_SPLIT_NAMES)
                    : List.<Path[]>of(new Path[] {args.requirePath("train"), args.requirePath("test")});
            splits = new ArrayList<>();
            ObservedScale merged = null;
            nRatings = 0;
            for (Path[] p : pairs) {
                if (Files.exists(p[0]) && Files.exists(p[1]) && Files.isSameFile(p[0], p[1])) {
                    LOG.warn("{} is its own test file: this scores the model on the ratings it was trained on,"
                            + " a training error rather than a held-out one", p[0]);
                }
                Ratings train = TrainingOptions.readData(args, p[0]);
                Ratings test = TrainingOptions.readData(args, p[1]);
                splits.add(Splits.of(p[0].getFileName() + "/" + p[1].getFileName(), train, test));
                merged = widen(widen(merged, ObservedScale.of(train)), ObservedScale.of(test));
                nRatings = Math.max(nRatings, train.size() + test.size());
            }
            scale = merged;
            what = pairs.size() + " predefined split" + (pairs.size() == 1 ? "" : "s");
        } else {
            data = DataSource.load(args);
            scale = data.scale();
            nRatings = data.ratings().size();
            if (args.has("holdout")) {
                double f = doubleValue(args, "holdout");
                splits = List.of(Splits.holdout(data.ratings(), f, seed));
                what = "holdout of " + f;
            } else {
                int k = EvalOptions.folds(args);
                splits = Splits.kFold(data.ratings(), k, seed);
                what = k + "-fold cross-validation";
            }
            what += " of " + data.description();
        }
        CrossValidation.Settings settings = fitting.settings(scale);
        double total = splits.size() * EvalOptions.sweeps(settings.config());
        CvResult cv;
        try (ProgressBar bar = ProgressBar.forCli(args, cli)) {
            cv = CrossValidation.run(splits, settings, (s, n, it, its) -> bar.update((double) s * its + it, total,
                    String.format(Locale.ROOT, "split %d/%d, iteration %d/%d", s + 1, n, it, its)));
        }
        List<Path> written = args.has("report") ? Reports.writeCv(args.requirePath("report"), cv, what) : List.of();
        double floor = data != null && data.synthetic() != null ? data.synthetic().noiseFloor() : Double.NaN;
        if (args.flag("json")) {
            Json j = Json.object().put("command", "cv").put("split", what).put("n_ratings", nRatings);
            if (data != null) {
                j.put("n_users", data.ratings().numUsers()).put("n_items", data.ratings().numItems());
            }
            j.put("scale", EvalOptions.scaleJson(scale));
            EvalOptions.settingsJson(j, settings);
            EvalOptions.resultJson(j, cv);
            if (!Double.isNaN(floor)) {
                j.put("noise_floor", floor).put("rmse_over_noise_floor", cv.rmseMean() / floor)
                        .put("planted_score_rmse", data.synthetic().plantedScoreRmse());
            }
            j.put("report", written.stream().map(Path::toString).toList());
            cli.out().println(j);
        } else {
            cli.out().printf(Locale.ROOT, "%s: %d ratings, rating scale %s%n", what, nRatings, scale);
            cli.out().print(EvalOptions.settingsText(settings));
            cli.out().print(EvalOptions.resultText(cv, settings));
            if (!Double.isNaN(floor)) {
                cli.out().printf(Locale.ROOT, "noise floor of the synthetic data %.5f (RMSE of E[rating | planted"
                        + " score]; the clipped planted score itself scores %.5f): the CV RMSE is %.3f times the floor%n",
                        floor, data.synthetic().plantedScoreRmse(), cv.rmseMean() / floor);
            }
            for (Path p : written) {
                cli.out().println("wrote " + p);
            }
        }
        return 0;
    }

    static long seed(Args args) {
        String s = args.get("seed");
        if (s == null) {
            return io.als.api.AlsConfig.Defaults.SEED;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be an integer but was '" + s + "'");
        }
    }

    static double doubleValue(Args args, String name) {
        return FlagChecks.number("--" + name, args.get(name), "a number");
    }

    private static ObservedScale widen(ObservedScale a, ObservedScale b) {
        if (a == null) {
            return b;
        }
        return new ObservedScale(Math.min(a.min(), b.min()), Math.max(a.max(), b.max()),
                a.step() == b.step() ? a.step() : 0);
    }

    /** NAME.base/NAME.test pairs in {@code dir} whose NAME matches {@code names}, sorted by NAME. */
    static List<Path[]> pairs(Path dir, String names) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--splits " + dir + " is not a folder");
        }
        Pattern p = Pattern.compile(names);
        List<Path[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path base : files.filter(f -> f.getFileName().toString().endsWith(".base")).sorted().toList()) {
                String name = base.getFileName().toString();
                String stem = name.substring(0, name.length() - ".base".length());
                Path test = dir.resolve(stem + ".test");
                if (p.matcher(stem).matches() && Files.isRegularFile(test)) {
                    out.add(new Path[] {base, test});
                }
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("--splits " + dir + " holds no NAME.base/NAME.test pair with NAME matching '"
                    + names + "'");
        }
        return out;
    }
}
