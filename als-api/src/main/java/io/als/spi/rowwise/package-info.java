/**
 * The shared row loop for backends: {@link io.als.spi.rowwise.RowwiseLeastSquaresStep} runs
 * blocks of rows on worker threads ({@link io.als.spi.rowwise.RowParallel}) with one workspace
 * each, accumulates every row's normal equation ({@link io.als.spi.rowwise.NormalEquation}) and
 * hands it to a backend's kernel, or lets a backend's row solver do both. Backends reuse it;
 * users never need it.
 */
package io.als.spi.rowwise;
