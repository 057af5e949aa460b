/**
 * What a linear-algebra backend implements: a {@link io.als.spi.Solver} that makes
 * {@link io.als.spi.LeastSquaresStep}s (the contract and its math are in that interface's
 * Javadoc), optionally faster {@link io.als.spi.MatrixProducts}, and a
 * {@link io.als.spi.SolverModule} that registers it by name. The data it receives are
 * {@link io.als.spi.SparseView}s (entries with values and optional weights),
 * {@link io.als.spi.FactorMatrix} and an optional shared {@link io.als.spi.Gram} term. The
 * row-wise toolkit in {@code io.als.spi.rowwise} does most of the work for backends that only
 * supply a small dense solve. docs/adding-a-solver.md walks through a new backend.
 */
package io.als.spi;
