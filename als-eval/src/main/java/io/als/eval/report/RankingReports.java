package io.als.eval.report;

import io.als.eval.rank.RankingFold;
import io.als.eval.rank.RankingGridSearch;
import io.als.eval.rank.RankingMetrics;
import io.als.eval.rank.RankingResult;
import io.als.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the figures of a ranking evaluation into a folder, each file atomically, in the
 * manner of {@link Reports}; every table has the popularity baseline's rows beside the model's.
 *
 * <ul>
 *   <li>{@code ranking-folds.csv}: per split, model and cutoff, every metric and the counts;</li>
 *   <li>{@code ranking-iterations.csv} and {@code ndcg-per-iteration.svg}: NDCG at the main
 *       cutoff after every iteration, one line per split, with the baseline as a flat line;</li>
 *   <li>{@code ranking-grid.csv} and {@code ndcg-grid.svg}: mean NDCG over a tuning grid,
 *       against lambda with one line per rank (and alpha), and the baseline.</li>
 * </ul>
 */
public final class RankingReports {
    /** The files {@link #writeCv} writes. */
    public static final List<String> CV_FILES = List.of("ranking-folds.csv", "ranking-iterations.csv",
            "ndcg-per-iteration.svg");
    /** The files {@link #writeGrid} writes (and the best setting's {@link #CV_FILES}). */
    public static final List<String> GRID_FILES = List.of("ranking-grid.csv", "ndcg-grid.svg");
    static final String BASELINE = "popularity";

    private RankingReports() {
    }

    public static List<Path> writeCv(Path dir, RankingResult result, String title) throws IOException {
        List<String> header = new ArrayList<>(List.of("split", "model", "k"));
        header.addAll(RankingMetrics.NAMES);
        header.addAll(List.of("users", "test_positives", "cold_items", "train_positives", "iterations",
                "train_seconds"));
        Csv folds = new Csv(header.toArray(String[]::new));
        Csv iterations = new Csv("split", "iteration", "ndcg");
        int k = result.k();
        LineChart chart = new LineChart("NDCG@" + k + " per iteration: " + title, "iteration", "NDCG@" + k, false);
        int longest = 0;
        for (RankingFold f : result.folds()) {
            for (boolean baseline : new boolean[] {false, true}) {
                for (int cut : result.cutoffs()) {
                    RankingMetrics.Scores s = f.at(cut, baseline);
                    List<Object> row = new ArrayList<>(List.of(f.name(), baseline ? BASELINE : "als", cut));
                    RankingMetrics.NAMES.forEach(m -> row.add(s.get(m)));
                    row.addAll(List.of(s.users(), f.testPositives(), f.coldItems(), f.trainPositives(),
                            baseline ? 0 : f.iterations(), baseline ? 0.0 : f.trainSeconds()));
                    folds.row(row.toArray());
                }
            }
            double[] x = new double[f.ndcgPerIteration().length];
            for (int it = 0; it < x.length; it++) {
                x[it] = it + 1;
                iterations.row(f.name(), it + 1, f.ndcgPerIteration()[it]);
            }
            longest = Math.max(longest, x.length);
            chart.add(f.name(), x, f.ndcgPerIteration());
        }
        if (longest > 0) {
            double flat = result.mean("ndcg", k, true);
            chart.add(BASELINE + " (mean)", new double[] {1, longest}, new double[] {flat, flat});
        }
        List<Path> out = new ArrayList<>();
        out.add(write(dir.resolve(CV_FILES.get(0)), folds.toString()));
        out.add(write(dir.resolve(CV_FILES.get(1)), iterations.toString()));
        out.add(write(dir.resolve(CV_FILES.get(2)), chart.toSvg()));
        return out;
    }

    public static List<Path> writeGrid(Path dir, RankingGridSearch.Result grid, String title) throws IOException {
        RankingResult any = grid.baseline();
        List<String> header = new ArrayList<>(List.of("model", "rank", "lambda", "alpha"));
        for (int cut : any.cutoffs()) {
            RankingMetrics.NAMES.forEach(m -> header.add(m + "_at_" + cut));
        }
        header.addAll(List.of("ndcg_std", "train_seconds_mean", "best"));
        Csv table = new Csv(header.toArray(String[]::new));
        int k = any.k();
        for (RankingGridSearch.Point p : grid.points()) {
            List<Object> row = new ArrayList<>(List.of("als", p.rank(), p.lambda(), p.alpha()));
            addMeans(row, p.result(), false);
            row.addAll(List.of(p.result().std("ndcg", k, false), p.result().trainSecondsMean(), p == grid.best()));
            table.row(row.toArray());
        }
        List<Object> base = new ArrayList<>(List.of(BASELINE, "", "", ""));
        addMeans(base, any, true);
        base.addAll(List.of(any.std("ndcg", k, true), 0.0, false));
        table.row(base.toArray());
        boolean logX = grid.points().stream().allMatch(p -> p.lambda() > 0);
        LineChart chart = new LineChart("NDCG@" + k + " over the grid: " + title, "lambda", "mean NDCG@" + k, logX);
        Set<String> lines = new LinkedHashSet<>();
        grid.points().forEach(p -> lines.add(line(p)));
        for (String name : lines) {
            List<RankingGridSearch.Point> on = grid.points().stream().filter(p -> line(p).equals(name))
                    .sorted((a, b) -> Double.compare(a.lambda(), b.lambda())).toList();
            chart.add(name, on.stream().mapToDouble(RankingGridSearch.Point::lambda).toArray(),
                    on.stream().mapToDouble(p -> p.result().ndcg()).toArray());
        }
        double[] lambdas = grid.points().stream().mapToDouble(RankingGridSearch.Point::lambda).sorted().toArray();
        double flat = any.mean("ndcg", k, true);
        chart.add(BASELINE, new double[] {lambdas[0], lambdas[lambdas.length - 1]}, new double[] {flat, flat});
        List<Path> out = new ArrayList<>();
        out.add(write(dir.resolve(GRID_FILES.get(0)), table.toString()));
        out.add(write(dir.resolve(GRID_FILES.get(1)), chart.toSvg()));
        out.addAll(writeCv(dir, grid.best().result(), title + ", best setting"));
        return out;
    }

    private static String line(RankingGridSearch.Point p) {
        return "rank " + p.rank() + (Double.isNaN(p.alpha()) ? "" : ", alpha " + shortNumber(p.alpha()));
    }

    private static void addMeans(List<Object> row, RankingResult r, boolean baseline) {
        for (int cut : r.cutoffs()) {
            RankingMetrics.NAMES.forEach(m -> row.add(r.mean(m, cut, baseline)));
        }
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    /** A number as given when short (0.5, 2.0), else to 4 significant digits (an alpha chosen from the data). */
    public static String shortNumber(double v) {
        String plain = String.valueOf(v);
        return plain.length() <= 7 ? plain : String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
