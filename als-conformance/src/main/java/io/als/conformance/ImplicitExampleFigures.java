package io.als.conformance;

/**
 * The figures of the tiny implicit worked example (docs/implicit-example.md), derived there by
 * hand in exact fractions and checked with Python's {@code fractions} module.
 */
final class ImplicitExampleFigures {
    /**
     * After the item half-step ({@code x = [1, 1]}, {@code y = [3/5, 1/2, 1/2]}): weighted
     * squared errors 21/25 + 1/2 + 1 = 2.34, penalty 2 + 0.86: 26/5.
     */
    static final double OBJECTIVE_AFTER_ITEMS = 26.0 / 5;
    /** After the user half-step ({@code x = [280/283, 100/211]}): 13781009/2985650. */
    static final double OBJECTIVE_AFTER_USERS = 13781009.0 / 2985650;

    private ImplicitExampleFigures() {
    }
}
