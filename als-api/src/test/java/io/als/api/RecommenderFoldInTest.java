package io.als.api;

import static io.als.api.RecommenderFixtures.LAMBDA;
import static io.als.api.RecommenderFixtures.bruteForce;
import static io.als.api.RecommenderFixtures.model;
import static io.als.api.RecommenderFixtures.solveDense;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.Recommender.Feedback;
import io.als.api.Recommender.FoldedUser;
import io.als.api.Recommender.Interaction;
import io.als.spi.FactorMatrix;
import io.als.spi.Gram;
import io.als.spi.LeastSquaresStep;
import io.als.spi.MatrixProducts;
import io.als.spi.Solver;
import io.als.spi.SparseView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fold-in and partial update of {@link Recommender}, against dense solves written here. */
class RecommenderFoldInTest {

    /** The elimination backend, counting how often a step computes a Gram matrix. */
    private static final class CountingSolver implements Solver {
        final AtomicInteger grams = new AtomicInteger();
        private final Solver inner = new EliminationSolver();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public LeastSquaresStep newStep(int rank, int threads) {
            LeastSquaresStep step = inner.newStep(rank, threads);
            return new LeastSquaresStep() {
                @Override
                public void solve(SparseView observed, FactorMatrix fixed, io.als.api.Regularizer reg, Gram shared,
                                  FactorMatrix target) {
                    step.solve(observed, fixed, reg, shared, target);
                }

                @Override
                public Gram gram(FactorMatrix f) {
                    grams.incrementAndGet();
                    return Gram.of(f);
                }

                @Override
                public void close() {
                    step.close();
                }
            };
        }
    }

    private static Recommender recommender(Model m, Solver solver, int threads) {
        return new Recommender(m, MatrixProducts.JAVA, solver, threads);
    }

    /**
     * The implicit fold-in by hand: {@code (alpha0 Y^T Y + sum (c_i - alpha0) y_i y_i^T + lambda (n + alpha0 N) I) x
     * = sum c_i y_i} with linear confidence {@code c = 1 + alpha r}; a value of 0 is no preference
     * (the cell weighs as an unobserved one but counts in {@code n}), and NaN an item observed in
     * training whose value was not kept (confidence 1).
     */
    private static double[] implicitByHand(Model m, Map<Integer, Double> values) {
        ImplicitFeedback f = RecommenderFixtures.feedback();
        Map<Integer, Double> confidences = new TreeMap<>();
        values.forEach((i, r) -> confidences.put(i, Double.isNaN(r) ? 1 : r == 0 ? 0 : 1 + f.alpha() * r));
        return implicitByHand(m, f, confidences);
    }

    /** {@link #implicitByHand(Model, Map)} with the listed items' confidences given (0: no preference). */
    private static double[] implicitByHand(Model m, ImplicitFeedback f, Map<Integer, Double> confidences) {
        int k = m.rank();
        int items = m.itemIds().size();
        MatrixView y = m.itemFactors(0);
        double alpha0 = f.unobservedWeight();
        double[][] a = new double[k][k];
        double[] b = new double[k];
        for (int i = 0; i < items; i++) {
            Double given = confidences.get(i);
            double c = given == null ? 0 : given;
            double w = given == null || c == 0 ? alpha0 : c;
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    a[p][q] += w * y.get(i, p) * y.get(i, q);
                }
                b[p] += c * y.get(i, p);
            }
        }
        double penalty = 0.05 * (confidences.size() + alpha0 * items);
        for (int p = 0; p < k; p++) {
            a[p][p] += penalty;
        }
        return solveDense(a, b);
    }

    /**
     * The explicit fold-in of one sample by hand: ridge regression on {@code [P_i^s, 1]} of
     * {@code r - mu - b_i^s} for a biased model (the last unknown is the bias), on {@code P_i^s}
     * of {@code r} otherwise, with the weighted penalty {@code lambda n}.
     */
    private static double[] explicitByHand(Model m, int s, Map<Integer, Double> values) {
        int k = m.rank();
        int cols = m.biased() ? k + 1 : k;
        MatrixView p = m.itemFactors(s);
        double[][] a = new double[cols][cols];
        double[] b = new double[cols];
        for (Map.Entry<Integer, Double> e : values.entrySet()) {
            int i = e.getKey();
            double[] z = new double[cols];
            for (int c = 0; c < k; c++) {
                z[c] = p.get(i, c);
            }
            double target = e.getValue();
            if (m.biased()) {
                z[k] = 1;
                target -= m.globalMean() + m.itemBiases(s).get(i);
            }
            for (int r = 0; r < cols; r++) {
                for (int c = 0; c < cols; c++) {
                    a[r][c] += z[r] * z[c];
                }
                b[r] += target * z[r];
            }
        }
        for (int r = 0; r < cols; r++) {
            a[r][r] += LAMBDA * values.size();
        }
        return solveDense(a, b);
    }

    private static void assertClose(double[] want, double[] got, double[] gotTail) {
        double[] all = gotTail == null ? got : concat(got, gotTail);
        assertEquals(want.length, all.length);
        for (int c = 0; c < want.length; c++) {
            assertEquals(want[c], all[c], 1e-9 * Math.max(1, Math.abs(want[c])), "entry " + c);
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void anImplicitFoldInSolvesTheUsersRowExactlyAndCachesTheGram() {
        Model m = model(21, 15, 40, 4, 1, false, true, 0.2);
        CountingSolver solver = new CountingSolver();
        try (Recommender r = recommender(m, solver, 2)) {
            List<Interaction> given = List.of(new Interaction("103", 2), new Interaction("nope", 1),
                    new Interaction("110", 0), new Interaction("139", 7.5), new Interaction("gone", 3));
            FoldedUser u = r.foldIn(given);
            assertEquals(List.of("nope", "gone"), u.unknownItems());
            assertArrayEquals(new int[] {3, 10, 39}, u.items());
            assertEquals(0, u.bias());
            Map<Integer, Double> values = new TreeMap<>(Map.of(3, 2.0, 10, 0.0, 39, 7.5));
            assertClose(implicitByHand(m, values), u.factors(), null);
            // A second fold-in reuses the Gram matrix.
            FoldedUser v = r.foldIn(List.of(new Interaction("101", 1)));
            assertClose(implicitByHand(m, Map.of(1, 1.0)), v.factors(), null);
            assertEquals(1, solver.grams.get());

            // Recommending for it: U . P over the items it was not folded in from, even without excluding training.
            double[] x = u.factors();
            MatrixView p = m.itemFactors(0);
            TopN want = bruteForce(40, 40, i -> !values.containsKey(i), i -> {
                double s = 0;
                for (int c = 0; c < 4; c++) {
                    s += x[c] * p.get(i, c);
                }
                return 0 + 0 + 0 + s;
            });
            RecommendOptions keep = RecommendOptions.builder().excludeTraining(false).build();
            assertEquals(want, r.recommend(u, 40, keep));
            assertEquals(37, r.recommend(u, 100, RecommendOptions.DEFAULTS).size());
        }
    }

    /**
     * A model fitted with BM25 confidences folds a new user in with the same weighting: the
     * row's own length against the training users' mean length, and each item's count in the
     * model's rated pattern against the number of training users (both counted here).
     */
    @Test
    void aBm25FoldInWeighsTheRowAsTheFitDid() {
        ImplicitFeedback f = new ImplicitFeedback(2, ImplicitFeedback.Confidence.BM25, 1, 0.25,
                ImplicitFeedback.RowSolve.CHOLESKY, 3, 1, 1.5, 0.75);
        Model m = model(23, 30, 12, 3, 1, false, f, 0.3);
        int users = m.userIds().size();
        int[] itemCounts = new int[m.itemIds().size()];
        for (int i : m.ratedIndices()) {
            itemCounts[i]++;
        }
        double meanLength = (double) m.ratedIndices().length / users;
        Map<Integer, Double> values = new TreeMap<>(Map.of(2, 3.0, 5, 1.0, 11, 0.5));
        Map<Integer, Double> confidences = new TreeMap<>();
        values.forEach((i, r) -> confidences.put(i, 1 + 2 * (r * 2.5 / (1.5 * (0.25 + 0.75 * 3 / meanLength) + r)
                * Math.log(users / (double) itemCounts[i]))));
        try (Recommender r = recommender(m, new EliminationSolver(), 1)) {
            FoldedUser u = r.foldIn(List.of(new Interaction("102", 3), new Interaction("105", 1),
                    new Interaction("111", 0.5)));
            assertClose(implicitByHand(m, f, confidences), u.factors(), null);
            // The linear confidences of the same values (1 + 2 r) give another row.
            double[] linear = implicitByHand(m, f, Map.of(2, 7.0, 5, 3.0, 11, 2.0));
            double gap = 0;
            for (int c = 0; c < linear.length; c++) {
                gap = Math.max(gap, Math.abs(linear[c] - u.factors()[c]));
            }
            assertTrue(gap > 1e-3, "BM25 and linear fold-ins differ by only " + gap);
        }
    }

    @Test
    void foldInRejectsWhatItCannotUse() {
        Model implicit = model(22, 5, 10, 2, 1, false, true, 0.3);
        Model explicit = model(22, 5, 10, 2, 1, false, false, 0.3);
        try (Recommender r = recommender(implicit, new EliminationSolver(), 1);
             Recommender e = recommender(explicit, new EliminationSolver(), 1)) {
            String none = assertThrows(IllegalArgumentException.class,
                    () -> r.foldIn(List.of(new Interaction("x", 1), new Interaction("y", 2)))).getMessage();
            assertTrue(none.contains("all 2 given were unknown: [x, y]"), none);
            assertThrows(IllegalArgumentException.class, () -> r.foldIn(List.of()));
            String negative = assertThrows(IllegalArgumentException.class,
                    () -> r.foldIn(List.of(new Interaction("101", -1)))).getMessage();
            assertTrue(negative.contains("non-negative"), negative);
            // A count beyond what training takes (1e9) would swamp the penalty: refused as training refuses it.
            String huge = assertThrows(IllegalArgumentException.class,
                    () -> r.foldIn(List.of(new Interaction("101", 1e12)))).getMessage();
            assertTrue(huge.contains("must be at most 1.0E9 in size"), huge);
            assertThrows(IllegalArgumentException.class, () -> e.foldIn(List.of(new Interaction("101", Double.NaN))));
            assertThrows(IllegalArgumentException.class,
                    () -> e.foldIn(List.of(new Interaction("101", 1), new Interaction("101", 2))));
            // Explicit ratings must be on the model's scale (1..5 here), as the training ratings were.
            assertEquals(2, e.foldIn(List.of(new Interaction("101", 1))).factors().length);
            for (double off : new double[] {-1, 0.5, 5.5, 1e12}) {
                String m = assertThrows(IllegalArgumentException.class,
                        () -> e.foldIn(List.of(new Interaction("101", off)))).getMessage();
                assertTrue(m.contains("must be a rating on the model's scale 1..5 but was " + off), m);
            }
            assertThrows(IllegalArgumentException.class, () -> e.update(List.of(new Feedback("u001", "101", 9))));
            // An item the model does not know is left out before its value is looked at.
            assertEquals(List.of("x"), e.foldIn(List.of(new Interaction("101", 2), new Interaction("x", 7)))
                    .unknownItems());
            // An implicit 0 is no preference: zeros alone leave nothing to solve from.
            String zeros = assertThrows(IllegalArgumentException.class,
                    () -> r.foldIn(List.of(new Interaction("101", 0), new Interaction("x", 3)))).getMessage();
            assertTrue(zeros.contains("no preference"), zeros);
            assertEquals(2, e.foldIn(List.of(new Interaction("101", 3))).factors().length);
            String update = assertThrows(IllegalArgumentException.class,
                    () -> r.update(List.of(new Feedback("new", "101", 0)))).getMessage();
            assertTrue(update.contains("user new has only values of 0"), update);
        }
        Model unknownPenalty = new Model(explicit.userIds(), explicit.itemIds(), explicit.userFactors(),
                explicit.itemFactors(), 0, new double[5], new double[10], explicit.ratedPointers(),
                explicit.ratedIndices());
        try (Recommender r = recommender(unknownPenalty, new EliminationSolver(), 1)) {
            assertThrows(IllegalStateException.class, () -> r.foldIn(List.of(new Interaction("101", 1))));
        }
    }

    @Test
    void anExplicitFoldInIsRidgeRegressionPerSampleAveragedLikeTheModel() {
        for (int samples : new int[] {1, 3}) {
            for (boolean biased : new boolean[] {false, true}) {
                Model m = model(23 + samples, 12, 30, 3, samples, biased, false, 0.2);
                try (Recommender r = recommender(m, new EliminationSolver(), 2)) {
                    Map<Integer, Double> values = new TreeMap<>(Map.of(2, 4.0, 7, 1.5, 11, 5.0, 29, 3.0));
                    List<Interaction> given = new ArrayList<>();
                    values.forEach((i, v) -> given.add(new Interaction(m.itemIds().idAt(i), v)));
                    FoldedUser u = r.foldIn(given);
                    double biasSum = 0;
                    for (int s = 0; s < samples; s++) {
                        double[] want = explicitByHand(m, s, values);
                        double[] got = Arrays.copyOfRange(u.factors(), s * 3, s * 3 + 3);
                        assertClose(Arrays.copyOf(want, 3), got, null);
                        biasSum += biased ? want[3] : 0;
                    }
                    assertEquals(biasSum / samples, u.bias(), 1e-9);
                    // Scored like every user: mu + b_u + b_i + (U . P) / S.
                    double[] x = u.factors();
                    TopN want = bruteForce(30, 10, i -> !values.containsKey(i), i -> {
                        double dot = 0;
                        double[] p = RecommenderFixtures.sideBySide(m, false, i);
                        for (int c = 0; c < x.length; c++) {
                            dot += x[c] * p[c];
                        }
                        return m.globalMean() + u.bias() + m.itemBias(i) + (samples > 1 ? dot / samples : dot);
                    });
                    TopN got = r.recommend(u, 10, RecommendOptions.DEFAULTS);
                    assertArrayEquals(want.indices(), got.indices(), "samples " + samples + ", biased " + biased);
                    assertArrayEquals(want.scores(), got.scores(), 1e-12);
                }
            }
        }
    }

    @Test
    void anImplicitUpdateRefitsFromTheOldPatternAtConfidenceOnePlusTheNewValues() {
        Model m = model(31, 20, 25, 3, 1, false, true, 0.2);
        int u7 = 7;
        int[] ptr = m.ratedPointers();
        int[] idx = m.ratedIndices();
        int oldItem = idx[ptr[u7]];
        int freshItem = -1;
        for (int i = 0; i < 25 && freshItem < 0; i++) {
            if (!RecommenderFixtures.rated(m, u7, i)) {
                freshItem = i;
            }
        }
        List<Feedback> feedback = List.of(
                new Feedback("u007", m.itemIds().idAt(freshItem), 4),
                new Feedback("u007", m.itemIds().idAt(oldItem), 2.5),
                new Feedback("u007", "424242", 1),
                new Feedback("u010x", "101", 3),
                new Feedback("u010x", "104", 0.5));
        Recommender.Update update;
        Recommender.Update again;
        FoldedUser newcomer;
        try (Recommender one = recommender(m, new EliminationSolver(), 1);
             Recommender three = recommender(m, new EliminationSolver(), 3)) {
            update = one.update(feedback);
            again = three.update(feedback);
            newcomer = one.foldIn(List.of(new Interaction("101", 3), new Interaction("104", 0.5)));
        }
        assertEquals(update.model(), again.model(), "the same for every thread count");
        Model n = update.model();
        assertEquals(21, n.userIds().size());
        int fresh = n.userIds().indexOf("u010x");
        assertEquals(11, fresh, "u010x sorts between u010 and u011");
        assertArrayEquals(new int[] {7, 11}, update.refitUsers());
        assertEquals(List.of("424242"), update.unknownItems());
        assertEquals(m.itemFactors(), n.itemFactors());

        // User 7: its old items as observed with confidence 1, except the one given again, plus the new one.
        Map<Integer, Double> values = new TreeMap<>();
        for (int e = ptr[u7]; e < ptr[u7 + 1]; e++) {
            values.put(idx[e], Double.NaN);
        }
        values.put(oldItem, 2.5);
        values.put(freshItem, 4.0);
        assertClose(implicitByHand(m, values), n.userFactors().row(7), null);
        assertArrayEquals(values.keySet().stream().mapToInt(Integer::intValue).toArray(), pattern(n, 7));
        // The new user is its fold-in, bit for bit, and its pattern is its items.
        assertArrayEquals(newcomer.factors(), n.userFactors(0).copy().row(fresh), 0.0);
        assertArrayEquals(new int[] {1, 4}, pattern(n, fresh));
        // Everyone else keeps row and pattern, at the shifted index past the newcomer.
        for (int u = 0; u < 20; u++) {
            if (u == u7) {
                continue;
            }
            int at = n.userIds().indexOf(m.userIds().idAt(u));
            assertEquals(u < 11 ? u : u + 1, at);
            assertArrayEquals(m.userFactors().row(u), n.userFactors().row(at), 0.0);
            assertArrayEquals(pattern(m, u), pattern(n, at));
        }
        TrainingInfo info = n.trainingInfo().orElseThrow();
        assertEquals(21, info.users());
        assertEquals(n.ratedIndices().length, info.ratings());
        assertEquals(m.trainingInfo().orElseThrow().implicit(), info.implicit());
    }

    @Test
    void anExplicitUpdateRefitsFromTheGivenValuesOnlyAndReplacesTheBiases() {
        Model m = model(32, 10, 20, 3, 2, true, false, 0.3);
        int u = 4;
        Map<Integer, Double> values = new TreeMap<>(Map.of(0, 5.0, 6, 2.0, 13, 4.0, 19, 1.0));
        List<Feedback> feedback = new ArrayList<>();
        values.forEach((i, v) -> feedback.add(new Feedback("u004", m.itemIds().idAt(i), v)));
        Model n;
        try (Recommender r = recommender(m, new EliminationSolver(), 2)) {
            n = r.update(feedback).model();
            String message = assertThrows(IllegalArgumentException.class,
                    () -> r.update(List.of(new Feedback("u001", "5555", 3)))).getMessage();
            assertTrue(message.contains("user u001 has no interaction"), message);
            assertThrows(IllegalArgumentException.class, () -> r.update(List.of(new Feedback("u001", "101", 3),
                    new Feedback("u001", "101", 4))));
        }
        for (int s = 0; s < 2; s++) {
            double[] want = explicitByHand(m, s, values);
            assertClose(Arrays.copyOf(want, 3), n.userFactors(s).copy().row(u), null);
            assertEquals(want[3], n.userBiases(s).get(u), 1e-9);
            assertEquals(m.userBiases(s).get(u + 1), n.userBiases(s).get(u + 1), 0.0);
            assertEquals(m.itemFactors(s), n.itemFactors(s));
        }
        assertEquals(m.globalMean(), n.globalMean());
        // The pattern is the old one plus the given items.
        java.util.TreeSet<Integer> union = new java.util.TreeSet<>(values.keySet());
        for (int i : pattern(m, u)) {
            union.add(i);
        }
        assertArrayEquals(union.stream().mapToInt(Integer::intValue).toArray(), pattern(n, u));
        assertFalse(Arrays.equals(pattern(m, u), pattern(n, u)));
    }

    @Test
    void newUsersOfANumericModelMustHaveNumericIds() {
        FactorMatrix users = FactorMatrix.of(2, 1, 1, 2);
        FactorMatrix items = FactorMatrix.of(2, 1, 1, -1);
        Model plain = new Model(IdIndex.ofNumeric(10, 20), IdIndex.ofNumeric(1, 2), users, items, 0,
                new double[2], new double[2], new int[] {0, 1, 2}, new int[] {0, 1});
        Model m = Model.builder(plain.userIds(), plain.itemIds(), 1, 1).addSample(users, items)
                .rated(plain.ratedPointers(), plain.ratedIndices())
                .training(RecommenderFixtures.explicitInfo(1, 1, false, 2, 2, 2)).build();
        try (Recommender r = recommender(m, new EliminationSolver(), 1)) {
            assertThrows(IllegalArgumentException.class, () -> r.update(List.of(new Feedback("abc", "1", 3))));
            Model n = r.update(List.of(new Feedback(" 015", "1", 3))).model();
            assertEquals(1, n.userIds().indexOf("15"));
            // Ridge by hand: (1 + 0.1 * 1) x = 3 * 1.
            assertEquals(3 / 1.1, n.userFactors().get(1, 0), 1e-12);
        }
    }

    private static int[] pattern(Model m, int u) {
        int[] ptr = m.ratedPointers();
        return Arrays.copyOfRange(m.ratedIndices(), ptr[u], ptr[u + 1]);
    }

    /**
     * Folding a training user's own row (values included) into the fitted model gives that
     * user's factors back, since a fit ends with a user half-step against the same item
     * factors: with zeros in the data too, which the fit reads as no preference.
     */
    @Test
    void foldingInATrainingRowGivesItsFactorsBackZerosIncluded() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(12);
        Ratings.Builder b = Ratings.builder();
        for (int u = 1; u <= 25; u++) {
            for (int i = 1; i <= 18; i++) {
                if (rnd.nextInt(3) == 0 || i == u % 18 + 1) {
                    b.add(u, i, rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(5));
                }
            }
        }
        Ratings data = b.build();
        AlsConfig config = AlsConfig.builder().implicit(true).alpha(0.8).rank(3).iterations(4).threads(1)
                .rowSolve(ImplicitFeedback.RowSolve.CHOLESKY).build();
        Model m = new AlternatingLeastSquares(config, new EliminationSolver()).fit(data, FitListener.NONE);
        SparseView rows = data.byUser();
        int withZero = 0;
        try (Recommender r = recommender(m, new EliminationSolver(), 1)) {
            for (int u = 0; u < rows.rows(); u++) {
                List<Interaction> given = new ArrayList<>();
                boolean positive = false;
                for (int e = rows.start(u); e < rows.end(u); e++) {
                    given.add(new Interaction(data.itemIds().idAt(rows.index(e)), rows.value(e)));
                    withZero += rows.value(e) == 0 ? 1 : 0;
                    positive |= rows.value(e) > 0;
                }
                if (!positive) {
                    continue;
                }
                int at = m.userIds().indexOf(data.userIds().idAt(u));
                assertClose(m.userFactors().row(at), r.foldIn(given).factors(), null);
            }
        }
        assertTrue(withZero > 10, "the data has zeros: " + withZero);
    }

    /**
     * On data of pairs (every value 1) the model knows its training values exactly, so an update
     * that gives only a new item weighs the user's other items as the fit did: the same row as
     * an update that gives them all again with their value 1.
     */
    @Test
    void anUpdateOnPairsWeighsTheUntouchedItemsAsTheFitDid() {
        Ratings.Builder b = Ratings.builder();
        for (int u = 1; u <= 20; u++) {
            for (int i = 1; i <= 15; i++) {
                if ((u * 7 + i * 3) % 4 == 0 || i == u % 15 + 1) {
                    b.add(u, i, 1);
                }
            }
        }
        Ratings data = b.build();
        AlsConfig config = AlsConfig.builder().implicit(true).alpha(0.5).rank(3).iterations(3).threads(1)
                .rowSolve(ImplicitFeedback.RowSolve.CHOLESKY).build();
        Model m = new AlternatingLeastSquares(config, new EliminationSolver()).fit(data, FitListener.NONE);
        int u = m.userIds().indexOf("4");
        List<Feedback> all = new ArrayList<>();
        String fresh = null;
        for (int i = 0; i < m.itemIds().size(); i++) {
            if (RecommenderFixtures.rated(m, u, i)) {
                all.add(new Feedback("4", m.itemIds().idAt(i), 1));
            } else if (fresh == null) {
                fresh = m.itemIds().idAt(i);
            }
        }
        all.add(new Feedback("4", fresh, 1));
        try (Recommender r = recommender(m, new EliminationSolver(), 1)) {
            double[] onlyNew = r.update(List.of(new Feedback("4", fresh, 1))).model().userFactors().row(u);
            double[] everything = r.update(all).model().userFactors().row(u);
            assertClose(everything, onlyNew, null);
        }
    }
}
