package io.als.spark;

import io.als.api.AlsConfig;
import io.als.api.AlsException;
import io.als.api.ConfigurationException;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.RatingsFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The application that {@code spark-submit} runs (the main class of {@code als-spark-app.jar}):
 * fits a ratings file on the cluster and writes the library's model file on the driver, and
 * optionally the factors as Parquet.
 *
 * <pre>
 * spark-submit --master spark://HOST:7077 --class io.als.spark.SparkTrain als-spark-app.jar \
 *     --data hdfs:///ratings.csv --out model.als --rank 10 --iterations 10 --blocks 8 \
 *     --checkpoint-dir hdfs:///tmp/als-checkpoints [--user-factors hdfs:///out/users.parquet]
 * </pre>
 *
 * Flags: {@code --data PATH} (text in a format detected from the first line, or Parquet when
 * it ends in {@code .parquet}), {@code --out FILE}, {@code --format F} (as {@code ./als}),
 * {@code --columns USER,ITEM,VALUE} (Parquet column names), {@code --solver NAME},
 * {@code --blocks N}, {@code --user-blocks N}, {@code --item-blocks N},
 * {@code --checkpoint-dir D}, {@code --checkpoint-interval N}, {@code --ship double|float},
 * {@code --master URL} (when not
 * started by spark-submit; default {@code local[*]}), {@code --user-factors DIR},
 * {@code --item-factors DIR}, and every setting of the fit by its name ({@code --rank},
 * {@code --iterations}, {@code --lambda}, {@code --regularizer}, {@code --biased},
 * {@code --seed}, {@code --init}, {@code --tolerance}; for implicit feedback {@code --implicit true},
 * {@code --alpha}, {@code --confidence}, {@code --epsilon}, {@code --alpha0}, {@code --solve},
 * {@code --cg-steps}, {@code --nu}). The defaults are the library's, except that sampling is off
 * and lambda is the chosen regularizer's default rather than searched for (both run on one
 * machine only).
 */
public final class SparkTrain {
    private SparkTrain() {
    }

    /** The flags that are not settings of the fit. */
    private static final java.util.Set<String> OWN = java.util.Set.of("data", "out", "format", "columns", "solver",
            "blocks", "user-blocks", "item-blocks", "checkpoint-dir", "checkpoint-interval", "master", "user-factors",
            "item-factors", "ship");

    public static void main(String[] argv) {
        try {
            run(argv, System.out);
        } catch (AlsException e) {
            System.err.println("als-spark: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Parses the flags, fits, writes; returns the fit's model. */
    static Model run(String[] argv, PrintStream out) {
        Map<String, String> flags = parse(argv);
        String data = require(flags, "data");
        String modelOut = require(flags, "out");
        AlsConfig config = config(flags);
        SparkAls.Builder b = SparkAls.builder(config);
        if (flags.containsKey("solver")) {
            b.solver(flags.get("solver"));
        }
        if (flags.containsKey("blocks")) {
            b.blocks(integer(flags, "blocks"));
        }
        if (flags.containsKey("user-blocks")) {
            b.userBlocks(integer(flags, "user-blocks"));
        }
        if (flags.containsKey("item-blocks")) {
            b.itemBlocks(integer(flags, "item-blocks"));
        }
        if (flags.containsKey("checkpoint-interval")) {
            b.checkpointInterval(integer(flags, "checkpoint-interval"));
        }
        b.checkpointDir(flags.get("checkpoint-dir"));
        if (flags.containsKey("ship")) {
            String ship = flags.get("ship").trim().toLowerCase(Locale.ROOT);
            if (!ship.equals("double") && !ship.equals("float")) {
                throw new ConfigurationException("ship must be double or float but was '" + flags.get("ship") + "'");
            }
            b.shipFloats(ship.equals("float"));
        }
        if (flags.containsKey("columns")) {
            String[] c = flags.get("columns").split(",", -1);
            if (c.length != 3) {
                throw new ConfigurationException("columns must be USER,ITEM,VALUE but was " + flags.get("columns"));
            }
            b.columns(c[0].trim(), c[1].trim(), c[2].trim());
        }
        RatingsFormat format = flags.containsKey("format") ? RatingsFormat.parse(flags.get("format")) : null;
        SparkSession spark = SparkSessions.getOrCreate("als-spark train", flags.get("master"));
        try (SparkFit fit = b.build().fit(spark, data, format)) {
            Model model = fit.model();
            try {
                ModelFile.write(model, Path.of(modelOut));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not write the model to " + modelOut, e);
            }
            if (flags.containsKey("user-factors")) {
                fit.userFactors().write().mode(SaveMode.Overwrite).parquet(flags.get("user-factors"));
            }
            if (flags.containsKey("item-factors")) {
                fit.itemFactors().write().mode(SaveMode.Overwrite).parquet(flags.get("item-factors"));
            }
            out.printf(Locale.ROOT, "trained on Spark: rank %d, %d iterations, %d %s (%d users, %d items), %s%nmodel"
                            + " written to %s%n", config.rank(), fit.iterations(), fit.ratings(),
                    config.isImplicit() ? "interactions" : "ratings", model.userIds().size(), model.itemIds().size(),
                    config.isImplicit() ? String.format(Locale.ROOT, "implicit feedback, weighted loss %.6g", fit.sse())
                            : String.format(Locale.ROOT, "train rmse %.5f", fit.trainingRmse()), modelOut);
            return model;
        }
    }

    /** The fit's settings from the flags that name one (see the class comment for the defaults). */
    static AlsConfig config(Map<String, String> flags) {
        AlsConfig.Builder b = AlsConfig.builder();
        String regularizer = AlsConfig.Defaults.REGULARIZER;
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (!OWN.contains(e.getKey())) {
                b.set(e.getKey(), e.getValue());
                if (e.getKey().equals("regularizer")) {
                    regularizer = e.getValue();
                }
            }
        }
        // An implicit fit takes the implicit defaults (rank, lambda) and has no sampling or search anyway.
        boolean implicit = flags.containsKey("implicit")
                && AlsConfig.builder().set("implicit", flags.get("implicit")).build().isImplicit();
        if (!flags.containsKey("samples") && !implicit) {
            b.samples(0);
        }
        if (!flags.containsKey("lambda") && !flags.containsKey("validation") && !implicit) {
            b.lambda(AlsConfig.Defaults.lambdaFor(regularizer));
        }
        return b.build();
    }

    private static Map<String, String> parse(String[] argv) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int a = 0; a < argv.length; a++) {
            String arg = argv[a];
            if (!arg.startsWith("--")) {
                throw new ConfigurationException("expected a --flag but found '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (a + 1 < argv.length) {
                value = argv[++a];
            } else {
                throw new ConfigurationException("--" + name + " needs a value");
            }
            if (flags.put(name, value) != null) {
                throw new ConfigurationException("--" + name + " is given twice");
            }
        }
        return flags;
    }

    private static String require(Map<String, String> flags, String name) {
        String v = flags.get(name);
        if (v == null || v.isBlank()) {
            throw new ConfigurationException("--" + name + " is required");
        }
        return v;
    }

    private static int integer(Map<String, String> flags, String name) {
        try {
            return Integer.parseInt(flags.get(name).trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be an integer but was '" + flags.get(name) + "'");
        }
    }
}
