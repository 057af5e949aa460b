package io.als.eval.report;

import io.als.internal.AtomicFiles;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.FoldResult;
import io.als.eval.tune.GridSearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes evaluation figures into a folder, each file atomically: CSV tables for programs and
 * SVG line charts for people.
 *
 * <ul>
 *   <li>{@code cv-folds.csv}: one row per split (RMSE, MAE, counts, times);</li>
 *   <li>{@code cv-iterations.csv}: train and test RMSE after every iteration of every split;</li>
 *   <li>{@code rmse-per-iteration.svg}: test RMSE per iteration, one line per split;</li>
 *   <li>{@code tune-grid.csv} and {@code rmse-grid.svg}: mean CV RMSE over the tuning grid,
 *       against lambda with one line per rank.</li>
 * </ul>
 */
public final class Reports {
    /** The files {@link #writeCv} writes into its folder. */
    public static final List<String> CV_FILES = List.of("cv-folds.csv", "cv-iterations.csv", "rmse-per-iteration.svg");
    /** The files {@link #writeGrid} writes into its folder. */
    public static final List<String> GRID_FILES = List.of("tune-grid.csv", "rmse-grid.svg", "cv-folds.csv",
            "cv-iterations.csv", "rmse-per-iteration.svg");

    private Reports() {
    }

    /** Writes the cross-validation files; returns the paths written. */
    public static List<Path> writeCv(Path dir, CvResult cv, String title) throws IOException {
        Csv folds = new Csv("split", "rmse", "mae", "scored", "test_ratings", "cold", "cold_users", "cold_items",
                "cold_rmse", "train_ratings", "iterations", "train_seconds", "seconds_per_iteration");
        Csv iterations = new Csv("split", "iteration", "train_rmse", "test_rmse");
        LineChart chart = new LineChart("Test RMSE per iteration: " + title, "iteration", "RMSE", false);
        for (FoldResult f : cv.folds()) {
            folds.row(f.name(), f.metrics().rmse(), f.metrics().mae(), f.metrics().scored(), f.metrics().total(),
                    f.metrics().cold(), f.metrics().coldUsers(), f.metrics().coldItems(), f.metrics().coldRmse(),
                    f.trainRatings(), f.iterations(), f.trainSeconds(), f.secondsPerIteration());
            double[] x = new double[f.testRmse().length];
            for (int it = 0; it < x.length; it++) {
                x[it] = it + 1;
                iterations.row(f.name(), it + 1, f.trainRmse()[it], f.testRmse()[it]);
            }
            chart.add(f.name(), x, f.testRmse());
        }
        List<Path> out = new ArrayList<>();
        out.add(write(dir.resolve(CV_FILES.get(0)), folds.toString()));
        out.add(write(dir.resolve(CV_FILES.get(1)), iterations.toString()));
        out.add(write(dir.resolve(CV_FILES.get(2)), chart.toSvg()));
        return out;
    }

    /** Writes the tuning files (and the winner's cross-validation files); returns the paths written. */
    public static List<Path> writeGrid(Path dir, GridSearch.Result grid, String title) throws IOException {
        Csv table = new Csv("rank", "lambda", "rmse_mean", "rmse_std", "mae_mean", "heldout_rmse_mean",
                "train_seconds_mean", "seconds_per_iteration", "best");
        TreeSet<Integer> ranks = new TreeSet<>();
        for (GridSearch.Point p : grid.points()) {
            ranks.add(p.rank());
            table.row(p.rank(), p.lambda(), p.cv().rmseMean(), p.cv().rmseStd(), p.cv().maeMean(),
                    p.cv().extraRmseMean(), p.cv().trainSecondsMean(), p.cv().secondsPerIteration(), p == grid.best());
        }
        boolean logX = grid.points().stream().allMatch(p -> p.lambda() > 0);
        LineChart chart = new LineChart("CV RMSE over the grid: " + title, "lambda", "mean CV RMSE", logX);
        for (int rank : ranks) {
            List<GridSearch.Point> line = grid.points().stream().filter(p -> p.rank() == rank)
                    .sorted((a, b) -> Double.compare(a.lambda(), b.lambda())).toList();
            chart.add("rank " + rank, line.stream().mapToDouble(GridSearch.Point::lambda).toArray(),
                    line.stream().mapToDouble(p -> p.cv().rmseMean()).toArray());
        }
        List<Path> out = new ArrayList<>();
        out.add(write(dir.resolve(GRID_FILES.get(0)), table.toString()));
        out.add(write(dir.resolve(GRID_FILES.get(1)), chart.toSvg()));
        out.addAll(writeCv(dir, grid.best().cv(), title + ", best setting"));
        return out;
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
        return file;
    }
}
