package io.als.cli;

import io.als.api.AlternatingLeastSquares;
import io.als.api.AlsConfig;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.spi.Solver;
import io.als.api.ModelFile;
import com.google.inject.Injector;
import io.als.api.Factorizer;
import io.als.internal.Texts;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code als train}: fit a model to a ratings file and save it atomically. */
final class TrainCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
    /** The engine that fits in this JVM. */
    static final String LOCAL = "local";
    /** The Spark master of {@code --engine spark} without {@code --master}. */
    static final String LOCAL_SPARK = "local[*]";

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "fit a model to a ratings file and write it (atomically) to --out";
    }

    /** The implicit-feedback settings as {@code train --json} reports them; null for an explicit fit. */
    static Json implicitJson(io.als.api.ImplicitFeedback settings) {
        return settings == null ? null : Json.object().put("alpha", settings.alpha())
                .put("confidence", settings.confidence().name().toLowerCase(Locale.ROOT))
                .put("epsilon", settings.epsilon()).put("alpha0", settings.unobservedWeight())
                .put("solve", settings.rowSolve().label())
                .put("cg_steps", settings.cgSteps()).put("nu", settings.nu())
                .put("bm25_k1", settings.bm25K1()).put("bm25_b", settings.bm25B());
    }

    @Override
    public Options options() {
        return TrainingOptions.addTraining(TrainingOptions.addData(new Options(), false))
                .value("out", "MODEL", "where to write the model file")
                .value("engine", "E", "where to fit: local (this JVM, default) or spark (Apache Spark: explicit"
                        + " and implicit fits; posterior samples and the lambda search stay local, so its defaults are"
                        + " --samples 0 and the penalty's default lambda; docs/spark.md)")
                .value("master", "URL", "spark: the Spark master (default " + LOCAL_SPARK + ")")
                .value("blocks", "N", "spark: blocks per side (default: Spark's default parallelism)")
                .value("ship", "P", "spark: double (default) or float: the precision factor rows travel in between"
                        + " blocks; float halves the shuffle, and the model then differs from a local fit at about"
                        + " float precision (1e-7 to 1e-5 relative)")
                .value("checkpoint-dir", "D", "spark: where the factors are checkpointed (default: a temporary"
                        + " folder in local mode; required on a cluster)");
    }

    @Override
    public int run(Args args, Cli cli) throws Exception {
        // A model is trained on data the user names: never silently on the built-in synthetic set.
        if (!args.has("data")) {
            throw new UsageException("'train' needs --data FILE (a ratings file), or --data synthetic for the built-in"
                    + " synthetic data set");
        }
        Path out = args.requireFilePath("out", "model.als");
        String engine = args.has("engine") ? args.get("engine").trim().toLowerCase(Locale.ROOT) : LOCAL;
        if (!engine.equals(LOCAL)) {
            return new EngineTrain(engine).run(args, cli, out);
        }
        for (String flag : EngineTrain.ENGINE_FLAGS) {
            if (args.has(flag)) {
                throw new UsageException("--" + flag + " is a setting of a distributed fit; add --engine spark");
            }
        }
        // Settings and the solver first (a bad value is named before any file is looked at),
        // then the destination, all before loading and fitting.
        Injector injector = TrainingOptions.injector(args, cli);
        AlsConfig config = TrainingOptions.provide(injector, AlsConfig.class);
        Solver solver = TrainingOptions.provide(injector, Solver.class);
        Factorizer factorizer = TrainingOptions.provide(injector, Factorizer.class);
        OutputChecks.modelFile(args, out);
        // --data: a file, or the built-in synthetic set when it says synthetic; logs the rating scale found.
        DataSource data;
        // The kernels are compiled on the second core while the data is read (JitWarmup).
        try (JitWarmup warm = JitWarmup.start(config, solver, cli.env())) {
            data = DataSource.load(args);
        }
        Ratings ratings = data.ratings();
        // Implicit: the loss is the confidence-weighted error over every cell, not a rating
        // error, so no RMSE is shown, and the values' range is no rating scale.
        boolean implicit = config.isImplicit();
        double[] last = new double[2];
        int total = config.iterations() + config.samples();
        long[] previous = {System.nanoTime()};
        // One line per iteration with its time. The training loss is a pass over every rating
        // (at rank 10 about a sixth of an iteration), so it is shown only when it is free (the
        // driver computed it for --tolerance) and after the last iteration, where train --json
        // reports it; never computed just to print progress.
        FitListener progress = e -> {
            if (e.side() != FitListener.Side.USERS) {
                return;
            }
            long now = System.nanoTime();
            String took = Texts.seconds((now - previous[0]) / 1e9) + " s";
            previous[0] = now;
            if (e.iteration() == total || e.lossKnown()) {
                last[0] = e.sse();
                last[1] = e.objective();
                LOG.info("iteration {}/{}: {}, {} {}, objective {}", e.iteration(), total, took,
                        implicit ? "weighted loss" : "rmse", implicit ? String.format(Locale.ROOT, "%.6g", e.sse())
                                : String.format(Locale.ROOT, "%.5f", Math.sqrt(e.sse() / ratings.size())),
                        String.format(Locale.ROOT, "%.6g", e.objective()));
            } else {
                LOG.info("iteration {}/{}: {}", e.iteration(), total, took);
            }
        };
        // ALS iterations run and sampling sweeps drawn, counted apart: a sweep's event number
        // continues after the configured iterations even when the tolerance stopped them early.
        int[] iterations = new int[2];
        long start = System.nanoTime();
        previous[0] = start;
        // Whether the lambda search ran (null: none was asked for), and how many ratings it held out.
        Boolean[] searched = {null};
        int[] heldOut = {0};
        Model model = factorizer.fit(ratings, new FitListener() {
            @Override
            public void onHalfStep(FitListener.HalfStep e) {
                if (e.side() == FitListener.Side.USERS) {
                    iterations[e.sampling() ? 1 : 0]++;
                }
                progress.onHalfStep(e);
            }

            @Override
            public void onLambdaChosen(double lambda, boolean ran, int held) {
                searched[0] = ran;
                heldOut[0] = held;
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        ModelFile.write(model, out);
        long bytes = java.nio.file.Files.size(out);
        // The size of a sampled model grows with its samples (S copies of the factors unless compressed): say it.
        LOG.info("wrote model to {}: {} MB ({} bytes; rank {}, {} sample(s) stored, {} users, {} items)", out,
                String.format(Locale.ROOT, "%.2f", bytes / 1e6), bytes, model.rank(), model.samples(),
                ratings.numUsers(), ratings.numItems());
        io.als.api.TrainingInfo info = model.trainingInfo().orElseThrow();
        io.als.api.ImplicitFeedback settings = info.implicit();
        if (args.flag("json")) {
            cli.out().println(Json.object().put("kind", implicit ? "implicit" : "explicit")
                    .put("solver", solver.name()).put("rank", config.rank())
                    .put("regularizer", config.regularizer().name()).put("lambda", info.lambda())
                    .put("lambda_auto", config.lambdaAuto())
                    .put("lambda_searched", searched[0]).put("lambda_held_out", searched[0] == null ? null : heldOut[0])
                    .put("iterations", iterations[0]).put("sample_sweeps", iterations[1])
                    .put("n_ratings", ratings.size())
                    .put("n_users", ratings.numUsers()).put("n_items", ratings.numItems())
                    .put("train_seconds", seconds).put("seconds_per_iteration", seconds / (iterations[0] + iterations[1]))
                    .put("final_loss", last[1]).put("final_sse", last[0])
                    .put("train_rmse", implicit ? null : Math.sqrt(last[0] / ratings.size()))
                    .put("threads", AlternatingLeastSquares.usableThreads(config.threads(), ratings.numUsers(),
                            ratings.numItems(), Runtime.getRuntime().availableProcessors()))
                    .put("biased", model.biased()).put("samples", config.samples())
                    .put("noise", info.noise()).put("noise_auto", config.noiseAuto())
                    .put("model_rank", model.rank()).put("model_samples", model.samples()).put("model_bytes", bytes)
                    .put("data", data.description())
                    .put("rating_scale", implicit ? null : data.scale().toString())
                    .put("value_range", data.scale().toString())
                    .put("implicit", implicitJson(settings))
                    .put("model", out.toString()));
        } else if (implicit) {
            cli.out().printf(Locale.ROOT, "trained %s (implicit feedback): rank %d, %s, %d interactions"
                            + " (%d users, %d items), %.3f s (%s), weighted loss %.6g%nmodel written to"
                            + " %s%n", solver.name(), config.rank(), runs(iterations), ratings.size(), ratings.numUsers(),
                    ratings.numItems(), seconds, perRun(seconds, iterations), last[0], out);
            cli.out().println("data " + data.description() + ", values " + data.scale() + "; " + settings);
            cli.out().printf(Locale.ROOT, "lambda %s (%s); model %.2f MB: rank %d; scores are preferences, never"
                    + " clipped%n", info.lambda(), info.regularizer(), bytes / 1e6, model.rank());
        } else {
            cli.out().printf(Locale.ROOT, "trained %s: rank %d, %s, %d ratings (%d users, %d items),"
                            + " %.3f s (%s), train rmse %.5f%nmodel written to %s%n",
                    solver.name(), config.rank(), runs(iterations), ratings.size(), ratings.numUsers(),
                    ratings.numItems(), seconds, perRun(seconds, iterations), Math.sqrt(last[0] / ratings.size()), out);
            cli.out().println("data " + data.description() + ", rating scale " + data.scale());
            cli.out().printf(Locale.ROOT, "lambda %s (%s%s)%s; model %.2f MB: rank %d, %d sample(s) stored%n",
                    info.lambda(), info.regularizer(), searched[0] == null ? "" : searched[0]
                            ? ", chosen on " + heldOut[0] + " held-out ratings"
                            : info.lambda() > 0 ? ", not searched: no rating could be held out" : ", not searched",
                    config.samples() > 0 ? String.format(Locale.ROOT, ", %d samples, noise %.4g%s", config.samples(),
                            info.noise(), config.noiseAuto() ? " (estimated)" : "") : "",
                    bytes / 1e6, model.rank(), model.samples());
        }
        return 0;
    }

    /** "10 iterations", or "10 iterations + 100 sampling sweeps" (ALS iterations run and sweeps drawn). */
    static String runs(int[] iterations) {
        return iterations[0] + " iteration" + (iterations[0] == 1 ? "" : "s")
                + (iterations[1] == 0 ? "" : " + " + iterations[1] + " sampling sweep" + (iterations[1] == 1 ? "" : "s"));
    }

    /** The fit's time per iteration, or per iteration or sweep when sweeps were drawn. */
    static String perRun(double seconds, int[] iterations) {
        return String.format(Locale.ROOT, "%.4f s/iteration%s", seconds / (iterations[0] + iterations[1]),
                iterations[1] == 0 ? "" : " or sweep");
    }
}
