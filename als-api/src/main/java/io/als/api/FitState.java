package io.als.api;

import io.als.internal.Gaussians;
import io.als.spi.FactorMatrix;
import io.als.spi.LeastSquaresStep;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The factors of a fit in progress and how each half-step poses its least-squares problem to
 * the {@link LeastSquaresStep}. {@link AlternatingLeastSquares} runs the loop; this class
 * decides what "solve the items" and "solve the users" mean for a plain and for a biased fit,
 * how a sampling half-step perturbs that problem, and how samples are averaged.
 *
 * <p>Either way, {@link #users()} and {@link #items()} are laid out so that
 * {@code users().dot(u, items(), i)} is the current prediction for user {@code u} and item
 * {@code i}; the listener and the objective read them that way.
 */
abstract class FitState {

    /**
     * What one half-step hands to the step: the ratings to fit, the fixed side, where the
     * solutions go, and the penalty to apply.
     */
    record Problem(SparseView observed, FactorMatrix fixed, FactorMatrix target, Regularizer reg) {
    }

    /** The ratings and the two sides; see the class comment for the layout of the sides. */
    final Ratings ratings;
    final FactorMatrix users;
    final FactorMatrix items;
    /** Running sums of the sampled factors, side by side, and of the sampled biases. */
    private FactorMatrix userSamples;
    private FactorMatrix itemSamples;
    private double[] userBiasSum;
    private double[] itemBiasSum;
    private int collected;
    private int planned;

    FitState(Ratings ratings, FactorMatrix users, FactorMatrix items) {
        this.ratings = ratings;
        this.users = users;
        this.items = items;
    }

    static FitState of(AlsConfig config, Ratings ratings, FactorMatrix initialUsers) {
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

    /** {@code {sse, objective}} of the current factors. */
    abstract double[] loss(Regularizer reg, RowParallel parallel);

    /** The ratings being fitted. */
    final Ratings ratings() {
        return ratings;
    }

    /** The fixed global mean (0 for a plain fit). */
    abstract double mean();

    /** The current bias of a user or item (0 for a plain fit). */
    abstract double bias(FitListener.Side side, int row);

    /**
     * A sampling half-step's problem: the ridge problem {@link #pose} describes, turned into
     * a draw from the row's Gaussian conditional posterior (see {@link AlternatingLeastSquares}).
     * Noise {@code sigma * z} is added to every rating; the penalty is replaced by {@code w}
     * pseudo-ratings {@code sigma * y_j} per row, on pseudo-columns of the fixed side equal to
     * {@code sqrt(penalty) e_j}, one block of {@code w} pseudo-columns per distinct penalty.
     * The solution is then {@code A^-1 (F^T (a + sigma z) + sigma sqrt(penalty) y)} with
     * {@code A = F^T F + penalty I}, whose covariance is {@code sigma^2 A^-1}.
     */
    Problem sample(FitListener.Side side, Regularizer reg, double sigma, SplittableRandom rnd) {
        Problem p = pose(side, reg);
        SparseView obs = p.observed();
        FactorMatrix fixed = p.fixed();
        int w = fixed.rank();
        int rows = obs.rows();
        Map<Double, Integer> blockOf = new HashMap<>();
        int[] block = new int[rows];
        for (int r = 0; r < rows; r++) {
            block[r] = blockOf.computeIfAbsent(reg.penalty(obs.count(r)), key -> blockOf.size());
        }
        int base = fixed.rows();
        FactorMatrix extended = new FactorMatrix(base + blockOf.size() * w, w);
        System.arraycopy(fixed.data(), 0, extended.data(), 0, fixed.data().length);
        for (Map.Entry<Double, Integer> b : blockOf.entrySet()) {
            double root = Math.sqrt(b.getKey());
            for (int j = 0; j < w; j++) {
                extended.set(base + b.getValue() * w + j, j, root);
            }
        }
        int nnz = obs.nnz() + rows * w;
        int[] ptr = new int[rows + 1];
        int[] idx = new int[nnz];
        double[] val = new double[nnz];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = obs.start(r); e < obs.end(r); e++) {
                idx[n] = obs.index(e);
                val[n++] = obs.value(e) + sigma * Gaussians.next(rnd);
            }
            for (int j = 0; j < w; j++) {
                idx[n] = base + block[r] * w + j;
                val[n++] = sigma * Gaussians.next(rnd);
            }
            ptr[r + 1] = n;
        }
        return new Problem(SparseView.copyOf(rows, extended.rows(), ptr, idx, val), extended, p.target(),
                Regularizer.none());
    }

    /** Prepares to average {@code samples} samples. */
    void startSampling(int samples) {
        int k = rank();
        Ratings ratings = ratings();
        planned = samples;
        userSamples = new FactorMatrix(ratings.numUsers(), Math.multiplyExact(k, samples));
        itemSamples = new FactorMatrix(ratings.numItems(), Math.multiplyExact(k, samples));
        userBiasSum = new double[ratings.numUsers()];
        itemBiasSum = new double[ratings.numItems()];
    }

    /**
     * Adds the current factors as one sample. The average prediction over {@code S} samples,
     * {@code (1/S) sum_s U_s . P_s}, is the single product of the samples' factors placed side
     * by side and each scaled by {@code 1/sqrt(S)}, which is how they are stored.
     */
    void collect() {
        int k = rank();
        double scale = 1 / Math.sqrt(planned);
        copyScaled(users(), userSamples, collected * k, scale);
        copyScaled(items(), itemSamples, collected * k, scale);
        for (int u = 0; u < userBiasSum.length; u++) {
            userBiasSum[u] += bias(FitListener.Side.USERS, u);
        }
        for (int i = 0; i < itemBiasSum.length; i++) {
            itemBiasSum[i] += bias(FitListener.Side.ITEMS, i);
        }
        collected++;
    }

    /** The fitted model: the current factors, or the average of the collected samples. */
    Model model() {
        if (collected == 0) {
            return currentModel();
        }
        if (collected != planned) {
            throw new IllegalStateException(collected + " of " + planned + " samples were collected");
        }
        double[] bu = userBiasSum.clone();
        double[] bi = itemBiasSum.clone();
        for (int u = 0; u < bu.length; u++) {
            bu[u] /= collected;
        }
        for (int i = 0; i < bi.length; i++) {
            bi[i] /= collected;
        }
        Ratings r = ratings();
        return new Model(r.userIds(), r.itemIds(), userSamples, itemSamples, mean(), bu, bi, r.byUser());
    }

    /** The model of the current factors. */
    abstract Model currentModel();

    /** Copies the first {@code k} columns of each row of {@code from}, scaled, into {@code into}'s columns from {@code at}. */
    private void copyScaled(FactorMatrix from, FactorMatrix into, int at, double scale) {
        int k = rank();
        int wf = from.rank();
        int wi = into.rank();
        double[] src = from.data();
        double[] dst = into.data();
        for (int r = 0; r < from.rows(); r++) {
            for (int c = 0; c < k; c++) {
                dst[r * wi + at + c] = scale * src[r * wf + c];
            }
        }
    }

    /** Plain ALS: the factors are {@code U} and {@code P} themselves. */
    static final class Plain extends FitState {

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
        double[] loss(Regularizer reg, RowParallel parallel) {
            return Objective.evaluate(ratings(), users(), items(), reg, parallel);
        }

        @Override
        Model currentModel() {
            return Model.unbiased(ratings(), users(), items());
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
        Model currentModel() {
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
