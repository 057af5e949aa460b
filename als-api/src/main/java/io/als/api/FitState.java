package io.als.api;

import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;

/**
 * The factors of a fit in progress and how each half-step poses its least-squares problem to
 * the {@link LeastSquaresStep}. {@link AlternatingLeastSquares} runs the loop; this class
 * decides what "solve the items" and "solve the users" mean for a plain and for a biased fit,
 * and turns the current state into a {@link Model}. ({@link PosteriorSampler} perturbs the
 * problems posed here into draws and collects the samples.)
 *
 * <p>Either way, {@link #users()} and {@link #items()} are laid out so that
 * {@code users().dot(u, items(), i)} is the current prediction for user {@code u} and item
 * {@code i}; the objective reads them that way. Nothing outside the driver sees this layout:
 * listeners get {@link #predict} and {@link #currentModel}.
 */
abstract class FitState {

    /**
     * What one half-step hands to the step: the ratings to fit, the fixed side, where the
     * solutions go, and the penalty to apply.
     */
    record Problem(SparseView observed, FactorMatrix fixed, FactorMatrix target, Regularizer reg,
                   double sharedScale) {
        /** A problem without a shared term. */
        Problem(SparseView observed, FactorMatrix fixed, FactorMatrix target, Regularizer reg) {
            this(observed, fixed, target, reg, 0);
        }
    }

    /** The ratings and the two sides; see the class comment for the layout of the sides. */
    final Ratings ratings;
    final FactorMatrix users;
    final FactorMatrix items;
    /** The rated pattern of {@link #ratings}, copied on first use and shared by every model built. */
    private int[] ratedPtr;
    private int[] ratedIdx;

    FitState(Ratings ratings, FactorMatrix users, FactorMatrix items) {
        this.ratings = ratings;
        this.users = users;
        this.items = items;
    }

    static FitState of(AlsConfig config, Ratings ratings, FactorMatrix initialUsers) {
        if (config.isImplicit()) {
            return new Implicit(ratings, initialUsers, config.implicit());
        }
        return config.biased() ? new Biased(ratings, initialUsers) : new Plain(ratings, initialUsers);
    }

    /** Columns each row solves for: the rank, plus one bias column in a biased fit. */
    abstract int solvedColumns();

    /** The rank {@code k} of the factors proper. */
    abstract int rank();

    /** One ALS half-step: the ratings to fit, the fixed side, where the solutions go, and {@code reg}. */
    abstract Problem pose(FitListener.Side side, Regularizer reg);

    /** Takes the solutions of {@link #pose}'s target into the factors. */
    abstract void absorb(FitListener.Side side, FactorMatrix solved);

    /** User side, one row per user; see the class comment for the layout. */
    final FactorMatrix users() {
        return users;
    }

    /** Item side, one row per item; see the class comment for the layout. */
    final FactorMatrix items() {
        return items;
    }

    /**
     * {@code {sse, objective}} of the current factors.
     *
     * @param step the fit's step, open: its backend may sum the squared errors itself
     *             ({@link LeastSquaresStep#squaredErrors}); null to sum them here
     */
    abstract double[] loss(Regularizer reg, RowParallel parallel, LeastSquaresStep step);

    /** The ratings being fitted. */
    final Ratings ratings() {
        return ratings;
    }

    /** The fixed global mean (0 for a plain fit). */
    abstract double mean();

    /** The current bias of a user or item (0 for a plain fit). */
    abstract double bias(FitListener.Side side, int row);

    /** The current prediction for user {@code u} and item {@code i}, as {@link Model#predictIndex} computes it. */
    abstract double predict(int u, int i);

    /** A copy of the current factors of one side, {@code rows x rank} (without bias or constant columns). */
    abstract FactorMatrix factors(FitListener.Side side);

    /**
     * The current factors of one side as {@link #factors} gives them, but possibly the state's
     * own matrix: to be read at once (a model builder copies them), never kept or written.
     */
    FactorMatrix factorsToCopy(FitListener.Side side) {
        return factors(side);
    }

    /** A copy of the current biases of one side (zeros for a plain fit). */
    final double[] biases(FitListener.Side side) {
        int rows = side == FitListener.Side.USERS ? ratings.numUsers() : ratings.numItems();
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = bias(side, r);
        }
        return out;
    }

    /** Whether the fit learns a mean and biases. */
    abstract boolean biased();

    /**
     * A builder for a model of the training ids and pattern, biased or not like this fit,
     * to which {@code samples} samples are to be added. The rated pattern is the ratings' own
     * and is shared by every model built here (models never write to it).
     */
    final Model.Builder modelBuilder(int samples, TrainingInfo info) {
        if (ratedPtr == null) {
            // The view's own arrays: neither the view nor a model ever writes them, so the
            // model shares them instead of copying every rating's index (SparseView#read).
            int[][] pattern = ratings.byUser().read((pointers, indices, values, weights) ->
                    new int[][] {pointers, indices});
            ratedPtr = pattern[0];
            ratedIdx = pattern[1];
        }
        Model.Builder b = Model.builder(ratings.userIds(), ratings.itemIds(), rank(), samples)
                .ratedShared(ratedPtr, ratedIdx).training(info);
        return biased() ? b.biased(mean()) : b;
    }

    /** Adds the current factors and biases to {@code into} as its next sample. */
    final void addCurrentSample(Model.Builder into) {
        FitListener.Side u = FitListener.Side.USERS;
        FitListener.Side i = FitListener.Side.ITEMS;
        if (biased()) {
            into.addSample(factorsToCopy(u), factorsToCopy(i), biases(u), biases(i));
        } else {
            into.addSample(factorsToCopy(u), factorsToCopy(i));
        }
    }

    /** The model of the current factors alone. */
    final Model currentModel(TrainingInfo info) {
        Model.Builder b = modelBuilder(1, info);
        addCurrentSample(b);
        return b.build();
    }

    /** Plain ALS: the factors are {@code U} and {@code P} themselves. */
    static class Plain extends FitState {

        Plain(Ratings ratings, FactorMatrix initialUsers) {
            super(ratings, initialUsers.copy(), new FactorMatrix(ratings.numItems(), initialUsers.rank()));
        }

        @Override
        int solvedColumns() {
            return rank();
        }

        @Override
        int rank() {
            return users().rank();
        }

        @Override
        Problem pose(FitListener.Side side, Regularizer reg) {
            // Solved in place: the step writes every row of its target and reads only the fixed side.
            return side == FitListener.Side.ITEMS ? new Problem(ratings().byItem(), users(), items(), reg)
                    : new Problem(ratings().byUser(), items(), users(), reg);
        }

        @Override
        void absorb(FitListener.Side side, FactorMatrix solved) {
            // Solved in place.
        }

        @Override
        double mean() {
            return 0;
        }

        @Override
        double bias(FitListener.Side side, int row) {
            return 0;
        }

        @Override
        double[] loss(Regularizer reg, RowParallel parallel, LeastSquaresStep step) {
            return Objective.evaluate(ratings(), users(), items(), reg, parallel, step);
        }

        @Override
        boolean biased() {
            return false;
        }

        @Override
        double predict(int u, int i) {
            // As Model.predictIndex sums it for one sample: 0 + 0 + 0 + the dot product, which is the dot product.
            return users.dot(u, items, i);
        }

        @Override
        FactorMatrix factors(FitListener.Side side) {
            return factorsToCopy(side).copy();
        }

        @Override
        FactorMatrix factorsToCopy(FitListener.Side side) {
            return side == FitListener.Side.USERS ? users : items;
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
        private final int k;
        private final double mu;

        Biased(Ratings ratings, FactorMatrix initialUsers) {
            super(ratings, new FactorMatrix(ratings.numUsers(), initialUsers.rank() + 3),
                    new FactorMatrix(ratings.numItems(), initialUsers.rank() + 3));
            this.k = initialUsers.rank();
            this.mu = ratings.mean();
            int w = k + 3;
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
        int rank() {
            return k;
        }

        @Override
        Problem pose(FitListener.Side side, Regularizer reg) {
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
            return new Problem(observed.withValues(residual), fixed, new FactorMatrix(observed.rows(), k + 1), reg);
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
        double mean() {
            return mu;
        }

        @Override
        double bias(FitListener.Side side, int row) {
            return side == FitListener.Side.USERS ? users.get(row, k) : items.get(row, k + 1);
        }

        @Override
        double[] loss(Regularizer reg, RowParallel parallel, LeastSquaresStep step) {
            // The squared errors from the augmented rows; the penalty on the factors and biases
            // only (the constant columns are not parameters).
            double[] loss = Objective.evaluate(ratings, users, items, Regularizer.none(), parallel, step);
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
        boolean biased() {
            return true;
        }

        @Override
        double predict(int u, int i) {
            // The same sum, in the same order, as Model.predictIndex for one sample.
            int w = k + 3;
            double[] uf = users.data();
            double[] pf = items.data();
            double acc = 0;
            for (int c = 0; c < k; c++) {
                acc += uf[u * w + c] * pf[i * w + c];
            }
            return mu + uf[u * w + k] + pf[i * w + k + 1] + acc;
        }

        @Override
        FactorMatrix factors(FitListener.Side side) {
            FactorMatrix from = side == FitListener.Side.USERS ? users : items;
            FactorMatrix out = new FactorMatrix(from.rows(), k);
            int w = k + 3;
            for (int r = 0; r < from.rows(); r++) {
                System.arraycopy(from.data(), r * w, out.data(), r * k, k);
            }
            return out;
        }
    }

    /**
     * Implicit feedback (see {@link ImplicitFeedback}): the factors are {@code X} and
     * {@code Y} themselves, as in a plain fit, but every half-step is posed over all cells:
     * each observed entry carries weight {@code c - alpha0} and value {@code c} (preference 1
     * times confidence), and the shared term is {@code alpha0} times the fixed side's Gram
     * matrix. An entry whose value is 0 means no preference, as in Spark MLlib's implicit ALS:
     * weight 0 and value 0, so it counts exactly as an unobserved cell. The weighted views are
     * built once per fit.
     */
    static final class Implicit extends Plain {
        private final ImplicitFeedback settings;
        private final SparseView byUser;
        private final SparseView byItem;

        Implicit(Ratings ratings, FactorMatrix initialUsers, ImplicitFeedback settings) {
            super(ratings, initialUsers);
            this.settings = settings;
            SparseView users = ratings.byUser();
            ImplicitFeedback.Counts counts = settings.confidence() == ImplicitFeedback.Confidence.BM25
                    ? ImplicitFeedback.Counts.of(users) : null;
            this.byUser = weighted(ratings, users, ImplicitFeedback.EntryContext.rowsAreUsers(users), counts, settings);
            SparseView items = ratings.byItem();
            this.byItem = weighted(ratings, items, ImplicitFeedback.EntryContext.rowsAreItems(items, users), counts,
                    settings);
        }

        /** The view with value {@code c} and weight {@code c - alpha0} on every entry; refuses negative values. */
        private static SparseView weighted(Ratings ratings, SparseView view, ImplicitFeedback.EntryContext context,
                                           ImplicitFeedback.Counts counts, ImplicitFeedback settings) {
            return settings.weighted(view, context, counts, e -> new RatingsInputException(ratings.source(), 0,
                    "implicit feedback needs values >= 0 (counts, ratings or 1) but one was " + view.value(e)));
        }

        @Override
        Problem pose(FitListener.Side side, Regularizer reg) {
            double alpha0 = settings.unobservedWeight();
            return side == FitListener.Side.ITEMS
                    ? new Problem(byItem, users(), items(), reg.forSide(alpha0 * ratings.numUsers()), alpha0)
                    : new Problem(byUser, items(), users(), reg.forSide(alpha0 * ratings.numItems()), alpha0);
        }

        /**
         * {@code {data term, objective}}: the data term is
         * {@code sum_obs c (1 - s)^2 + alpha0 sum_unobs s^2}, {@code s = x_u . y_i}, summed as
         * {@code sum_obs [c (1 - s)^2 - alpha0 s^2] + alpha0 trace(X^T X Y^T Y)} so that no
         * unobserved cell is visited (the device of the {@code implicit} library's training loss).
         */
        @Override
        double[] loss(Regularizer reg, RowParallel parallel, LeastSquaresStep step) {
            double alpha0 = settings.unobservedWeight();
            double observed = Objective.implicitObserved(byUser, users(), items(), alpha0, parallel);
            double all = alpha0 * io.als.spi.rowwise.RowwiseLeastSquaresStep.gram(users(), parallel)
                    .traceOfProduct(io.als.spi.rowwise.RowwiseLeastSquaresStep.gram(items(), parallel));
            Regularizer userReg = reg.forSide(alpha0 * ratings.numItems());
            Regularizer itemReg = reg.forSide(alpha0 * ratings.numUsers());
            double penalty = 0;
            for (int u = 0; u < byUser.rows(); u++) {
                penalty += userReg.penalty(byUser.count(u)) * users().squaredNorm(u);
            }
            for (int i = 0; i < byItem.rows(); i++) {
                penalty += itemReg.penalty(byItem.count(i)) * items().squaredNorm(i);
            }
            double data = observed + all;
            return new double[] {data, data + penalty};
        }
    }
}
