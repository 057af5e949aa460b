package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.MemoryEstimate;
import io.als.api.DuplicatePolicy;
import io.als.api.Ratings;
import io.als.spi.Solver;
import io.als.api.RatingScale;
import io.als.api.RatingsFormat;
import io.als.api.RatingsReader;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.als.api.AlsException;
import io.als.api.AlsModule;
import io.als.api.SolverSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The flags shared by every command that fits a model, and how they become an
 * {@link AlsConfig} and a {@link Solver}. Precedence for every setting: the flag, then the
 * {@code --config} file, then the defaults in {@link AlsConfig.Defaults}; for the solver the
 * {@code als.solver} system property and the {@code ALS_SOLVER} variable come between the
 * flag and the file (see {@link SolverSelection}).
 */
final class TrainingOptions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingOptions.class);

    /** Typical compression of a ratings text file by gzip (ML-100K u.data: 1.98 MB to 0.84 MB; larger files compress better). */
    private static final long GZIP_RATIO = 3;

    private TrainingOptions() {
    }

    static Options addSolver(Options o) {
        return o.value("solver", "NAME", "backend to use (see 'als solvers'); default " + AlsConfig.Defaults.SOLVER
                + " (" + AlsConfig.Defaults.PORTABLE_SOLVER + " where it cannot run, and with --engine spark)")
                .value("config", "FILE", "file of als.KEY = VALUE lines (als.rank, als.lambda, ..., als.solver;"
                        + " at most " + ConfigFile.MAX_BYTES / 1024 + " KiB)");
    }

    static Options addTraining(Options o) {
        addSolver(o);
        return o.value("rank", "K", "latent factors (default " + AlsConfig.Defaults.RANK + ")")
                .value("lambda", "L", "regularisation strength, or auto: chosen on a held-out part of the training"
                        + " ratings (default auto, starting from " + AlsConfig.Defaults.LAMBDA + " for l2 and "
                        + AlsConfig.Defaults.WEIGHTED_LAMBDA + " for weighted; a number turns the search off)")
                .value("validation", "F", "fraction of the training ratings held out to choose lambda (default "
                        + AlsConfig.Defaults.VALIDATION + " when lambda is auto; 0: no search)")
                .value("regularizer", "R", "none, l2, weighted (ALS-WR) or ials (implicit fits only; lambda (n + alpha0 N)^nu);"
                        + " default " + AlsConfig.Defaults.REGULARIZER + ", " + AlsConfig.Defaults.Implicit.REGULARIZER
                        + " for implicit fits")
                .value("iterations", "N", "full iterations (default " + AlsConfig.Defaults.ITERATIONS + ")")
                .value("seed", "S", "seed for the random start, the samples, the lambda search's split and the compression"
                        + " (default " + AlsConfig.Defaults.SEED + ")")
                .value("init", "I", "random or ones (default random)")
                .value("tolerance", "T", "stop when an iteration improves the objective by less than this fraction")
                .value("threads", "N", "worker threads (default: all cores; a fit uses at most "
                        + io.als.api.AlternatingLeastSquares.THREADS_PER_PROCESSOR + " per core and one per "
                        + io.als.spi.rowwise.RowwiseLeastSquaresStep.BLOCK_ROWS + " rows)")
                .value("biased", "B", "true: also learn a global mean and user and item biases (default "
                        + AlsConfig.Defaults.BIASED + " for explicit fits; an implicit fit has none)")
                .value("samples", "S", "after the iterations, average S posterior samples (default "
                        + AlsConfig.Defaults.SAMPLES + "; 0: plain ALS; an implicit fit takes none)")
                .value("noise", "SD", "rating noise the samples assume, or auto: estimated from the training ratings"
                        + " (default " + (AlsConfig.Defaults.NOISE == AlsConfig.AUTO ? "auto" : AlsConfig.Defaults.NOISE)
                        + ")")
                .value("compress", "B", "true: store a sampled model as one factorisation of twice the rank that"
                        + " approximates its samples' average; false: keep every sample (default "
                        + AlsConfig.Defaults.COMPRESS + ")")
                .value("implicit", "B", "true: fit implicit feedback (every cell, observed ones weighted by their"
                        + " confidence; Hu, Koren and Volinsky 2008) instead of explicit ratings (default false)")
                .value("alpha", "A", "implicit: confidence scale, c = 1 + A r, 1 + A log(1 + r/eps) or 1 + A bm25(r);"
                        + " or auto (the default for linear confidence): " + AlsConfig.Defaults.Implicit.ALPHA
                        + " over the mean positive value, so the unit of the values does not matter (default "
                        + AlsConfig.Defaults.Implicit.ALPHA + " for log and bm25)")
                .value("confidence", "C", "implicit: linear, log or bm25 (r weighted by BM25 in its user's row: long"
                        + " rows and popular items count less; default linear)")
                .value("bm25-k1", "K", "implicit: BM25's saturation k1 for --confidence bm25 (default "
                        + io.als.api.ImplicitFeedback.BM25_K1 + ")")
                .value("bm25-b", "B", "implicit: BM25's row-length normalisation b in [0, 1] for --confidence bm25"
                        + " (default " + io.als.api.ImplicitFeedback.BM25_B + ")")
                .value("epsilon", "E", "implicit: the value scale of log confidence (default "
                        + AlsConfig.Defaults.Implicit.EPSILON + ")")
                .value("alpha0", "W", "implicit: weight of every unobserved cell, in (0, 1] (default "
                        + AlsConfig.Defaults.Implicit.UNOBSERVED_WEIGHT + ")")
                .value("solve", "S", "implicit: cholesky (exact), cg (a few conjugate-gradient steps) or cg-float (cg with"
                        + " its passes over the entries in single precision; vector backend only); default "
                        + AlsConfig.Defaults.Implicit.ROW_SOLVE.label())
                .value("cg-steps", "N", "implicit: conjugate-gradient steps per row with --solve cg or cg-float (default "
                        + AlsConfig.Defaults.Implicit.CG_STEPS + ")")
                .value("nu", "V", "implicit: exponent of the ials penalty lambda (n + alpha0 N)^V, in [0, 2] (default "
                        + AlsConfig.Defaults.Implicit.NU + ")");
    }

    /** The data flags of a command whose --data may be omitted (for the built-in synthetic set). */
    static Options addData(Options o) {
        return addData(o, true);
    }

    /**
     * The data flags.
     *
     * @param optional whether --data may be omitted, meaning the built-in synthetic set
     */
    static Options addData(Options o, boolean optional) {
        return o.value("data", "FILE", "ratings: u.data (tab), ratings.dat (::) or CSV with a header; "
                        + (optional ? "omitted or " : "or ")
                        + "synthetic[:ratings=N,users=N,items=N,rank=K,noise=SD,seed=S]: built-in synthetic data")
                .value("format", "F", "tab, dat, csv or delim:SEP[:header][:cols=U,I,R] (default: detected)")
                .value("duplicates", "P", "error, last, mean or sum (implicit counts: one line per event) for a repeated (user, item)"
                        + " (default error)")
                .value("scale", "MIN..MAX", "reject ratings outside this range, e.g. 1..5 (default: any finite)");
    }

    /** The checked --config file (see {@link ConfigFile}), or null without one. */
    static Properties configFile(Args args) {
        return args.has("config") ? ConfigFile.read(args.requirePath("config")) : null;
    }

    static AlsConfig config(Args args, Cli cli) throws IOException {
        return config(args, cli, java.util.Map.of());
    }

    /**
     * The settings from --config, then the flags (a flag wins over the file), then, for each
     * setting that neither gave, {@code defaults}: an engine's own defaults, as setting names and
     * values. A default for {@code validation} counts as given when lambda was given, since a
     * lambda (a number or {@code auto}) decides whether there is a search.
     */
    static AlsConfig config(Args args, Cli cli, java.util.Map<String, String> defaults) throws IOException {
        return config(args, defaults, configFile(args));
    }

    /** {@link #config(Args, Cli, java.util.Map)} with the --config file's settings as read (or null). */
    private static AlsConfig config(Args args, java.util.Map<String, String> defaults, Properties file) {
        AlsConfig.Builder b = AlsConfig.builder();
        java.util.function.Predicate<String> given = key -> args.has(key)
                || file != null && file.containsKey("als." + key);
        if (file != null) {
            AlsConfig.fromProperties(file, b);
        }
        for (String s : FlagChecks.SETTINGS) {
            if (args.has(s)) {
                b.set(s, args.get(s).trim());
            }
        }
        defaults.forEach((key, value) -> {
            if (!given.test(key) && !(key.equals("validation") && given.test("lambda"))) {
                b.set(key, value);
            }
        });
        java.util.function.Function<String, String> named = key -> args.has(key) ? "--" + key
                : "als." + key + " in " + args.get("config");
        AlsConfig config;
        try {
            config = b.build();
        } catch (io.als.api.ConfigurationException e) {
            // An implicit fit with a setting only an explicit fit has: name the flag or key.
            if (implicitData(args)) {
                for (String key : List.of("biased", "samples", "validation", "lambda")) {
                    String v = given.test(key) ? value(args, file, key).trim() : null;
                    boolean explicitOnly = v != null && switch (key) {
                        case "biased" -> AlsConfig.builder().set(key, v).build().biased();
                        case "samples" -> AlsConfig.builder().set(key, v).build().samples() > 0;
                        case "validation" -> AlsConfig.builder().set(key, v).build().validation() > 0;
                        default -> v.equalsIgnoreCase("auto");
                    };
                    if (explicitOnly) {
                        String why = "is a setting of an explicit fit: an implicit fit has no biases, posterior"
                                + " samples or lambda search";
                        if (args.has(key)) {
                            throw new UsageException("--" + key + " " + v + " " + why);
                        }
                        // From a --config file, a profile an implicit fit may share: left out, with a
                        // warning, as the file's other settings this fit would ignore are.
                        LOG.warn("als.{} = {} in {} {}; ignored", key, v, args.get("config"), why);
                        Properties rest = new Properties();
                        rest.putAll(file);
                        rest.remove("als." + key);
                        return config(args, defaults, rest);
                    }
                }
            }
            if (!implicitData(args) && given.test("regularizer")
                    && value(args, file, "regularizer").trim().equalsIgnoreCase("ials")) {
                throw new UsageException(named.apply("regularizer") + " ials is the penalty of an implicit fit; add"
                        + " --implicit true");
            }
            throw e;
        }
        if (config.isImplicit() && given.test("lambda") && value(args, file, "lambda").trim().equalsIgnoreCase("auto")) {
            refuseOrWarn(args, named, "lambda", "auto is a setting of an explicit fit: an implicit fit has no lambda"
                    + " search; give a number");
        }
        if (config.regularizer().name().equals("none") && given.test("lambda")
                && !value(args, file, "lambda").trim().matches("[-+]?0*\\.?0*(e[-+]?\\d+)?")) {
            refuseOrWarn(args, named, "lambda", "does not apply to --regularizer none, which has no penalty");
        }
        for (Applies rule : APPLIES) {
            if (given.test(rule.setting()) && !rule.when().test(config)) {
                refuseOrWarn(args, named, rule.setting(), rule.otherwise(config));
            }
        }
        return config;
    }

    /**
     * A setting the fit would ignore: an error when it is a flag (the command line is the user's
     * own); a warning when it comes from the --config file, which may be a profile shared by
     * fits that a flag on this command line made different (its --samples 0, say).
     */
    private static void refuseOrWarn(Args args, java.util.function.Function<String, String> named, String key,
                                     String why) {
        if (args.has(key)) {
            throw new UsageException(named.apply(key) + " " + why);
        }
        LOG.warn("{} {}; ignored", named.apply(key), why);
    }

    /** The value of setting {@code key} from the flags, else from the --config file. */
    private static String value(Args args, Properties file, String key) {
        return args.has(key) ? args.get(key) : file.getProperty("als." + key);
    }

    /** A setting that means something only when {@code when} holds of the whole configuration. */
    private record Applies(String setting, java.util.function.Predicate<AlsConfig> when,
                           java.util.function.Function<AlsConfig, String> why) {
        Applies(String setting, java.util.function.Predicate<AlsConfig> when, String why) {
            this(setting, when, c -> why);
        }

        String otherwise(AlsConfig config) {
            return why.apply(config);
        }
    }

    /**
     * Settings refused where they would be ignored (a flag or a --config key), checked once every
     * setting is known: first those of an implicit fit, then those of one of its options, then
     * those of posterior sampling.
     */
    private static final List<Applies> APPLIES = rules();

    private static List<Applies> rules() {
        List<Applies> rules = new java.util.ArrayList<>();
        for (String s : FlagChecks.IMPLICIT_ONLY) {
            rules.add(new Applies(s, AlsConfig::isImplicit, "is a setting of an implicit fit; add --implicit true"));
        }
        rules.add(new Applies("epsilon", c -> c.implicit().confidence() == io.als.api.ImplicitFeedback.Confidence.LOG,
                "applies to --confidence log only"));
        for (String s : List.of("bm25-k1", "bm25-b")) {
            rules.add(new Applies(s, c -> c.implicit().confidence() == io.als.api.ImplicitFeedback.Confidence.BM25,
                    "applies to --confidence bm25 only"));
        }
        rules.add(new Applies("cg-steps", c -> c.implicit().rowSolve().isCg(), "applies to --solve cg or cg-float"
                + " only"));
        rules.add(new Applies("nu", c -> c.regularizer().name().equals("ials"), "applies to --regularizer ials only"));
        for (String s : List.of("noise", "compress")) {
            rules.add(new Applies(s, c -> c.samples() > 0, c -> c.isImplicit()
                    ? "is a setting of an explicit fit's posterior samples, and an implicit fit draws none"
                    : "applies to a fit that draws posterior samples (--samples above 0; a local, explicit fit) only"));
        }
        return List.copyOf(rules);
    }

    static SolverSelection selection(Args args, Cli cli, Properties file) {
        return selection(args, cli, file, AlsConfig.Defaults.SOLVER);
    }

    static SolverSelection selection(Args args, Cli cli, Properties file, String fallback) {
        return SolverSelection.resolve(args.get("solver"), cli.system(), cli.env(), file, fallback);
    }

    /**
     * The composition root of a command: the settings from the flags and --config, the solver
     * selected by --solver, als.solver, ALS_SOLVER or the config file, and every backend on the
     * class path.
     */
    static Injector injector(Args args, Cli cli) throws IOException {
        return injector(args, cli, java.util.Map.of());
    }

    /** {@link #injector(Args, Cli)} with an engine's own defaults under the config file and the flags. */
    static Injector injector(Args args, Cli cli, java.util.Map<String, String> defaults) throws IOException {
        return injector(args, cli, defaults, AlsConfig.Defaults.SOLVER);
    }

    /** The same, with {@code solver} as the backend when nothing selects one. */
    static Injector injector(Args args, Cli cli, java.util.Map<String, String> defaults, String solver)
            throws IOException {
        Properties file = configFile(args);
        return AlsModule.injector(new AlsModule(config(args, cli, defaults), selection(args, cli, file, solver)));
    }

    /** An instance from the injector; a library failure inside Guice's provisioning is rethrown as itself. */
    static <T> T provide(Injector injector, Class<T> type) {
        try {
            return injector.getInstance(type);
        } catch (ProvisionException e) {
            if (e.getCause() instanceof AlsException cause) {
                throw cause;
            }
            throw e;
        }
    }

    static Solver solver(Args args, Cli cli) throws IOException {
        return provide(injector(args, cli), Solver.class);
    }

    static Ratings readData(Args args) throws IOException {
        return readData(args, args.requirePath("data"));
    }

    /** Reads a ratings file with the --format, --duplicates and --scale flags, checking the heap first. */
    static Ratings readData(Args args, Path file) throws IOException {
        RatingsFormat format = args.has("format") ? RatingsFormat.parse(args.get("format")) : null;
        DuplicatePolicy dup = args.has("duplicates") ? DuplicatePolicy.parse(args.get("duplicates"))
                : DuplicatePolicy.ERROR;
        if (dup == DuplicatePolicy.SUM && !implicitData(args)) {
            // A sum of ratings is no rating: it would leave the scale the ratings are on.
            throw new UsageException("--duplicates sum adds the values of repeated pairs, which suits implicit counts"
                    + " (--implicit true); for ratings use last or mean");
        }
        RatingScale scale = args.has("scale") ? RatingScale.parse(args.get("scale")) : null;
        if (Files.isRegularFile(file)) {
            long bytes = Files.size(file);
            boolean gzip = file.getFileName().toString().endsWith(".gz");
            MemoryEstimate.require("loading " + file, MemoryEstimate.forLoading(gzip ? GZIP_RATIO * bytes : bytes),
                    MemoryEstimate.available(Runtime.getRuntime()));
        }
        RatingsReader reader = new RatingsReader(format, dup, scale);
        return (implicitData(args) ? reader.forImplicit() : reader).read(file);
    }

    /**
     * Whether the data is implicit feedback, read with {@link RatingsReader#forImplicit()}
     * (a user,item pair without a value counts 1; values must be finite and at least 0): when
     * {@code --implicit} says so, or, without the flag, {@code als.implicit} in the --config file.
     * The value is parsed as {@link AlsConfig.Builder#set} parses it (true, yes, on).
     */
    static boolean implicitData(Args args) {
        String v = args.get("implicit");
        if (v == null) {
            Properties file = configFile(args);
            v = file == null ? null : file.getProperty("als.implicit");
        }
        return v != null && AlsConfig.builder().set("implicit", v.trim()).build().isImplicit();
    }
}
