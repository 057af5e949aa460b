package io.als.spark;

import io.als.api.Ratings;
import io.als.spi.SparseView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;

/**
 * The test session: {@code local[2]} on 127.0.0.1 with the web UI off, made once per JVM
 * (a session costs seconds to start) and made again when a test stopped it.
 */
final class LocalSpark {
    /** MovieLens 100K under {@code shared/} beside the checkout (never copied into the repository). */
    private static final String ML_100K = "shared/data/movielens/ml-100k/u.data";

    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master("local[2]").appName("als-spark tests")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        }
        return session;
    }

    /** Stops the session, for a test that needs a context of its own. */
    static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    /**
     * The path of ML-100K, found in {@code shared/} beside the checkout (searched upwards from
     * the working directory, so ../shared for the repository); fails the test, saying how to
     * get it, when it is missing.
     */
    static Path ml100k() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(ML_100K);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return Assertions.fail("MovieLens 100K is missing: no " + ML_100K + " above " + here + "; put it at ../"
                + ML_100K + " beside the checkout (./als fetch ml-100k --dir ../shared/data/movielens)");
    }

    /** Ratings with numeric ids as a Dataset with columns user, item, value, in {@code partitions} partitions. */
    static Dataset<Row> frame(SparkSession spark, Ratings ratings, int partitions) {
        List<Row> rows = new ArrayList<>(ratings.size());
        SparseView byUser = ratings.byUser();
        for (int u = 0; u < byUser.rows(); u++) {
            for (int e = byUser.start(u); e < byUser.end(u); e++) {
                rows.add(RowFactory.create(ratings.userIds().numericIdAt(u),
                        ratings.itemIds().numericIdAt(byUser.index(e)), byUser.value(e)));
            }
        }
        StructType schema = new StructType().add("user", DataTypes.LongType, false)
                .add("item", DataTypes.LongType, false).add("value", DataTypes.DoubleType, false);
        // Checkpointed in the executors at once: otherwise every task of every job reading the
        // frame would carry the driver-built rows (Spark warns of tasks of 1-2 MB).
        return spark.createDataFrame(rows, schema).repartition(partitions).localCheckpoint(true);
    }
}
