package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.spi.FactorMatrix;
import java.nio.DoubleBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** A model's named parts, its views and copies, and how a sampled model predicts. */
class ModelTest {
    private static final Ratings RATED = Ratings.fromDense(new double[][] {{1, Double.NaN}, {Double.NaN, 2},
        {3, 4}});

    /** Two samples of rank 2 for 3 users and 2 items, biased with mean 3. */
    private static Model twoSamples() {
        return Model.builder(RATED.userIds(), RATED.itemIds(), 2, 2).biased(3)
                .addSample(FactorMatrix.of(3, 2, 1, 2, 3, 4, 5, 6), FactorMatrix.of(2, 2, 0.5, -1, 2, 0.25),
                        new double[] {0.1, 0.2, 0.3}, new double[] {-0.5, 0.5})
                .addSample(FactorMatrix.of(3, 2, -1, 0, 2, 2, 1, -3), FactorMatrix.of(2, 2, 1, 1, -2, 0.5),
                        new double[] {0.3, 0.0, -0.1}, new double[] {0.5, 1.5})
                .rated(RATED.byUser()).build();
    }

    @Test
    void aSampledModelPredictsTheMeanPlusTheAverageOfItsSamples() {
        Model m = twoSamples();
        assertEquals(2, m.rank());
        assertEquals(2, m.samples());
        assertTrue(m.biased());
        assertTrue(m.trainingInfo().isEmpty());
        // By hand, user 1 and item 0: sample 0 gives 0.2 - 0.5 + (3 * 0.5 + 4 * -1) = -2.8,
        // sample 1 gives 0.0 + 0.5 + (2 * 1 + 2 * 1) = 4.5; the model predicts 3 + (-2.8 + 4.5) / 2 = 3.85.
        assertEquals(3.85, m.predictIndex(1, 0), 1e-12);
        // User 2 and item 1: sample 0: 0.3 + 0.5 + (5 * 2 + 6 * 0.25) = 12.3; sample 1: -0.1 + 1.5 + (1 * -2 + -3 * 0.5) = -2.1.
        assertEquals(3 + (12.3 - 2.1) / 2, m.predictIndex(2, 1), 1e-12);
        assertEquals(0.2, m.userBias(0), 1e-15, "(0.1 + 0.3) / 2");
        assertEquals(1.0, m.itemBias(1), 1e-15, "(0.5 + 1.5) / 2");
        // Recommendations leave out rated items: user 0 rated item 0 only.
        assertEquals("1", m.recommend("0", 5).get(0).item());
        assertEquals(1, m.recommend("0", 5).size());
    }

    @Test
    void viewsShowEachSampleWithoutCopyingAndCannotWrite() {
        Model m = twoSamples();
        MatrixView u1 = m.userFactors(1);
        assertEquals(3, u1.rows());
        assertEquals(2, u1.cols());
        assertArrayEquals(new double[] {-1, 0, 2, 2, 1, -3}, u1.toArray(), 0.0);
        assertArrayEquals(new double[] {0.5, -1, 2, 0.25}, m.itemFactors(0).toArray(), 0.0);
        assertEquals(-3, u1.get(2, 1), 0.0);
        DoubleBuffer row = u1.row(1);
        assertEquals(2, row.remaining());
        assertEquals(2, row.get(1), 0.0);
        assertThrows(ReadOnlyBufferException.class, () -> row.put(0, 9));
        DoubleBuffer biases = m.itemBiases(1);
        assertEquals(1.5, biases.get(1), 0.0);
        assertThrows(ReadOnlyBufferException.class, () -> biases.put(0, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> m.userFactors(2));
        assertThrows(IndexOutOfBoundsException.class, () -> u1.get(3, 0));
        // Copies are the caller's own.
        FactorMatrix copy = u1.copy();
        copy.set(0, 0, 100);
        assertEquals(-1, m.userFactors(1).get(0, 0), 0.0);
        double[] ub = m.userBiases();
        ub[0] = 100;
        assertEquals(0.2, m.userBiases()[0], 1e-15);
        assertThrows(IllegalStateException.class, m::userFactors, "no single matrix for two samples");
    }

    /** The public constructors refuse what a model file could not hold or recommending could not use. */
    @Test
    void aModelFromPartsMustBeFiniteWithAnOrderedPatternInRange() {
        IdIndex users = RATED.userIds();
        IdIndex items = RATED.itemIds();
        FactorMatrix u = FactorMatrix.of(3, 2, 0.1, 0.7, 1.3, -0.2, 0.3, 0.3);
        FactorMatrix p = FactorMatrix.of(2, 2, 1.1, 0.9, -0.6, 2.2);
        double[] ub = new double[3];
        double[] ib = new double[2];
        int[] ptr = {0, 1, 2, 2};
        assertEquals(3, new Model(users, items, u, p, 0, ub, ib, ptr, new int[] {1, 0}).userIds().size());
        FactorMatrix bad = FactorMatrix.of(2, 2, 1.1, Double.NaN, -0.6, 2.2);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(users, items, u, bad, 0, ub, ib, ptr, new int[] {1, 0})).getMessage()
                .startsWith("every factor must be finite but entry 1 was NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(users, items, u, p, 0, new double[] {0, Double.POSITIVE_INFINITY, 0}, ib, ptr,
                        new int[] {1, 0})).getMessage().startsWith("every bias must be finite"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(users, items, u, p, 0, ub, ib, ptr, new int[] {2, 0})).getMessage()
                .contains("must be in [0, 2) and strictly ascending within each row, but row 0 has 2"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(users, items, u, p, 0, ub, ib, new int[] {0, 2, 2, 2}, new int[] {1, 1}))
                .getMessage().contains("but row 0 has 1 after 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new Model(users, items, u, p, 0, ub, ib, new int[] {0, 2, 1, 2}, new int[] {0, 1}))
                .getMessage().contains("must not decrease"));
    }

    @Test
    void aOneSampleModelPredictsExactlyMeanBiasesAndTheDotProduct() {
        FactorMatrix u = FactorMatrix.of(3, 2, 0.1, 0.7, 1.3, -0.2, 0.3, 0.3);
        FactorMatrix p = FactorMatrix.of(2, 2, 1.1, 0.9, -0.6, 2.2);
        Model plain = Model.unbiased(RATED, u, p);
        assertFalse(plain.biased());
        assertEquals(1, plain.samples());
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(Double.doubleToLongBits(u.dot(r, p, i)), Double.doubleToLongBits(plain.predictIndex(r, i)));
            }
        }
        assertEquals(u, plain.userFactors());
        assertEquals(plain.userFactors(0), new MatrixView(u.data(), 3, 2, 0, 2));
    }

    @Test
    void theBuilderChecksWhatItIsGiven() {
        Model.Builder b = Model.builder(RATED.userIds(), RATED.itemIds(), 2, 1);
        assertThrows(IllegalArgumentException.class, () -> b.addSample(new FactorMatrix(3, 3), new FactorMatrix(2, 3)));
        assertThrows(IllegalStateException.class, () -> b.rated(RATED.byUser()).build(), "no sample yet");
        b.addSample(new FactorMatrix(3, 2), new FactorMatrix(2, 2));
        assertThrows(IllegalStateException.class, () -> b.addSample(new FactorMatrix(3, 2), new FactorMatrix(2, 2)));
        b.build();
        assertThrows(IllegalStateException.class, b::build, "a builder builds once");
        assertThrows(IllegalArgumentException.class, () -> Model.builder(RATED.userIds(), RATED.itemIds(), 2, 1)
                .addSample(new FactorMatrix(3, 2), new FactorMatrix(2, 2), new double[] {1, 0, 0}, new double[2])
                .rated(RATED.byUser()).build(), "biases in a model not marked biased");
    }

    /**
     * The builder checks what the public constructor checks (a trial built, with it, a model
     * that recommended out of bounds, predicted NaN, and was written to a file that could not
     * be read back).
     */
    @Test
    void theBuilderRefusesWhatAModelFileCannotHold() {
        IdIndex u2 = IdIndex.dense(2);
        IdIndex i3 = IdIndex.dense(3);
        FactorMatrix users = FactorMatrix.filled(2, 2, 0.5);
        FactorMatrix items = FactorMatrix.filled(3, 2, 0.5);
        org.junit.jupiter.api.Assertions.assertTrue(org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Model.builder(u2, i3, 2, 1).addSample(users, items)
                        .rated(new int[] {0, 1, 2}, new int[] {0, 7}).build()).getMessage()
                .startsWith("rated pattern's item indices must be in [0, 3)"));
        org.junit.jupiter.api.Assertions.assertEquals("the rated pattern must have a row per user (2) but had 1",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Model.builder(u2, i3, 2, 1).addSample(users, items).rated(new int[] {0, 1},
                                new int[] {0}).build()).getMessage());
        FactorMatrix nan = FactorMatrix.filled(3, 2, Double.NaN);
        org.junit.jupiter.api.Assertions.assertTrue(org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Model.builder(u2, i3, 2, 1).addSample(users, nan)
                        .rated(new int[] {0, 1, 2}, new int[] {0, 2}).build()).getMessage()
                .startsWith("every factor must be finite"));
        // The same parts, well formed, build.
        Model.builder(u2, i3, 2, 1).addSample(users, items).rated(new int[] {0, 1, 2}, new int[] {0, 2}).build();
    }
}
