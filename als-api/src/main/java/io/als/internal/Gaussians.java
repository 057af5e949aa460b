package io.als.internal;

import java.util.SplittableRandom;

/**
 * The one standard normal sampler of the project, so that every seeded draw (initial
 * factors, posterior sampling, generated data) uses the same arithmetic.
 */
public final class Gaussians {
    private Gaussians() {
    }

    /**
     * A standard normal by the Box-Muller transform: two uniforms from {@code rnd} give one
     * normal (the second of the pair is not kept, so each call consumes exactly two draws
     * and a stream's values do not depend on how calls interleave). {@code 1 - u} lies in
     * (0, 1], so the logarithm is finite. A seeded stream therefore gives the same values
     * run after run.
     */
    public static double next(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
