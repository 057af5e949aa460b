package io.als.eval.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.Model;
import io.als.api.Ratings;
import io.als.eval.data.SyntheticRatings;
import io.als.eval.reference.TextbookSolver;
import io.als.eval.report.RankingReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranking evaluation of small fits on synthetic data, with the plain-Java reference solver. */
class RankingEvaluationTest {
    private static final Ratings DATA = SyntheticRatings.generate(
            new SyntheticRatings.Spec(150, 100, 6000, 3, 0.5, 8)).ratings();

    private static RankingEvaluation.Settings settings() {
        AlsConfig c = AlsConfig.plain().rank(3).iterations(4).regularizer("weighted").lambda(0.1).seed(3).threads(1)
                .build();
        return new RankingEvaluation.Settings(c, new TextbookSolver(), RankingEvaluation.Settings.cutoffs(5), true);
    }

    private static List<RankingSplit> splits() {
        Positives p = Positives.atLeast(DATA, null, 4);
        return new RankingProtocol(RankingProtocol.Kind.KFOLD, 0.2, 2, 4, 1).splits(p);
    }

    @Test
    void everySplitHasModelAndBaselineAtEachCutoffAndACurve() {
        RankingResult r = RankingEvaluation.run(splits(), settings(), RankingEvaluation.Progress.NONE);
        assertEquals(List.of(5, 20), r.cutoffs());
        assertEquals(2, r.folds().size());
        for (RankingFold f : r.folds()) {
            assertEquals(4, f.ndcgPerIteration().length);
            assertEquals(4, f.iterations());
            for (int k : r.cutoffs()) {
                for (boolean base : new boolean[] {false, true}) {
                    RankingMetrics.Scores s = f.at(k, base);
                    for (String m : RankingMetrics.NAMES) {
                        assertTrue(s.get(m) >= 0 && s.get(m) <= 1, m + " " + s);
                    }
                }
            }
            // The last point of the curve is the final model's NDCG.
            assertEquals(f.at(5, false).ndcg(), f.ndcgPerIteration()[3], 1e-12);
        }
    }

    @Test
    void anImplicitFitBeatsPopularityOnPlantedStructure() {
        // Two tastes: even users take half of items 0..29 at random, odd users half of 30..59;
        // both halves are about equally popular, so only a personalised model can tell them apart.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 80; u++) {
            int first = u % 2 == 0 ? 0 : 30;
            for (int i = first; i < first + 30; i++) {
                if (rnd.nextBoolean()) {
                    b.add(u, i, 1);
                }
            }
        }
        AlsConfig c = AlsConfig.builder().implicit(true).rank(2).iterations(5).lambda(0.01).seed(3).threads(1).build();
        RankingEvaluation.Settings s = new RankingEvaluation.Settings(c, new TextbookSolver(),
                RankingEvaluation.Settings.cutoffs(5), false);
        List<RankingSplit> splits = new RankingProtocol(RankingProtocol.Kind.HOLDOUT, 0.3, 2, 5, 1)
                .splits(Positives.all(b.build(), null));
        RankingResult r = RankingEvaluation.run(splits, s, RankingEvaluation.Progress.NONE);
        assertEquals(0, r.folds().get(0).ndcgPerIteration().length, "no curve asked for");
        assertTrue(r.ndcg() > r.mean("ndcg", 5, true) + 0.1, r.ndcg() + " vs popularity " + r.mean("ndcg", 5, true));
    }

    @Test
    void recommendationsExcludeTrainingItemsAndPopularityRanksByCount() {
        RankingSplit s = splits().get(0);
        Model m = new io.als.api.AlternatingLeastSquares(settings().config(), new TextbookSolver()).fit(s.train());
        int[][] lists = TopN.DEFAULT.recommend(m, s.users(), 7, new TextbookSolver(), 1);
        Popularity pop = Popularity.of(s.train());
        int[][] popular = pop.recommend(s.users(), 7);
        var byUser = s.train().byUser();
        for (int j = 0; j < s.users().length; j++) {
            int u = s.users()[j];
            for (int[] list : new int[][] {lists[j], popular[j]}) {
                assertEquals(7, list.length);
                for (int i : list) {
                    for (int e = byUser.start(u); e < byUser.end(u); e++) {
                        assertTrue(byUser.index(e) != i, "item " + i + " is a training item of user " + u);
                    }
                }
            }
            for (int p = 1; p < 7; p++) {
                assertTrue(pop.count(popular[j][p - 1]) >= pop.count(popular[j][p]));
            }
        }
    }

    @Test
    void anAlphaFromTheDataIsChosenByEachSplitFromItsTrainingValuesOnly() {
        // Values 1..4, users with their own mix, so each split's training mean differs from the whole's.
        Ratings.Builder b = Ratings.builder();
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 12; i++) {
                b.add(u, (u + 3 * i) % 25, 1 + (u * 7 + i * i) % 4);
            }
        }
        Ratings all = b.build();
        List<RankingSplit> splits = new RankingProtocol(RankingProtocol.Kind.KFOLD, 0.2, 3, 5, 9)
                .splits(Positives.all(all, null));
        AlsConfig c = AlsConfig.builder().implicit(true).rank(2).iterations(2).lambda(0.01).seed(3).threads(1).build();
        RankingEvaluation.Settings s = new RankingEvaluation.Settings(c, new TextbookSolver(),
                RankingEvaluation.Settings.cutoffs(5), false);
        RankingGridSearch.Result g = RankingGridSearch.runGrid(splits, List.of(2), List.of(0.01),
                List.of(RankingGridSearch.Alpha.fromData(0.5), RankingGridSearch.Alpha.fixed(0.5)), s,
                (p, ps, sp, ss, it, its) -> { });
        double expected = 0;
        for (RankingSplit split : splits) {
            expected += 0.5 / split.train().meanPositiveValue() / splits.size();
        }
        RankingGridSearch.Point auto = g.points().get(0);
        assertTrue(auto.alphaFromData());
        assertEquals(expected, auto.alpha(), 1e-15);
        assertTrue(Math.abs(auto.alpha() - 0.5 / all.meanPositiveValue()) > 1e-6, "not the whole data's alpha");
        // Each split's fit is the one cv makes: the same figures as an evaluation with alpha auto.
        RankingResult cv = RankingEvaluation.run(splits, s.with(c.toBuilder().alpha(0.5).alphaAuto().build()),
                RankingEvaluation.Progress.NONE);
        assertEquals(cv.ndcg(), auto.result().ndcg());
        RankingGridSearch.Point fixed = g.points().get(1);
        assertEquals(0.5, fixed.alpha());
        assertTrue(!fixed.alphaFromData());
    }

    @Test
    void gridPicksTheHighestNdcgAndReportsWriteEveryFile(@TempDir Path dir) throws IOException {
        RankingGridSearch.Result g = RankingGridSearch.run(splits(), List.of(1, 3), List.of(0.05, 0.5),
                List.of(1.0), settings(), (p, ps, s, ss, it, its) -> { });
        assertEquals(4, g.points().size());
        for (RankingGridSearch.Point p : g.points()) {
            assertTrue(p.result().ndcg() <= g.best().result().ndcg());
            assertTrue(Double.isNaN(p.alpha()), "an explicit fit has no alpha");
        }
        List<Path> written = RankingReports.writeGrid(dir, g, "synthetic");
        assertEquals(5, written.size());
        // 4 settings, the baseline and the header.
        assertEquals(6, Files.readAllLines(dir.resolve("ranking-grid.csv")).size());
        // 2 splits x 2 models x 2 cutoffs, and the header.
        assertEquals(9, Files.readAllLines(dir.resolve("ranking-folds.csv")).size());
        assertTrue(Files.readString(dir.resolve("ndcg-per-iteration.svg")).contains("popularity (mean)"));
    }
}
