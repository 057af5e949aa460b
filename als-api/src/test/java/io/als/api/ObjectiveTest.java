package io.als.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.als.spi.FactorMatrix;
import io.als.spi.SparseView;
import io.als.spi.rowwise.RowParallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loss the driver reports and stops on, against sums worked out by hand and by a plain loop. */
class ObjectiveTest {

    @Test
    void fewRatingsPerUserByHand() {
        // Rank 1. Users (1), (2); items (1), (0.5), (3).
        // User 0 rates items 0, 1, 2 with 2, 1, 3: predictions 1, 0.5, 3, squared residuals 1, 0.25, 0.
        // User 1 rates items 0, 2 with 1, 5: predictions 2, 6, squared residuals 1, 1.   sse = 3.25.
        // Weighted lambda 0.1, penalty 0.1 n ||x||^2:
        //   users 0.1*3*1 + 0.1*2*4 = 1.1; items 0.1*2*1 + 0.1*1*0.25 + 0.1*2*9 = 2.025.  objective = 6.375.
        Ratings r = Ratings.of(SparseView.copyOf(2, 3, new int[] {0, 3, 5}, new int[] {0, 1, 2, 0, 2},
                new double[] {2, 1, 3, 1, 5}));
        FactorMatrix users = FactorMatrix.of(2, 1, 1, 2);
        FactorMatrix items = FactorMatrix.of(3, 1, 1, 0.5, 3);
        try (RowParallel p = new RowParallel(1)) {
            assertArrayEquals(new double[] {3.25, 6.375},
                    Objective.evaluate(r, users, items, Regularizer.weighted(0.1), p), 1e-12);
            // No penalty: objective == sse.
            assertArrayEquals(new double[] {3.25, 3.25}, Objective.evaluate(r, users, items, Regularizer.none(), p),
                    1e-12);
        }
    }

    /** One user's nine ratings, 1, 3, 2, 4, -1, 0, 3, 2, 3, of items 0-8. */
    private static Ratings nineRatings() {
        return Ratings.of(SparseView.copyOf(1, 9, new int[] {0, 9}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8},
                new double[] {1, 3, 2, 4, -1, 0, 3, 2, 3}));
    }

    /** Nine items of rank 2: (1,0), (0,1), (1,1), (2,-1), (0,0), (1,-1), (3,0), (0,2), (-1,1). */
    private static FactorMatrix nineItems() {
        return FactorMatrix.of(9, 2, 1, 0, 0, 1, 1, 1, 2, -1, 0, 0, 1, -1, 3, 0, 0, 2, -1, 1);
    }

    @Test
    void nineRatingsOfOneUserCoverTheEightAtATimePathAndTheRest() {
        // Rank 2. User (1, 2); items (1,0), (0,1), (1,1), (2,-1), (0,0), (1,-1), (3,0), (0,2), (-1,1):
        // predictions 1, 2, 3, 0, 0, -1, 3, 4, 1. Ratings 1, 3, 2, 4, -1, 0, 3, 2, 3: residuals
        // 0, 1, -1, 4, -1, 1, 0, -2, 2, sse = 0 + 1 + 1 + 16 + 1 + 1 + 0 + 4 + 4 = 28.
        // L2 lambda 0.5: user 0.5 * 5 = 2.5; items 0.5 * (1 + 1 + 2 + 5 + 0 + 2 + 9 + 4 + 2) = 13;
        // objective 43.5.
        Ratings r = nineRatings();
        FactorMatrix users = FactorMatrix.of(1, 2, 1, 2);
        FactorMatrix items = nineItems();
        try (RowParallel p = new RowParallel(1)) {
            assertArrayEquals(new double[] {28, 43.5}, Objective.evaluate(r, users, items, Regularizer.l2(0.5), p),
                    1e-12);
        }
    }

    @Test
    void aStepsOwnSquaredErrorsReplaceTheSumButNotThePenalty() {
        // The nine ratings above: sse 28, L2 0.5 penalty 15.5. A step that reports its own sum
        // (here a made-up 5) gives {5, 5 + 15.5}; one that reports none leaves the sum to Java.
        Ratings r = nineRatings();
        FactorMatrix users = FactorMatrix.of(1, 2, 1, 2);
        FactorMatrix items = nineItems();
        io.als.spi.LeastSquaresStep own = new io.als.spi.LeastSquaresStep() {
            @Override
            public void solve(SparseView observed, FactorMatrix fixed, Regularizer reg, io.als.spi.Gram shared,
                              FactorMatrix target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.OptionalDouble squaredErrors(SparseView observed, FactorMatrix rows, FactorMatrix fixed) {
                assertEquals(9, observed.nnz());
                return java.util.OptionalDouble.of(5);
            }
        };
        io.als.spi.LeastSquaresStep none = (observed, fixed, reg, shared, target) -> {
            throw new UnsupportedOperationException();
        };
        try (RowParallel p = new RowParallel(2)) {
            assertArrayEquals(new double[] {5, 20.5}, Objective.evaluate(r, users, items, Regularizer.l2(0.5), p, own),
                    1e-12);
            assertArrayEquals(new double[] {28, 43.5},
                    Objective.evaluate(r, users, items, Regularizer.l2(0.5), p, none), 1e-12);
        }
    }

    @Test
    void manyUsersAcrossBlocksMatchAPlainLoopForEveryThreadCount() {
        // 700 users make three blocks of 256; about 10 ratings each (from 1 to about 20) exercise both
        // inner paths.
        SplittableRandom rnd = new SplittableRandom(5);
        int users = 700;
        int items = 40;
        int k = 3;
        List<Integer> ptr = new ArrayList<>(List.of(0));
        List<Integer> idx = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (rnd.nextInt(4) == 0 || i == u % items) {
                    idx.add(i);
                    val.add(1 + rnd.nextInt(5) + 0.5 * rnd.nextInt(2));
                }
            }
            ptr.add(idx.size());
        }
        SparseView view = SparseView.copyOf(users, items, ptr.stream().mapToInt(Integer::intValue).toArray(),
                idx.stream().mapToInt(Integer::intValue).toArray(), val.stream().mapToDouble(Double::doubleValue).toArray());
        Ratings r = Ratings.of(view);
        FactorMatrix uf = new FactorMatrix(users, k);
        FactorMatrix pf = new FactorMatrix(items, k);
        for (int j = 0; j < uf.data().length; j++) {
            uf.data()[j] = rnd.nextDouble() * 2 - 1;
        }
        for (int j = 0; j < pf.data().length; j++) {
            pf.data()[j] = rnd.nextDouble() * 2 - 1;
        }
        Regularizer reg = Regularizer.weighted(0.3);

        // The definition, one rating at a time, with counts taken from the entries themselves.
        double sse = 0;
        int[] itemCount = new int[items];
        double penalty = 0;
        for (int u = 0; u < users; u++) {
            for (int e = view.start(u); e < view.end(u); e++) {
                int i = view.index(e);
                double pred = 0;
                for (int c = 0; c < k; c++) {
                    pred += uf.get(u, c) * pf.get(i, c);
                }
                sse += (view.value(e) - pred) * (view.value(e) - pred);
                itemCount[i]++;
            }
            double norm = 0;
            for (int c = 0; c < k; c++) {
                norm += uf.get(u, c) * uf.get(u, c);
            }
            penalty += 0.3 * (view.end(u) - view.start(u)) * norm;
        }
        for (int i = 0; i < items; i++) {
            double norm = 0;
            for (int c = 0; c < k; c++) {
                norm += pf.get(i, c) * pf.get(i, c);
            }
            penalty += 0.3 * itemCount[i] * norm;
        }

        double[] one;
        try (RowParallel p = new RowParallel(1)) {
            one = Objective.evaluate(r, uf, pf, reg, p);
        }
        assertEquals(sse, one[0], 1e-9 * sse);
        assertEquals(sse + penalty, one[1], 1e-9 * (sse + penalty));
        for (int threads : new int[] {2, 3}) {
            try (RowParallel p = new RowParallel(threads)) {
                // Fixed blocks, summed in a fixed order: the same bits for any thread count.
                assertArrayEquals(one, Objective.evaluate(r, uf, pf, reg, p), 0.0, threads + " threads");
            }
        }
    }
}
