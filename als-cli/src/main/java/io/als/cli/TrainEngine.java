package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.Model;
import io.als.api.RatingScale;
import io.als.api.RatingsFormat;

/**
 * Another place to run {@code als train} than this JVM: {@code --engine NAME} picks the engine
 * of that name among those {@link java.util.ServiceLoader} finds on the class path (listed in
 * {@code META-INF/services/io.als.cli.TrainEngine}). The Spark engine of the {@code als-spark}
 * module is one; {@code ./als} puts it on the class path for {@code --engine spark}. The CLI
 * itself depends on no engine.
 */
public interface TrainEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /**
     * Loggers of the engine's libraries that log at INFO on every run; the CLI sets them to WARN.
     */
    default java.util.List<String> noisyLoggers() {
        return java.util.List.of();
    }

    /**
     * Refuses, before anything starts, settings this engine cannot fit (with a message that
     * names them). The default refuses none.
     */
    default void check(AlsConfig config) {
    }

    /**
     * Fits the ratings at {@code request.data()} and returns the model.
     *
     * @param progress told after each iteration
     */
    Result fit(Request request, Progress progress);

    /**
     * What to fit, and where.
     *
     * @param data          the ratings: a path the engine can read
     * @param format        the text format, or null to detect it
     * @param config        the fit's settings
     * @param solver        the backend's name
     * @param master        where to run (the engine's notion, e.g. a Spark master URL), or null for its default
     * @param blocks        how many blocks to cut each side into, or 0 for the engine's default
     * @param checkpointDir where to checkpoint, or null for the engine's default
     * @param shipFloats    whether factor rows travel between machines rounded to floats
     */
    record Request(String data, RatingsFormat format, AlsConfig config, String solver, String master, int blocks,
                   String checkpointDir, boolean shipFloats) {
    }

    /**
     * A finished fit.
     *
     * @param model      the model, with its training information
     * @param ratings    the number of training ratings
     * @param iterations the iterations run
     * @param sse        squared error of the training ratings after the last iteration
     * @param objective  the objective after the last iteration
     * @param scale      the smallest and largest rating
     * @param blocks     the blocks each side was cut into (the engine's default resolved), or 0 if none
     */
    record Result(Model model, long ratings, int iterations, double sse, double objective, RatingScale scale,
                  int blocks) {
    }

    /** Told after each iteration: its wall time, and the training RMSE and objective after it. */
    @FunctionalInterface
    interface Progress {
        void onIteration(int iteration, int of, double seconds, double rmse, double objective);
    }
}
