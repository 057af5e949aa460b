package io.als.eval;

import java.util.SplittableRandom;

/** Seeded random permutations, shared by the splits, the synthetic generator and the kit. */
public final class Permutations {
    private Permutations() {
    }

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher-Yates, from the top down), drawing
     * exactly {@code n - 1} values from {@code rnd}, so the same generator state always gives
     * the same permutation and leaves the generator in the same state.
     */
    public static int[] shuffled(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
