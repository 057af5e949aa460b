package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.AlternatingLeastSquares;
import io.als.api.FitListener;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.api.RatingsReader;
import io.als.api.SolverRegistry;
import io.als.eval.reference.ReferenceExample;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark fit against the single-machine fit ({@link AlternatingLeastSquares}) in
 * {@code local[2]}, same settings, seed and initialisation. The issue asks for agreement to
 * 1e-9 relative; since every row is solved from the same entries in the same order by the
 * same backend, the tests ask for bit-identical factors, which implies it.
 */
class SparkAgreementTest {

    private static Model local(Ratings ratings, AlsConfig config, String solver) {
        return new AlternatingLeastSquares(config, SolverRegistry.discover().get(solver)).fit(ratings, FitListener.NONE);
    }

    private static Model spark(Ratings ratings, AlsConfig config, String solver, int blocks, int partitions) {
        SparkSession spark = LocalSpark.session();
        try (SparkFit fit = SparkAls.builder(config).solver(solver).blocks(blocks).build()
                .fit(LocalSpark.frame(spark, ratings, partitions))) {
            return fit.model();
        }
    }

    @Test
    void referenceExampleMatchesTheSingleMachineFitAndThePublishedFigures() {
        Ratings ratings = ReferenceExample.ratings();
        AlsConfig config = ReferenceExample.config(1);
        Model expected = local(ratings, config, "java");
        Model actual = spark(ratings, config, "java", 2, 2);
        Models.assertAgree(expected, actual, 1e-9);
        Models.assertBitIdentical(expected, actual);
        double[] u = actual.userFactors().data();
        double[] p = actual.itemFactors().data();
        for (int r = 0; r < u.length; r++) {
            assertEquals(ReferenceExample.CONVERGED_U[r], u[r], 1e-8, "u" + r);
        }
        for (int r = 0; r < p.length; r++) {
            assertEquals(ReferenceExample.CONVERGED_P[r], p[r], 1e-8, "p" + r);
        }
        assertEquals(ReferenceExample.PREDICTION, actual.predictIndex(0, 1), ReferenceExample.PREDICTION_TOLERANCE);
    }

    @Test
    void plainFitOfMovieLens100kMatchesTheSingleMachineFit() {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.plain().rank(10).iterations(10).seed(7).build();
        Model expected = local(ratings, config, "java");
        Model actual;
        try (SparkFit fit = SparkAls.builder(config).solver("java").blocks(4).build()
                .fit(LocalSpark.session(), LocalSpark.ml100k().toString(), null)) {
            actual = fit.model();
            assertEquals(ratings.size(), fit.ratings());
        }
        Models.assertAgree(expected, actual, 1e-9);
        Models.assertBitIdentical(expected, actual);
    }

    @Test
    void biasedFitOfMovieLens100kMatchesTheSingleMachineFit() {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.builder().rank(8).iterations(6).biased(true).samples(0).regularizer("l2")
                .lambda(4.0).seed(3).build();
        Model expected = local(ratings, config, "java");
        Model actual = spark(ratings, config, "java", 3, 5);
        Models.assertAgree(expected, actual, 1e-9);
        Models.assertBitIdentical(expected, actual);
    }

    @Test
    void theObjectiveOfEveryIterationIsTheLocalOneWhenAskedForAndOtherwiseOnlyTheLast() {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.plain().rank(5).iterations(4).seed(11).build();
        java.util.List<Double> expected = new java.util.ArrayList<>();
        Model local = new AlternatingLeastSquares(config, SolverRegistry.discover().get("java")).fit(ratings, e -> {
            if (e.side() == FitListener.Side.USERS) {
                expected.add(e.objective());
            }
        });
        for (boolean every : new boolean[] {true, false}) {
            java.util.List<Double> seen = new java.util.ArrayList<>();
            Model actual;
            try (SparkFit fit = SparkAls.builder(config).blocks(3).lossEveryIteration(every)
                    .listener(e -> seen.add(e.objective())).build()
                    .fit(LocalSpark.frame(LocalSpark.session(), ratings, 2))) {
                actual = fit.model();
                assertEquals(expected.get(3), fit.objective(), expected.get(3) * 1e-9, "final objective");
            }
            // Measuring or not changes nothing in the factors (one job per iteration or two).
            Models.assertBitIdentical(local, actual);
            assertEquals(4, seen.size());
            for (int it = 0; it < 4; it++) {
                if (every || it == 3) {
                    assertEquals(expected.get(it), seen.get(it), expected.get(it) * 1e-9, "objective " + (it + 1));
                } else {
                    assertTrue(Double.isNaN(seen.get(it)), "not measured: iteration " + (it + 1));
                }
            }
        }
    }

    /** Shuffle bytes written by the tasks of this session while {@code work} runs. */
    private static long shuffleBytes(SparkSession spark, Runnable work) throws java.util.concurrent.TimeoutException {
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    bytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
                }
            }
        };
        spark.sparkContext().addSparkListener(counter);
        try {
            work.run();
            // Task-end events reach listeners asynchronously: wait for the bus to drain.
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
        return bytes.get();
    }

    @Test
    void withoutAListenerIterationsAreChainedIntoFewerJobsWithTheSameResult() throws Exception {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.plain().rank(4).iterations(6).seed(13).build();
        SparkSession spark = LocalSpark.session();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame = LocalSpark.frame(spark, ratings, 2);
        Model[] models = new Model[2];
        int[] jobs = new int[2];
        for (int run = 0; run < 2; run++) {
            java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
            org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    started.incrementAndGet();
                }
            };
            spark.sparkContext().addSparkListener(counter);
            SparkAls.Builder b = SparkAls.builder(config).blocks(3);
            if (run == 1) {
                b.listener(e -> { });   // a listener is told of every iteration: one job each
            }
            try (SparkFit fit = b.build().fit(frame)) {
                models[run] = fit.model();
            } finally {
                spark.sparkContext().listenerBus().waitUntilEmpty();
                spark.sparkContext().removeSparkListener(counter);
            }
            jobs[run] = started.get();
        }
        Models.assertBitIdentical(models[0], models[1]);
        Models.assertBitIdentical(local(ratings, config, "java"), models[0]);
        // Five iterations chained away (no job each), against one job each with the listener.
        assertTrue(jobs[0] + 5 <= jobs[1], "jobs without a listener " + jobs[0] + ", with one " + jobs[1]);
    }

    @Test
    void shippingFloatsHalvesTheShuffleAndStaysCloseToTheLocalFitAndIndependentOfTheBlocks() throws Exception {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.plain().rank(16).iterations(5).seed(8).build();
        Model expected = local(ratings, config, "java");
        SparkSession spark = LocalSpark.session();
        Model[] floats = new Model[2];
        Model[] doubles = new Model[1];
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame = LocalSpark.frame(spark, ratings, 2);
        long doubleBytes = shuffleBytes(spark, () -> {
            try (SparkFit fit = SparkAls.builder(config).blocks(4).build().fit(frame)) {
                doubles[0] = fit.model();
            }
        });
        long floatBytes = shuffleBytes(spark, () -> {
            try (SparkFit fit = SparkAls.builder(config).blocks(4).shipFloats(true).build().fit(frame)) {
                floats[0] = fit.model();
            }
        });
        try (SparkFit fit = SparkAls.builder(config).blocks(7).shipFloats(true).build()
                .fit(LocalSpark.frame(spark, ratings, 3))) {
            floats[1] = fit.model();
        }
        Models.assertBitIdentical(expected, doubles[0]);
        // The layout's shuffles (ratings, row lists) are the same in both fits; the half-steps' halve.
        assertTrue(floatBytes < 0.75 * doubleBytes, "shuffle bytes with floats " + floatBytes + ", with doubles "
                + doubleBytes);
        // Rounded rows: no longer the local bits, but close, and the same for any number of blocks.
        assertTrue(Models.maxRelative(expected.userFactors().data(), floats[0].userFactors().data()) > 0,
                "floats changed nothing");
        Models.assertAgreeByRow(expected, floats[0], 1e-4);
        Models.assertBitIdentical(floats[0], floats[1]);
    }

    /**
     * Every backend of the application jar: the jar shades the module's runtime class path, which
     * is this test's, so a backend dropped from the module fails here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "vector"})
    void otherBackendsAreResolvedByNameInTheExecutorsAndAgreeWithTheirLocalFits(String solver) {
        Ratings ratings = RatingsReader.detecting().read(LocalSpark.ml100k());
        AlsConfig config = AlsConfig.plain().rank(6).iterations(3).build();
        Model expected = local(ratings, config, solver);
        Model actual = spark(ratings, config, solver, 2, 3);
        Models.assertBitIdentical(expected, actual);
        assertEquals(solver, actual.trainingInfo().orElseThrow().solver());
    }
}
