package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.ImplicitFeedback;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.api.RatingsInputException;
import io.als.api.RatingsReader;
import io.als.api.SolverRegistry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Implicit feedback on Spark against the single-machine implicit fit, in {@code local[2]}:
 * the issue asks for agreement to 1e-9 relative, taken here row by row in norm (an entry-wise
 * ratio is inflated by entries near zero: CG's entries differed by up to 2e-9 of themselves
 * where the rows differed by far less). With one block the Gram matrix of each side is summed
 * exactly as on one machine, so the factors are bit-identical; with more blocks it is summed
 * block by block, which moves only its last bits.
 */
class SparkImplicitTest {

    /** The local fit, and the objective it reported after its last iteration. */
    private record Local(Model model, double objective) {
    }

    private static Local local(Ratings ratings, AlsConfig config) {
        double[] objective = {Double.NaN};
        Model m = new AlternatingLeastSquares(config, SolverRegistry.discover().get("java")).fit(ratings, e -> {
            if (e.side() == FitListener.Side.USERS && e.iteration() == config.iterations()) {
                objective[0] = e.objective();
            }
        });
        return new Local(m, objective[0]);
    }

    private static Ratings ml100k() {
        return RatingsReader.detecting().forImplicit().read(LocalSpark.ml100k());
    }

    @Test
    void exactSolvesOfMovieLens100kAgreeWithTheSingleMachineFitAndItsObjective() {
        Ratings ratings = ml100k();
        AlsConfig config = AlsConfig.builder().implicit(true).rank(8).iterations(5).alpha(1)
                .rowSolve(ImplicitFeedback.RowSolve.CHOLESKY).regularizer("weighted").lambda(0.1).seed(4).build();
        Local expected = local(ratings, config);
        Model actual;
        double objective;
        try (SparkFit fit = SparkAls.builder(config).blocks(3).build()
                .fit(LocalSpark.frame(LocalSpark.session(), ratings, 4))) {
            actual = fit.model();
            objective = fit.objective();
        }
        Models.assertAgreeByRow(expected.model(), actual, 1e-9);
        assertEquals(expected.model().trainingInfo().orElseThrow().implicit(),
                actual.trainingInfo().orElseThrow().implicit(), "implicit settings in the model");
        assertTrue(actual.trainingInfo().orElseThrow().isImplicit());
        // The full weighted objective over all cells, measured on the way: blocks' shares and the trace term.
        assertEquals(expected.objective(), objective, Math.abs(expected.objective()) * 1e-9, "objective");
        // Predictions of the two models, as the bar compares the two model files.
        for (int u = 0; u < ratings.numUsers(); u += 37) {
            for (int i = 0; i < ratings.numItems(); i += 53) {
                assertEquals(expected.model().predictIndex(u, i), actual.predictIndex(u, i), 1e-6);
            }
        }
    }

    @Test
    void conjugateGradientWithLogConfidenceAlpha0AndTheIalsPenaltyAgrees() {
        Ratings ratings = ml100k();
        AlsConfig config = AlsConfig.builder().implicit(true).rank(10).iterations(4).alpha(2)
                .confidence(ImplicitFeedback.Confidence.LOG).epsilon(2).unobservedWeight(0.5)
                .rowSolve(ImplicitFeedback.RowSolve.CG).cgSteps(3).regularizer("ials").lambda(0.02).nu(0.5).seed(9)
                .build();
        Local expected = local(ratings, config);
        Model actual;
        try (SparkFit fit = SparkAls.builder(config).blocks(4).build()
                .fit(LocalSpark.frame(LocalSpark.session(), ratings, 3))) {
            actual = fit.model();
            assertEquals(expected.objective(), fit.objective(), Math.abs(expected.objective()) * 1e-9, "objective");
        }
        Models.assertAgreeByRow(expected.model(), actual, 1e-9);
        assertEquals(config.implicit(), actual.trainingInfo().orElseThrow().implicit());
    }

    /**
     * {@code cg-float} on the executors: with one block each half-step sees the same rows, the
     * same Gram and the same float passes as on one machine, so the model is the local one bit
     * for bit; with four blocks it still agrees to rounding. A backend without single-precision
     * CG is refused on the driver.
     */
    @Test
    void singlePrecisionConjugateGradientRunsInTheExecutorsAsOnOneMachine() {
        Ratings ratings = ml100k();
        AlsConfig config = AlsConfig.builder().implicit(true).rank(16).iterations(3).seed(5)
                .rowSolve(ImplicitFeedback.RowSolve.CG_FLOAT).regularizer("weighted").lambda(0.1).build();
        Model expected = new AlternatingLeastSquares(config, SolverRegistry.discover().get("vector"))
                .fit(ratings, FitListener.NONE);
        SparkSession spark = LocalSpark.session();
        try (SparkFit fit = SparkAls.builder(config).solver("vector").blocks(1).build()
                .fit(LocalSpark.frame(spark, ratings, 2))) {
            Models.assertBitIdentical(expected, fit.model());
            assertEquals(ImplicitFeedback.RowSolve.CG_FLOAT, fit.model().trainingInfo().orElseThrow().implicit()
                    .rowSolve());
        }
        try (SparkFit fit = SparkAls.builder(config).solver("vector").blocks(4).build()
                .fit(LocalSpark.frame(spark, ratings, 3))) {
            Models.assertAgreeByRow(expected, fit.model(), 1e-6);
        }
        io.als.api.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.als.api.ConfigurationException.class,
                () -> SparkAls.builder(config).solver("java").blocks(1).build().fit(LocalSpark.frame(spark, ratings, 2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'java'"), e.getMessage());
    }

    @Test
    void oneBlockIsBitIdenticalToTheSingleMachineFitAndEveryBlockCountRepeatsItself() {
        Ratings ratings = ml100k();
        AlsConfig config = AlsConfig.builder().implicit(true).rank(6).iterations(3).seed(2).build();
        Model expected = local(ratings, config).model();
        SparkSession spark = LocalSpark.session();
        Model one;
        try (SparkFit fit = SparkAls.builder(config).blocks(1).build().fit(LocalSpark.frame(spark, ratings, 2))) {
            one = fit.model();
        }
        Models.assertBitIdentical(expected, one);
        Model[] five = new Model[2];
        for (int run = 0; run < 2; run++) {
            // Different input partitions each time: the result must not depend on them.
            try (SparkFit fit = SparkAls.builder(config).blocks(5).build()
                    .fit(LocalSpark.frame(spark, ratings, 2 + 5 * run))) {
                five[run] = fit.model();
            }
        }
        Models.assertBitIdentical(five[0], five[1]);
        Models.assertAgreeByRow(expected, five[0], 1e-9);
    }

    @Test
    void aFileOfUserItemPairsIsReadWithValueOneAsTheLocalReaderReadsIt(@TempDir Path dir) throws Exception {
        // With a byte-order mark before the header, as some editors write it: both readers skip it.
        // The header's names are no id words; both readers take it for one because numeric ids follow.
        List<String> lines = new ArrayList<>(List.of("\uFEFFcustomer,product"));
        for (String line : Files.readAllLines(LocalSpark.ml100k()).subList(0, 5000)) {
            String[] f = line.split("\t");
            lines.add(f[0] + "," + f[1]);
        }
        Path pairs = dir.resolve("pairs.csv");
        Files.write(pairs, lines);
        Ratings ratings = RatingsReader.detecting().forImplicit().read(pairs);
        assertEquals(5000, ratings.size());
        AlsConfig config = AlsConfig.builder().implicit(true).rank(4).iterations(3).seed(5).build();
        Model expected = local(ratings, config).model();
        try (SparkFit fit = SparkAls.builder(config).blocks(2).build()
                .fit(LocalSpark.session(), pairs.toString(), null)) {
            assertEquals(5000, fit.ratings());
            Models.assertAgreeByRow(expected, fit.model(), 1e-9);
        }
    }

    /**
     * A file that mixes lines with and without a value is refused, as the local reader refuses
     * it, also when Spark reads it itself (the command line checks files up to 512 MB locally
     * first; this is the larger or remote file). Spark's FAILFAST parsing refuses a line whose
     * fields are more or fewer than the first line's, and its message names the file; the
     * reader must never read such a file with the missing values taken as 1, or the extra ones
     * dropped.
     */
    @Test
    void aFileThatMixesPairsAndValuesIsRefused(@TempDir Path dir) throws Exception {
        AlsConfig config = AlsConfig.builder().implicit(true).rank(2).iterations(1).build();
        for (String[] mixed : new String[][] {{"pairs-then-value.csv", "1,10\n1,11\n2,10\n2,12,5\n"},
            {"value-then-pairs.csv", "1,10,2\n1,11,1\n2,10\n2,12,5\n"}}) {
            Path file = Files.writeString(dir.resolve(mixed[0]), mixed[1]);
            assertThrows(RatingsInputException.class, () -> RatingsReader.detecting().forImplicit().read(file));
            RuntimeException e = assertThrows(RuntimeException.class, () -> SparkAls.builder(config).blocks(2)
                    .build().fit(LocalSpark.session(), file.toString(), null).close());
            assertTrue(e.getMessage().contains(mixed[0]), e.getMessage());
        }
        // Pairs alone are read, each with the value 1.
        Path pairs = Files.writeString(dir.resolve("pairs.csv"), "1,10\n1,11\n2,10\n2,12\n");
        try (SparkFit fit = SparkAls.builder(config).blocks(2).build().fit(LocalSpark.session(), pairs.toString(),
                null)) {
            assertEquals(4, fit.ratings());
        }
    }

    @Test
    void aNegativeValueIsRefusedNamingItsUserAndItem() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add("user", DataTypes.LongType, false)
                .add("item", DataTypes.LongType, false).add("value", DataTypes.DoubleType, false);
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(1L, 10L, 3.0), RowFactory.create(1L, 11L, 1.0),
                RowFactory.create(2L, 10L, 2.0), RowFactory.create(2L, 12L, -4.0)), schema);
        AlsConfig config = AlsConfig.builder().implicit(true).rank(2).iterations(1).build();
        RatingsInputException e = assertThrows(RatingsInputException.class,
                () -> SparkAls.builder(config).blocks(2).build().fit(df).close());
        assertTrue(e.getMessage().contains("user 2 has -4.0 for item 12"), e.getMessage());
    }
}
