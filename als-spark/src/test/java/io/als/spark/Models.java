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

    /**
     * Same ids and pattern, and every factor row within {@code relative} of the expected one in
     * norm: {@code ||a_r - b_r|| <= relative ||a_r||} (a row's relative error as a vector, which
     * a factor entry near zero cannot inflate the way an entry-wise ratio does).
     */
    static void assertAgreeByRow(Model expected, Model actual, double relative) {
        assertEquals(expected.userIds(), actual.userIds(), "user ids");
        assertEquals(expected.itemIds(), actual.itemIds(), "item ids");
        assertArrayEquals(expected.ratedPointers(), actual.ratedPointers(), "rated pattern (pointers)");
        assertArrayEquals(expected.ratedIndices(), actual.ratedIndices(), "rated pattern (items)");
        assertEquals(expected.rank(), actual.rank(), "rank");
        checkRows("user factors", expected.userFactors().data(), actual.userFactors().data(), expected.rank(),
                relative);
        checkRows("item factors", expected.itemFactors().data(), actual.itemFactors().data(), expected.rank(),
                relative);
    }

    private static void checkRows(String what, double[] a, double[] b, int k, double relative) {
        assertEquals(a.length, b.length, what + " lengths");
        double worst = 0;
        for (int r = 0; r < a.length / k; r++) {
            double diff = 0;
            double norm = 0;
            for (int c = r * k; c < (r + 1) * k; c++) {
                diff += (a[c] - b[c]) * (a[c] - b[c]);
                norm += a[c] * a[c];
            }
            worst = Math.max(worst, norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm));
        }
        assertTrue(worst <= relative, what + " differ by " + worst + " relative (row norms), more than " + relative);
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
