package io.als.cli;

import io.als.api.AlsConfig;
import io.als.spi.Solver;
import io.als.eval.cv.ColdStart;
import io.als.eval.cv.CrossValidation;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.FoldResult;
import io.als.eval.data.ObservedScale;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The flags and the output shared by the evaluating commands, {@code cv} and {@code tune}. */
final class EvalOptions {
    static final int DEFAULT_FOLDS = 5;

    private EvalOptions() {
    }

    static Options add(Options o) {
        return o.value("folds", "K", "number of cross-validation folds (default " + DEFAULT_FOLDS + ")")
                .value("cold-start", "S", "what test ratings of unknown users or items get: baseline (global mean"
                        + " plus known biases; default), nan (as Spark) or drop")
                .flag("no-clip", "do not clip predictions to the data's rating scale")
                .value("report", "DIR", "write CSV tables and SVG plots of the figures into DIR");
    }

    static int folds(Args args) {
        // Checked when parsed (FlagChecks): at least 2.
        return args.intValue("folds", DEFAULT_FOLDS);
    }

    /**
     * What an evaluation fits with, built from the flags, the --config file and the solver
     * selection before any data is read, so that a bad setting or solver fails first.
     */
    record Fitting(AlsConfig config, Solver solver, ColdStart coldStart, boolean clip) {
        /** The settings for data of this scale. */
        CrossValidation.Settings settings(ObservedScale scale) {
            return new CrossValidation.Settings(config, solver, coldStart, clip ? scale : null);
        }
    }

    static Fitting fitting(Args args, Cli cli) throws IOException {
        com.google.inject.Injector injector = TrainingOptions.injector(args, cli);
        AlsConfig config = TrainingOptions.provide(injector, AlsConfig.class);
        Solver solver = TrainingOptions.provide(injector, Solver.class);
        io.als.api.AlternatingLeastSquares.requireSupported(config, solver);
        ColdStart cold = args.has("cold-start") ? ColdStart.parse(args.get("cold-start")) : ColdStart.BASELINE;
        return new Fitting(config, solver, cold, !args.flag("no-clip"));
    }

    /** Progress-bar units of one split: every ALS iteration and every sampling sweep. */
    static double sweeps(AlsConfig config) {
        return (double) config.iterations() + config.samples();
    }

    /**
     * The threads the fits use at most: those configured, but no more than
     * {@value io.als.api.AlternatingLeastSquares#THREADS_PER_PROCESSOR} per processor (a fit
     * also uses no more than its data's blocks of rows, which vary by split).
     */
    static int usedThreads(AlsConfig c) {
        return Math.min(c.threads(), io.als.api.AlternatingLeastSquares.threadLimit());
    }

    /** The configuration as JSON fields. */
    static Json settingsJson(Json j, CrossValidation.Settings s) {
        AlsConfig c = s.config();
        return j.put("solver", s.solver().name()).put("rank", c.rank()).put("lambda", c.lambda())
                .put("regularizer", c.regularizer().name()).put("lambda_auto", c.lambdaAuto())
                .put("validation", c.validation()).put("biased", c.biased()).put("iterations", c.iterations())
                .put("samples", c.samples()).put("noise", c.noiseAuto() ? "auto" : (Object) c.noise())
                .put("compress", c.compress())
                .put("seed", c.seed()).put("threads", usedThreads(c)).put("cold_start", s.coldStart().label())
                .put("clipped", s.clip() != null);
    }

    /** The scale as a JSON object. */
    static Json scaleJson(ObservedScale scale) {
        return Json.object().put("min", scale.min()).put("max", scale.max()).put("step", scale.step());
    }

    /** The summary of an evaluation as JSON fields, with one object per split. */
    static Json resultJson(Json j, CvResult cv) {
        List<Json> folds = new ArrayList<>();
        for (FoldResult f : cv.folds()) {
            folds.add(Json.object().put("name", f.name()).put("rmse", f.metrics().rmse())
                    .put("mae", f.metrics().mae()).put("test_ratings", f.metrics().total())
                    .put("scored", f.metrics().scored()).put("cold", f.metrics().cold())
                    .put("train_ratings", f.trainRatings()).put("iterations", f.iterations())
                    .put("train_seconds", f.trainSeconds()).put("seconds_per_iteration", f.secondsPerIteration())
                    .put("train_rmse_per_iteration", f.trainRmse()).put("test_rmse_per_iteration", f.testRmse()));
        }
        // One split has no spread: its standard deviations are null, not 0.
        boolean spread = cv.folds().size() > 1;
        return j.put("rmse_mean", cv.rmseMean()).put("rmse_std", spread ? cv.rmseStd() : null)
                .put("mae_mean", cv.maeMean()).put("mae_std", spread ? cv.maeStd() : null).put("folds", cv.folds().size())
                .put("train_seconds_mean", cv.trainSecondsMean()).put("seconds_per_iteration", cv.secondsPerIteration())
                .put("cold_start_count", cv.coldStartCount()).put("cold_start_users", cv.coldUserCount())
                .put("cold_start_items", cv.coldItemCount()).put("fold_results", folds);
    }

    /** The per-split table and the summary lines, for people. */
    static String resultText(CvResult cv, CrossValidation.Settings s) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-18s %8s %8s %8s %6s %9s %8s%n", "split", "rmse", "mae", "test",
                "cold", "train s", "s/iter"));
        for (FoldResult f : cv.folds()) {
            sb.append(String.format(Locale.ROOT, "  %-18s %8.5f %8.5f %8d %6d %9.2f %8.4f%n", f.name(),
                    f.metrics().rmse(), f.metrics().mae(), f.metrics().total(), f.metrics().cold(), f.trainSeconds(),
                    f.secondsPerIteration()));
        }
        if (cv.folds().size() == 1) {
            sb.append(String.format(Locale.ROOT, "rmse %.5f, mae %.5f (one split, so no spread)%n", cv.rmseMean(),
                    cv.maeMean()));
        } else {
            sb.append(String.format(Locale.ROOT, "rmse %.5f ± %.5f, mae %.5f ± %.5f (mean ± sample std over %d splits)%n",
                    cv.rmseMean(), cv.rmseStd(), cv.maeMean(), cv.maeStd(), cv.folds().size()));
        }
        sb.append(String.format(Locale.ROOT, "train time %.2f s per split, %.4f s per iteration%n",
                cv.trainSecondsMean(), cv.secondsPerIteration()));
        int cold = cv.coldStartCount();
        String got = switch (s.coldStart()) {
            case BASELINE -> s.config().biased() ? "the model's global mean plus the known user or item bias"
                    : "a damped-mean baseline from the training ratings";
            case NAN -> "NaN (so RMSE and MAE are NaN)";
            case DROP -> "nothing: they were left out of RMSE and MAE";
        };
        sb.append(cold == 0 ? "cold start: every test user and item was in its training set\n"
                : String.format(Locale.ROOT, "cold start: %d test rating%s had an unknown user or item (%d unknown user,"
                        + " %d unknown item); they got %s%n", cold, cold == 1 ? "" : "s", cv.coldUserCount(),
                cv.coldItemCount(), got));
        return sb.toString();
    }

    static String settingsText(CrossValidation.Settings s) {
        AlsConfig c = s.config();
        String lambda = c.lambdaAuto()
                ? String.format(Locale.ROOT, "lambda auto (%s; searched from %s on %s of the training ratings)",
                        c.regularizer().name(), c.lambda(), c.validation())
                : String.format(Locale.ROOT, "lambda %s (%s)", c.lambda(), c.regularizer().name());
        String sampling = c.samples() == 0 ? "" : String.format(Locale.ROOT, " + %d samples (noise %s%s)", c.samples(),
                c.noiseAuto() ? "auto" : String.valueOf(c.noise()), c.compress() ? ", stored compressed" : "");
        return String.format(Locale.ROOT, "solver %s, rank %d, %s, %s, %d iteration%s%s, seed %d;"
                        + " cold start %s; %s%n", s.solver().name(), c.rank(), lambda,
                c.biased() ? "biased" : "unbiased", c.iterations(), c.iterations() == 1 ? "" : "s", sampling, c.seed(),
                s.coldStart().label(),
                s.clip() == null ? "predictions not clipped" : "predictions clipped to " + s.clip().range());
    }
}
