package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.api.RatingsReader;
import io.als.api.SolverRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fit on a real multi-process cluster: a standalone master and worker started as separate
 * JVMs on 127.0.0.1, two executors of one core each, the driver in this JVM. The model must be
 * the single-machine one, bit for bit, with and without an executor killed in the middle.
 */
class StandaloneClusterTest {
    private static final AlsConfig CONFIG = AlsConfig.plain().rank(8).iterations(6).seed(5).build();

    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static Ratings ratings;
    private static Model expected;

    @BeforeAll
    static void startCluster() throws Exception {
        ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        expected = new AlternatingLeastSquares(CONFIG, SolverRegistry.discover().get("java"))
                .fit(ratings, FitListener.NONE);
        // One SparkContext per JVM: the local one other tests share goes first.
        LocalSpark.stop();
        cluster = StandaloneCluster.start(2, "2g");
        spark = cluster.session(2);
    }

    @AfterAll
    static void stopCluster() {
        if (spark != null) {
            spark.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFitSubmittedToTheClusterIsTheSingleMachineFit(@TempDir Path dir) {
        assertEquals(2, cluster.executors().size(), "executor JVMs of the worker");
        try (SparkFit fit = SparkAls.builder(CONFIG).blocks(4).checkpointDir(dir.toString()).checkpointInterval(2)
                .build().fit(LocalSpark.frame(spark, ratings, 4))) {
            Models.assertBitIdentical(expected, fit.model());
        }
    }

    @Test
    void killingAnExecutorMidFitChangesNothing(@TempDir Path dir) {
        AtomicLong killed = new AtomicLong(-1);
        SparkAls.IterationListener killer = e -> {
            if (e.iteration() == 2) {
                // Kill one executor JVM while iteration 3 runs: its cached blocks and factors and its
                // shuffle files are lost, and Spark has to recompute them from the lineage.
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    List<ProcessHandle> executors = cluster.executors();
                    if (!executors.isEmpty()) {
                        ProcessHandle victim = executors.get(0);
                        if (victim.destroyForcibly()) {
                            killed.set(victim.pid());
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        };
        try (SparkFit fit = SparkAls.builder(CONFIG).blocks(4).checkpointDir(dir.toString()).checkpointInterval(2)
                .listener(killer).build().fit(LocalSpark.frame(spark, ratings, 4))) {
            Model model = fit.model();
            assertTrue(killed.get() > 0, "no executor was killed; worker log:\n" + cluster.workerLog());
            assertFalse(cluster.executors().stream().anyMatch(p -> p.pid() == killed.get()), "the killed executor lives");
            Models.assertBitIdentical(expected, model);
        }
    }
}
