package io.als.eval.data;

/** The standard normal distribution function, to about 1e-7. */
final class Normal {
    // Abramowitz and Stegun, Handbook of Mathematical Functions (1964), formula 7.1.26:
    // erf(x) = 1 - (a1 t + a2 t^2 + a3 t^3 + a4 t^4 + a5 t^5) exp(-x^2), t = 1 / (1 + p x),
    // for x >= 0, with absolute error at most 1.5e-7.
    private static final double P = 0.3275911;
    private static final double A1 = 0.254829592;
    private static final double A2 = -0.284496736;
    private static final double A3 = 1.421413741;
    private static final double A4 = -1.453152027;
    private static final double A5 = 1.061405429;

    private Normal() {
    }

    /** {@code P(Z <= z)} for a standard normal {@code Z}. */
    static double cdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + P * x);
        double erfc = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * Math.exp(-x * x);
        return z >= 0 ? 1 - erfc / 2 : erfc / 2;
    }
}
