package io.als.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Model;

/** Comparisons of two models' parts. */
final class Models {
    private Models() {
    }

    /** The largest relative difference between two arrays, against the larger magnitude of the pair (at least 1e-300). */
    static double maxRelative(double[] a, double[] b) {
        assertEquals(a.length, b.length, "lengths");
        double worst = 0;
        for (int t = 0; t < a.length; t++) {
            double scale = Math.max(Math.max(Math.abs(a[t]), Math.abs(b[t])), 1e-300);
            worst = Math.max(worst, Math.abs(a[t] - b[t]) / scale);
        }
        return worst;
    }

    /** Same ids, pattern, mean, factors and biases, each within {@code relative}. */
    static void assertAgree(Model expected, Model actual, double relative) {
        assertEquals(expected.userIds(), actual.userIds(), "user ids");
        assertEquals(expected.itemIds(), actual.itemIds(), "item ids");
        assertEquals(expected.rank(), actual.rank(), "rank");
        assertEquals(expected.biased(), actual.biased(), "biased");
        assertArrayEquals(expected.ratedPointers(), actual.ratedPointers(), "rated pattern (pointers)");
        assertArrayEquals(expected.ratedIndices(), actual.ratedIndices(), "rated pattern (items)");
        assertEquals(expected.globalMean(), actual.globalMean(), Math.abs(expected.globalMean()) * relative, "mean");
        check("user factors", expected.userFactors().data(), actual.userFactors().data(), relative);
        check("item factors", expected.itemFactors().data(), actual.itemFactors().data(), relative);
        check("user biases", expected.userBiases(), actual.userBiases(), relative);
        check("item biases", expected.itemBiases(), actual.itemBiases(), relative);
    }

    /** Every number equal, bit for bit. */
    static void assertBitIdentical(Model expected, Model actual) {
        assertAgree(expected, actual, 0);
        assertEquals(Double.doubleToLongBits(expected.globalMean()), Double.doubleToLongBits(actual.globalMean()));
        assertArrayEquals(expected.userFactors().data(), actual.userFactors().data(), 0, "user factors");
        assertArrayEquals(expected.itemFactors().data(), actual.itemFactors().data(), 0, "item factors");
        assertArrayEquals(expected.userBiases(), actual.userBiases(), 0, "user biases");
        assertArrayEquals(expected.itemBiases(), actual.itemBiases(), 0, "item biases");
    }

    private static void check(String what, double[] a, double[] b, double relative) {
        double worst = maxRelative(a, b);
        assertTrue(worst <= relative, what + " differ by " + worst + " relative, more than " + relative);
    }
}
