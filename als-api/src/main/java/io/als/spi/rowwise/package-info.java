/**
 * The shared row loop for backends: {@link io.als.spi.rowwise.RowwiseLeastSquaresStep} runs
 * blocks of rows on worker threads ({@link io.als.spi.rowwise.RowParallel}) with one workspace
 * each, accumulates every row's normal equation ({@link io.als.spi.rowwise.NormalEquation}) and
 * hands it to a backend's kernel, or lets a backend's row solver do both. Conjugate gradient
 * (implicit feedback) runs per row ({@link io.als.spi.rowwise.ConjugateGradient} or a backend's
 * {@code CgRowSolver}) or a block of rows at a time ({@code CgBlockSolver}, for a backend that
 * runs rows in lockstep). Backends reuse it; users never need it.
 */
package io.als.spi.rowwise;
