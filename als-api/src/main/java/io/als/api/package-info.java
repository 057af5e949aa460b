/**
 * The library as its users see it: read ratings ({@link io.als.api.RatingsReader},
 * {@link io.als.api.Ratings}), configure a fit ({@link io.als.api.AlsConfig},
 * {@link io.als.api.Regularizer}), fit ({@link io.als.api.AlternatingLeastSquares}, or a
 * {@link io.als.api.Factorizer} from {@link io.als.api.AlsModule} with Guice), and use and
 * store the result ({@link io.als.api.Model}, {@link io.als.api.ModelFile}). Every failure
 * of the library's own is an {@link io.als.api.AlsException}. Normal use needs nothing from
 * the other packages except a backend's {@code Solver} class to construct.
 */
package io.als.api;
