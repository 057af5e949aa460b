package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.ConfigurationException;
import io.als.api.Model;
import io.als.api.ModelFile;
import io.als.api.Ratings;
import io.als.api.RatingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same data, settings and seed: the same model, however it is cut and checkpointed; and what a fit refuses. */
class SparkDeterminismTest {

    private static final AlsConfig CONFIG = AlsConfig.plain().rank(5).iterations(4).seed(11).build();

    private static Ratings ratings() {
        return RatingsReader.detecting().read(LocalSpark.ml100k());
    }

    private static Model fit(Dataset<Row> data, AlsConfig config, int userBlocks, int itemBlocks) {
        try (SparkFit fit = SparkAls.builder(config).userBlocks(userBlocks).itemBlocks(itemBlocks).build().fit(data)) {
            return fit.model();
        }
    }

    @Test
    void blocksAndInputPartitionsDoNotChangeOneBit() {
        SparkSession spark = LocalSpark.session();
        Ratings ratings = ratings();
        Model reference = fit(LocalSpark.frame(spark, ratings, 1), CONFIG, 1, 1);
        Models.assertBitIdentical(reference, fit(LocalSpark.frame(spark, ratings, 7), CONFIG, 4, 4));
        Models.assertBitIdentical(reference, fit(LocalSpark.frame(spark, ratings, 3), CONFIG, 5, 2));
    }

    @Test
    void checkpointsAreWrittenAndChangeNothing(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.session();
        Ratings ratings = ratings();
        AlsConfig config = CONFIG.toBuilder().iterations(6).build();
        Model unbroken;
        try (SparkFit fit = SparkAls.builder(config).blocks(3).checkpointInterval(0).build()
                .fit(LocalSpark.frame(spark, ratings, 2))) {
            unbroken = fit.model();
        }
        Path checkpoints = dir.resolve("checkpoints");
        Model checkpointed;
        try (SparkFit fit = SparkAls.builder(config).blocks(3).checkpointInterval(2)
                .checkpointDir(checkpoints.toString()).build().fit(LocalSpark.frame(spark, ratings, 2))) {
            checkpointed = fit.model();
            // The blocks once, then the factors after iterations 2, 4 and 6, each pair deleting the one
            // before: the blocks and the last pair of factors are left.
            assertEquals(4, checkpointFolders(checkpoints), "checkpointed RDDs left during the fit");
        }
        assertEquals(0, checkpointFolders(checkpoints), "checkpointed RDDs left after close()");
        // The context's folder for this fit (a UUID under the directory given) goes with them.
        try (Stream<Path> left = Files.list(checkpoints)) {
            assertEquals(List.of(), left.toList(), "folders left in the checkpoint directory");
        }
        Models.assertBitIdentical(unbroken, checkpointed);
    }

    /** Spark writes each checkpointed RDD into a folder rdd-N (under a folder per context). */
    private static long checkpointFolders(Path root) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("rdd-")).count();
        }
    }

    @Test
    void modelFileAndFactorFramesHoldTheFit(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.session();
        Ratings ratings = ratings();
        AlsConfig config = AlsConfig.builder().rank(4).iterations(2).biased(true).samples(0).lambda(4.0).build();
        try (SparkFit fit = SparkAls.builder(config).blocks(2).build().fit(LocalSpark.frame(spark, ratings, 2))) {
            Model model = fit.model();
            Path file = dir.resolve("model.als");
            ModelFile.write(model, file);
            Model read = ModelFile.read(file);
            Models.assertBitIdentical(model, read);
            assertEquals(model.predict(1L, 1L), read.predict(1L, 1L));
            Dataset<Row> users = fit.userFactors();
            assertEquals(List.of(SparkFit.ID, SparkFit.FEATURES, SparkFit.BIAS), List.of(users.columns()));
            assertEquals(ratings.numUsers(), users.count());
            Row first = users.where("id = 1").first();
            List<Double> features = first.getList(1);
            int u = model.userIds().indexOf(1L);
            for (int c = 0; c < 4; c++) {
                assertEquals(model.userFactors().get(u, c), features.get(c));
            }
            assertEquals(model.userBias(u), first.getDouble(2));
            assertEquals(ratings.numItems(), fit.itemFactors().count());
        }
    }

    @Test
    void textIdsGetTheLibrarysSortedIndices() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("value", DataTypes.DoubleType);
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create("bob", "x", 4.0),
                RowFactory.create("alice", "x", 3.0), RowFactory.create("alice", "y", 5.0),
                RowFactory.create("bob", "10", 1.0)), schema);
        Ratings local = Ratings.builder().add("bob", "x", 4.0).add("alice", "x", 3.0).add("alice", "y", 5.0)
                .add("bob", "10", 1.0).build();
        AlsConfig config = AlsConfig.plain().rank(2).iterations(3).build();
        Model expected = new io.als.api.AlternatingLeastSquares(config, io.als.api.SolverRegistry.discover().get("java"))
                .fit(local, io.als.api.FitListener.NONE);
        Models.assertBitIdentical(expected, fit(data, config, 2, 2));
    }

    @Test
    void aRepeatedRatingIsRefusedNamingIt() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add("user", DataTypes.LongType).add("item", DataTypes.LongType)
                .add("value", DataTypes.DoubleType);
        Dataset<Row> data = spark.createDataFrame(List.of(RowFactory.create(1L, 2L, 4.0),
                RowFactory.create(1L, 2L, 3.0), RowFactory.create(2L, 2L, 5.0)), schema);
        DuplicateRatingException e = assertThrows(DuplicateRatingException.class,
                () -> fit(data, AlsConfig.plain().rank(1).iterations(1).build(), 1, 1));
        assertTrue(e.getMessage().contains("user 1 rated item 2 more than once"), e.getMessage());
    }

    @Test
    void localOnlySettingsAreRefusedBeforeAnyWork() {
        ConfigurationException sampling = assertThrows(ConfigurationException.class,
                () -> SparkAls.builder(AlsConfig.builder().lambda(1).samples(10).build()).build());
        assertTrue(sampling.getMessage().contains("samples must be 0"), sampling.getMessage());
        ConfigurationException search = assertThrows(ConfigurationException.class,
                () -> SparkAls.builder(AlsConfig.builder().samples(0).build()).build());
        assertTrue(search.getMessage().contains("lambda"), search.getMessage());
        // Implicit feedback is no longer local-only (SparkImplicitTest).
        SparkAls.builder(AlsConfig.builder().implicit(true).build()).build();
    }
}
