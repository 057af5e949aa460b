package io.als.api;

import java.util.SplittableRandom;

/**
 * The random streams of a fit. All are split from one root {@code SplittableRandom(seed)}
 * in a fixed order: the first split initialises the user factors, the second feeds the
 * posterior sampling sweeps, the third cuts the validation split on which lambda is chosen,
 * the fourth draws the random test matrix of the compression of a sampled model. Within each, further streams are split off in a fixed order
 * too (one per user row for the initialisation, one per sampling half-step), so:
 * <ul>
 *   <li>the same seed gives the same streams, whatever the thread count (nothing is drawn
 *       in parallel, and the order of the splits is fixed);</li>
 *   <li>the streams are distinct by construction, not by arithmetic on the seed: the
 *       earlier scheme seeded row {@code r} with {@code seed * phi + r} and sweep
 *       {@code it}, side {@code s} with {@code seed * phi + 2 it + s}, so row
 *       {@code 2 it + s} and that sweep drew the very same numbers.</li>
 * </ul>
 */
final class FitStreams {
    private FitStreams() {
    }

    /** The stream the initial user factors are drawn from; split one stream per row. */
    static SplittableRandom initialization(long seed) {
        return new SplittableRandom(seed).split();
    }

    /** The stream the sampling sweeps draw from; split one stream per half-step. */
    static SplittableRandom sampling(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        root.split(); // the initialisation's stream, skipped
        return root.split();
    }

    /** The stream the validation split of the lambda search is drawn from. */
    static SplittableRandom validation(long seed) {
        return nth(seed, 3);
    }

    /** The stream the compression of a sampled model draws its random test matrix from. */
    static SplittableRandom compression(long seed) {
        return nth(seed, 4);
    }

    /** The {@code n}-th split (from 1) of the root. */
    private static SplittableRandom nth(long seed, int n) {
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 1; i < n; i++) {
            root.split();
        }
        return root.split();
    }
}
