/**
 * The library as its users see it: read ratings ({@link io.als.api.RatingsReader},
 * {@link io.als.api.Ratings}), configure a fit ({@link io.als.api.AlsConfig},
 * {@link io.als.api.Regularizer}), fit ({@link io.als.api.AlternatingLeastSquares}, or a
 * {@link io.als.api.Factorizer} from {@link io.als.api.AlsModule} with Guice), and use and
 * store the result ({@link io.als.api.Model}, {@link io.als.api.ModelFile}). A failure the
 * library finds in data, a model file, a setting or a solve is an
 * {@link io.als.api.AlsException} (a bad file, a singular system, a setting by name); a misuse
 * of a method (a null, an index out of range, an argument outside its contract, a closed
 * object) throws the JDK's {@code NullPointerException}, {@code IllegalArgumentException},
 * {@code IndexOutOfBoundsException} or {@code IllegalStateException}, with a message that
 * names the argument. Normal use needs nothing from
 * the other packages except a backend's {@code Solver} class to construct.
 */
package io.als.api;
