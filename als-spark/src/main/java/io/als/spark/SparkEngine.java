package io.als.spark;

import io.als.api.Model;
import io.als.cli.TrainEngine;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./als train --engine spark}: the fit runs on Spark ({@code local[*]} unless
 * {@code --master} names another), the data is read by Spark, and the model comes back to the
 * command, which writes the same model file as a local fit.
 */
public final class SparkEngine implements TrainEngine {
    /** The name {@code --engine} selects. */
    public static final String NAME = "spark";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> noisyLoggers() {
        return List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "org.apache.parquet",
                "io.netty", "org.apache.orc", "org.apache.ivy", "org.eclipse.jetty");
    }

    @Override
    public void check(io.als.api.AlsConfig config) {
        SparkAls.requireSupported(config);
    }

    @Override
    public Result fit(Request request, Progress progress) {
        SparkAls.requireSupported(request.config());
        long t0 = System.nanoTime();
        org.slf4j.LoggerFactory.getLogger(SparkEngine.class).info("starting Spark (master {})",
                request.master() == null ? SparkSessions.DEFAULT_MASTER : request.master());
        SparkSession spark = SparkSessions.getOrCreate("als train", request.master());
        org.slf4j.LoggerFactory.getLogger(SparkEngine.class).info("Spark started in {} s; reading {}",
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), request.data());
        try {
            SparkAls.Builder b = SparkAls.builder(request.config()).solver(request.solver())
                    .checkpointDir(request.checkpointDir())
                    .shipFloats(request.shipFloats())
                    .listener(e -> progress.onIteration(e.iteration(), e.of(), e.seconds(), e.rmse(), e.objective()));
            if (request.blocks() > 0) {
                b.blocks(request.blocks());
            }
            try (SparkFit fit = b.build().fit(spark, request.data(), request.format())) {
                Model model = fit.model();
                return new Result(model, fit.ratings(), fit.iterations(), fit.sse(), fit.objective(),
                        model.trainingInfo().orElseThrow().scale(), fit.blocks());
            }
        } finally {
            spark.stop();
        }
    }
}
