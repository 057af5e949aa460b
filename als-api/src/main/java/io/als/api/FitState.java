package io.als.api;

/**
 * The factors of a fit in progress and how each half-step poses its least-squares problem to
 * the {@link LeastSquaresStep}. {@link AlternatingLeastSquares} runs the loop; this class
 * decides what "solve the items" and "solve the users" mean, for a plain and for a biased fit.
 *
 * <p>Either way, {@link #users()} and {@link #items()} are laid out so that
 * {@code users().dot(u, items(), i)} is the current prediction for user {@code u} and item
 * {@code i}; the listener and the objective read them that way.
 */
abstract class FitState {

    /** What one half-step hands to the step: the ratings to fit, the fixed side, where the solutions go. */
    record Problem(SparseView observed, FactorMatrix fixed, FactorMatrix target) {
    }

    static FitState of(AlsConfig config, Ratings ratings, FactorMatrix initialUsers) {
        return config.biased() ? new Biased(ratings, initialUsers) : new Plain(ratings, initialUsers);
    }

    /** Columns each row solves for: the rank, plus one bias column in a biased fit. */
    abstract int solvedColumns();

    /** The least-squares problem of one half-step, from the current factors. */
    abstract Problem pose(FitListener.Side side);

    /** Takes the solutions of {@link #pose}'s target into the factors. */
    abstract void absorb(FitListener.Side side, FactorMatrix solved);

    /** User side, one row per user; see the class comment for the layout. */
    abstract FactorMatrix users();

    /** Item side, one row per item; see the class comment for the layout. */
    abstract FactorMatrix items();

    /** {@code {sse, objective}} of the current factors. */
    abstract double[] loss(Regularizer reg, RowParallel parallel);

    /** The fitted model. */
    abstract Model model();

    /** Plain ALS: the factors are {@code U} and {@code P} themselves, solved in place. */
    static final class Plain extends FitState {
        private final Ratings ratings;
        private final FactorMatrix users;
        private final FactorMatrix items;

        Plain(Ratings ratings, FactorMatrix initialUsers) {
            this.ratings = ratings;
            this.users = initialUsers.copy();
            this.items = new FactorMatrix(ratings.numItems(), initialUsers.rank());
        }

        @Override
        int solvedColumns() {
            return users.rank();
        }

        @Override
        Problem pose(FitListener.Side side) {
            return side == FitListener.Side.ITEMS ? new Problem(ratings.byItem(), users, items)
                    : new Problem(ratings.byUser(), items, users);
        }

        @Override
        void absorb(FitListener.Side side, FactorMatrix solved) {
            // Solved in place.
        }

        @Override
        FactorMatrix users() {
            return users;
        }

        @Override
        FactorMatrix items() {
            return items;
        }

        @Override
        double[] loss(Regularizer reg, RowParallel parallel) {
            return Objective.evaluate(ratings, users, items, reg, parallel);
        }

        @Override
        Model model() {
            return Model.unbiased(ratings, users, items);
        }
    }

    /**
     * Biased ALS with constant columns. With {@code mu} the mean training rating (fixed), the
     * user side is held as {@code [U_u, b_u, 1, 1]} and the item side as
     * {@code [P_i, 1, b_i, mu]}, {@code k + 3} columns each, so their dot product is the
     * prediction {@code mu + b_u + b_i + U_u . P_i}. Solving the items fits
     * {@code r_ui - mu - b_u} with the fixed side {@code [U_u, 1]} for the unknowns
     * {@code [P_i, b_i]}; solving the users fits {@code r_ui - mu - b_i} with
     * {@code [P_i, 1]} for {@code [U_u, b_u]}. The penalty covers the bias with the factors
     * (a row's {@code lambda_r} multiplies {@code ||U_u||^2 + b_u^2}); the constant columns
     * are not penalised.
     */
    static final class Biased extends FitState {
        private final Ratings ratings;
        private final int k;
        private final double mu;
        private final FactorMatrix users;
        private final FactorMatrix items;

        Biased(Ratings ratings, FactorMatrix initialUsers) {
            this.ratings = ratings;
            this.k = initialUsers.rank();
            this.mu = ratings.mean();
            int w = k + 3;
            this.users = new FactorMatrix(ratings.numUsers(), w);
            this.items = new FactorMatrix(ratings.numItems(), w);
            double[] u = users.data();
            double[] init = initialUsers.data();
            for (int r = 0; r < users.rows(); r++) {
                System.arraycopy(init, r * k, u, r * w, k);
                u[r * w + k + 1] = 1;
                u[r * w + k + 2] = 1;
            }
            double[] p = items.data();
            for (int r = 0; r < items.rows(); r++) {
                p[r * w + k] = 1;
                p[r * w + k + 2] = mu;
            }
        }

        @Override
        int solvedColumns() {
            return k + 1;
        }

        @Override
        Problem pose(FitListener.Side side) {
            boolean itemSide = side == FitListener.Side.ITEMS;
            SparseView observed = itemSide ? ratings.byItem() : ratings.byUser();
            // The other side's bias, by the column index of each entry.
            FactorMatrix other = itemSide ? users : items;
            int biasColumn = itemSide ? k : k + 1;
            double[] residual = observed.valuesCopy();
            for (int e = 0; e < residual.length; e++) {
                residual[e] -= mu + other.get(observed.index(e), biasColumn);
            }
            // Fixed side [factors, 1]: for items that is the users' columns 0..k-1 and k+1; for users, 0..k.
            FactorMatrix fixed = new FactorMatrix(other.rows(), k + 1);
            int constantColumn = itemSide ? k + 1 : k;
            double[] src = other.data();
            double[] dst = fixed.data();
            int w = k + 3;
            for (int r = 0; r < other.rows(); r++) {
                System.arraycopy(src, r * w, dst, r * (k + 1), k);
                dst[r * (k + 1) + k] = src[r * w + constantColumn];
            }
            return new Problem(observed.withValues(residual), fixed, new FactorMatrix(observed.rows(), k + 1));
        }

        @Override
        void absorb(FitListener.Side side, FactorMatrix solved) {
            boolean itemSide = side == FitListener.Side.ITEMS;
            FactorMatrix target = itemSide ? items : users;
            int biasColumn = itemSide ? k + 1 : k;
            double[] src = solved.data();
            double[] dst = target.data();
            int w = k + 3;
            for (int r = 0; r < target.rows(); r++) {
                System.arraycopy(src, r * (k + 1), dst, r * w, k);
                dst[r * w + biasColumn] = src[r * (k + 1) + k];
            }
        }

        @Override
        FactorMatrix users() {
            return users;
        }

        @Override
        FactorMatrix items() {
            return items;
        }

        @Override
        double[] loss(Regularizer reg, RowParallel parallel) {
            // The squared errors from the augmented rows; the penalty on the factors and biases
            // only (the constant columns are not parameters).
            double[] loss = Objective.evaluate(ratings, users, items, Regularizer.none(), parallel);
            double penalty = 0;
            SparseView byUser = ratings.byUser();
            for (int u = 0; u < byUser.rows(); u++) {
                penalty += reg.penalty(byUser.count(u)) * parameterNorm(users, u, k);
            }
            SparseView byItem = ratings.byItem();
            for (int i = 0; i < byItem.rows(); i++) {
                penalty += reg.penalty(byItem.count(i)) * parameterNorm(items, i, k + 1);
            }
            loss[1] = loss[0] + penalty;
            return loss;
        }

        /** {@code ||factors||^2 + bias^2} of one augmented row. */
        private double parameterNorm(FactorMatrix m, int row, int biasColumn) {
            double[] d = m.data();
            int at = row * m.rank();
            double s = d[at + biasColumn] * d[at + biasColumn];
            for (int c = 0; c < k; c++) {
                s += d[at + c] * d[at + c];
            }
            return s;
        }

        @Override
        Model model() {
            FactorMatrix u = new FactorMatrix(users.rows(), k);
            FactorMatrix p = new FactorMatrix(items.rows(), k);
            double[] userBias = new double[users.rows()];
            double[] itemBias = new double[items.rows()];
            int w = k + 3;
            for (int r = 0; r < users.rows(); r++) {
                System.arraycopy(users.data(), r * w, u.data(), r * k, k);
                userBias[r] = users.get(r, k);
            }
            for (int r = 0; r < items.rows(); r++) {
                System.arraycopy(items.data(), r * w, p.data(), r * k, k);
                itemBias[r] = items.get(r, k + 1);
            }
            return new Model(ratings.userIds(), ratings.itemIds(), u, p, mu, userBias, itemBias, ratings.byUser());
        }
    }
}
