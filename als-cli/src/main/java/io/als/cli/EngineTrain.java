package io.als.cli;

import ch.qos.logback.classic.Level;
import com.google.inject.Injector;
import io.als.api.AlsConfig;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.RatingsFormat;
import io.als.api.TrainingInfo;
import io.als.spi.Solver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code als train --engine NAME}: the fit runs on a {@link TrainEngine} found on the class
 * path, which reads the data itself; the model file and the output are those of a local fit.
 */
final class EngineTrain {
    private static final Logger LOG = LoggerFactory.getLogger(EngineTrain.class);

    /**
     * The defaults of a distributed fit where they differ from a local one's: no posterior
     * samples and no lambda search (both run on one machine only, docs/spark.md), so lambda is the
     * penalty's default unless given. Applied only where neither --config nor a flag set the
     * setting (or, for the search, gave a lambda); the engine refuses what it cannot do, with a
     * message.
     */
    static final java.util.Map<String, String> ENGINE_DEFAULTS = java.util.Map.of("samples", "0", "validation", "0");

    /** The most blocks a side may be cut into: far more than any cluster has cores. */
    static final int MAX_BLOCKS = 100_000;
    /** A local data file up to this size is read here before the engine starts (see run). */
    static final long PRECHECK_BYTES = 512L << 20;

    /** Flags that only a distributed fit reads. */
    static final List<String> ENGINE_FLAGS = List.of("master", "blocks", "checkpoint-dir", "ship");

    private final String name;

    EngineTrain(String name) {
        this.name = name;
    }

    /** The engine of this name on the class path, or a usage error that says how to get it. */
    static TrainEngine find(String name) {
        List<String> found = new ArrayList<>();
        for (TrainEngine e : ServiceLoader.load(TrainEngine.class, TrainEngine.class.getClassLoader())) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
            found.add(e.name());
        }
        if (!found.contains("spark")) {
            found.add(0, "spark");
        }
        throw new UsageException("--engine must be local or one of " + found
                + " but was '" + name + "'" + (name.equals("spark") ? "; the spark engine is the als-spark module,"
                + " which ./als puts on the class path for --engine spark (built with mvn -pl als-spark -am"
                + " package)" : ""));
    }

    /**
     * Sets these loggers to WARN unless they are quieter already. Only under logback, the
     * command's binding; under another (the engine's own, in its tests) its configuration decides,
     * and logback's classes may not even be there.
     */
    private static void quiet(List<String> loggers) {
        if (!LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback.")) {
            return;
        }
        for (String name : loggers) {
            ch.qos.logback.classic.Logger l = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
            if (l.getLevel() == null || !l.getLevel().isGreaterOrEqual(Level.WARN)) {
                l.setLevel(Level.WARN);
            }
        }
    }

    int run(Args args, Cli cli, Path out) throws Exception {
        String data = args.get("data").trim();
        if (data.startsWith("synthetic")) {
            throw new UsageException("--engine " + name + " reads --data itself and needs a file; the built-in synthetic"
                    + " set is for local fits");
        }
        // What can be checked here is, before the engine starts (Spark takes seconds to start,
        // and its own errors arrive as stack traces).
        if (args.has("master")) {
            checkMaster(args.get("master").trim());
        }
        boolean cluster = args.has("master") && !args.get("master").trim().startsWith("local");
        if (cluster && !args.has("checkpoint-dir")) {
            // The engine would refuse it only after Spark had started and read the data.
            throw new UsageException("--master " + args.get("master").trim() + " is a cluster, whose fit checkpoints"
                    + " its factors to storage every executor can reach: give --checkpoint-dir DIR (a shared file"
                    + " system, HDFS, S3)");
        }
        if (args.has("threads")) {
            throw new UsageException("--threads applies to a local fit; a Spark fit's parallelism is its executors'"
                    + " cores (--master local[N], or the cluster's) and --blocks");
        }
        TrainEngine engine = find(name);
        Path local = localPath(data);
        if (local != null && !java.nio.file.Files.isRegularFile(local)) {
            throw new IllegalArgumentException(data + ": " + (java.nio.file.Files.exists(local)
                    ? "is not a regular file" : "file not found"));
        }
        if (args.has("checkpoint-dir")) {
            Path dir = localPath(args.get("checkpoint-dir").trim());
            if (dir != null) {
                io.als.internal.OutputPaths.checkFolder("--checkpoint-dir", dir);
            }
        }
        for (String flag : List.of("duplicates", "scale")) {
            if (args.has(flag)) {
                throw new UsageException("--" + flag + " is not supported with --engine " + name + " yet");
            }
        }
        // The engine's default backend is the portable one (SparkAls's): a cluster's executors
        // may run on a platform the native kernels are not built for.
        Injector injector = TrainingOptions.injector(args, cli, ENGINE_DEFAULTS,
                io.als.api.AlsConfig.Defaults.PORTABLE_SOLVER);
        AlsConfig config = TrainingOptions.provide(injector, AlsConfig.class);
        Solver solver = TrainingOptions.provide(injector, Solver.class);
        io.als.api.AlternatingLeastSquares.requireSupported(config, solver);
        if (args.has("config") && !args.has("samples") && config.samples() > 0) {
            throw new UsageException("als.samples in " + args.get("config") + " is " + config.samples() + ", but a"
                    + " fit with --engine " + name + " draws no posterior samples; give --samples 0");
        }
        if (args.has("config") && !args.has("lambda") && config.lambdaAuto()) {
            throw new UsageException("als.lambda or als.validation in " + args.get("config") + " asks for a lambda"
                    + " search, which --engine " + name + " does not run; give --lambda VALUE");
        }
        engine.check(config);
        io.als.api.AlternatingLeastSquares.warnIfRankOne(config);
        RatingsFormat format = args.has("format") ? RatingsFormat.parse(args.get("format")) : null;
        int blocks = 0;
        if (args.has("blocks")) {
            try {
                blocks = Integer.parseInt(args.get("blocks").trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--blocks must be an integer but was '" + args.get("blocks") + "'");
            }
            if (blocks < 1 || blocks > MAX_BLOCKS) {
                throw new UsageException("--blocks must be at least 1 and at most " + MAX_BLOCKS + " but was " + blocks);
            }
        }
        boolean shipFloats = false;
        if (args.has("ship")) {
            String ship = args.get("ship").trim().toLowerCase(Locale.ROOT);
            if (!ship.equals("double") && !ship.equals("float")) {
                throw new UsageException("--ship must be double or float but was '" + args.get("ship") + "'");
            }
            shipFloats = ship.equals("float");
        }
        if (cluster) {
            reachable(args.get("master").trim());
        }
        // A local file is read here first, as a local fit reads it: a bad line is named with its
        // number, and an empty file found, before the engine starts (Spark's own reading names the
        // user and item, not the line). Not a file too large for this one JVM to hold.
        if (local != null && java.nio.file.Files.size(local) <= PRECHECK_BYTES) {
            io.als.api.Ratings checked = TrainingOptions.readData(args, local);
            if (blocks > Math.min(checked.numUsers(), checked.numItems())) {
                LOG.warn("--blocks {} is more than the {} users or {} items: the extra blocks are empty and only cost"
                        + " time", blocks, checked.numUsers(), checked.numItems());
            }
        }
        if (!config.isImplicit() && !args.has("samples") && !args.has("lambda") && !args.has("config")) {
            LOG.info("--engine {}: no posterior samples, and lambda {} ({}'s default) instead of a search: both run on"
                    + " one machine only (docs/spark.md)", name, config.lambda(), config.regularizer().name());
        }
        quiet(engine.noisyLoggers());
        TrainEngine.Request request = new TrainEngine.Request(data, format, config, solver.name(),
                args.get("master"), blocks, args.get("checkpoint-dir"), shipFloats);
        long start = System.nanoTime();
        boolean implicit = config.isImplicit();
        double[] iterating = {0};
        TrainEngine.Result result = engine.fit(request, (it, of, seconds, rmse, objective) -> {
            iterating[0] += seconds;
            // The loss comes with the last iteration only (measuring it costs a pass and a job);
            // implicit: the objective is the weighted loss over every cell, no RMSE means anything.
            LOG.info("iteration {}/{}: {} s{}", it, of, String.format(Locale.ROOT, "%.3f", seconds),
                    Double.isNaN(objective) ? "" : (implicit ? "" : ", rmse " + String.format(Locale.ROOT, "%.5f",
                            rmse)) + ", objective " + String.format(Locale.ROOT, "%.6g", objective));
        });
        // The whole engine run (starting Spark, reading, the loss) and, per iteration, the iterations' own time.
        double seconds = (System.nanoTime() - start) / 1e9;
        double perIteration = iterating[0] / Math.max(1, result.iterations());
        Model model = result.model();
        ModelFile.write(model, out);
        long bytes = java.nio.file.Files.size(out);
        TrainingInfo info = model.trainingInfo().orElseThrow();
        double rmse = Math.sqrt(result.sse() / result.ratings());
        LOG.info("wrote model to {}: {} MB ({} bytes; rank {}, {} users, {} items)", out,
                String.format(Locale.ROOT, "%.2f", bytes / 1e6), bytes, model.rank(), info.users(), info.items());
        if (args.flag("json")) {
            cli.out().println(Json.object().put("kind", implicit ? "implicit" : "explicit").put("engine", name)
                    .put("master", args.has("master") ? args.get("master") : TrainCommand.LOCAL_SPARK)
                    .put("blocks", result.blocks() > 0 ? result.blocks() : null).put("ship", shipFloats ? "float" : "double")
                    .put("solver", solver.name()).put("rank", config.rank())
                    .put("regularizer", config.regularizer().name()).put("lambda", info.lambda())
                    .put("lambda_auto", false).put("iterations", result.iterations())
                    .put("n_ratings", result.ratings()).put("n_users", info.users()).put("n_items", info.items())
                    .put("train_seconds", seconds).put("iterations_seconds", iterating[0])
                    .put("seconds_per_iteration", perIteration)
                    .put("final_loss", result.objective()).put("final_sse", result.sse()).put("train_rmse", implicit ? null : rmse)
                    .put("biased", model.biased()).put("samples", 0).put("model_rank", model.rank())
                    .put("model_samples", model.samples()).put("model_bytes", bytes).put("data", data)
                    .put("rating_scale", implicit ? null : result.scale().toString())
                    .put("value_range", result.scale().toString())
                    .put("implicit", TrainCommand.implicitJson(info.implicit())).put("model", out.toString()));
        } else if (implicit) {
            cli.out().printf(Locale.ROOT, "trained %s on %s (implicit feedback): rank %d, %d iterations, %d interactions"
                            + " (%d users, %d items), %.3f s with Spark's start (%.4f s/iteration), weighted loss"
                            + " %.6g%nmodel written to"
                            + " %s%n", solver.name(), name, config.rank(), result.iterations(), result.ratings(),
                    info.users(), info.items(), seconds, perIteration, result.sse(), out);
            cli.out().printf(Locale.ROOT, "%s; lambda %s (%s); model %.2f MB: rank %d; scores are preferences, never"
                    + " clipped%n", info.implicit(), info.lambda(), info.regularizer(), bytes / 1e6, model.rank());
        } else {
            cli.out().printf(Locale.ROOT, "trained %s on %s: rank %d, %d iterations, %d ratings (%d users, %d items),"
                            + " %.3f s with Spark's start (%.4f s/iteration), train rmse %.5f%nmodel written to %s%n",
                    solver.name(), name, config.rank(), result.iterations(), result.ratings(), info.users(),
                    info.items(), seconds, perIteration, rmse, out);
            cli.out().println("data " + data + ", rating scale " + result.scale() + "; " + result.blocks()
                    + " blocks a side");
            cli.out().printf(Locale.ROOT, "lambda %s (%s); model %.2f MB: rank %d%n", info.lambda(), info.regularizer(),
                    bytes / 1e6, model.rank());
        }
        return 0;
    }

    /**
     * Refuses a master URL Spark would refuse only after starting: {@code local},
     * {@code local[N]} or {@code local[*]} (optionally {@code ,F} failures), {@code local-cluster[...]},
     * or a cluster manager's URL ({@code spark://}, {@code k8s://}, {@code mesos://}, {@code yarn}).
     */
    static void checkMaster(String master) {
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[\\s*(\\d+|\\*)\\s*(,\\s*\\d+\\s*)?]")
                .matcher(master);
        // A standalone master, or several for high availability: spark://HOST:PORT[,HOST:PORT...].
        boolean standalone = master.matches("spark://[^:/,\\s]+:\\d{1,5}(,[^:/,\\s]+:\\d{1,5})*");
        boolean ok = master.equals("local") || master.equals("yarn") || standalone
                || master.matches("k8s://\\S+") || (local.matches() && !local.group(1).matches("0+"));
        if (!ok) {
            throw new UsageException("--master must be local, local[N] or local[*] (N at least 1), or a cluster's URL"
                    + " (spark://HOST:PORT, k8s://..., yarn) but was '" + master + "'");
        }
    }

    /** How long a standalone master gets to accept a connection before the fit is refused. */
    private static final int CONNECT_MILLIS = 3000;

    /**
     * Refuses a standalone master that does not accept a connection (Spark would retry for a
     * minute and then report a stopped context, not the cause). Other cluster managers are left
     * to Spark.
     */
    static void reachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String last = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), CONNECT_MILLIS);
                return; // one master answers
            } catch (java.io.IOException e) {
                last = hostPort + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        throw new IllegalArgumentException("--master " + master + ": no Spark master answers (" + last + "); is it"
                + " running, and on that port?");
    }

    /** The local file a path or {@code file:} URI names, or null for another file system (hdfs://, s3a://). */
    static Path localPath(String location) {
        if (location.startsWith("file:")) {
            try {
                return Path.of(java.net.URI.create(location));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") ? null : Path.of(location);
    }
}
