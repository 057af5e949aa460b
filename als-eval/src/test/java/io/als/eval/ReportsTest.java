package io.als.eval;

import io.als.eval.reference.TextbookSolver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.als.api.AlsConfig;
import io.als.api.Ratings;
import io.als.eval.cv.ColdStart;
import io.als.eval.cv.CrossValidation;
import io.als.eval.cv.CvResult;
import io.als.eval.cv.Splits;
import io.als.eval.data.ObservedScale;
import io.als.eval.data.SyntheticRatings;
import io.als.eval.report.Reports;
import io.als.eval.tune.GridSearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportsTest {
    private static final Ratings DATA = SyntheticRatings.generate(
            new SyntheticRatings.Spec(100, 80, 3000, 2, 0.8, 2)).ratings();
    private static final CrossValidation.Settings SETTINGS = new CrossValidation.Settings(
            AlsConfig.plain().rank(2).iterations(5).seed(1).threads(1).build(),
            new TextbookSolver(), ColdStart.BASELINE, ObservedScale.of(DATA));

    private static Document parse(Path svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    }

    @Test
    void cvReportHasOneRowPerFoldAndIterationAndAWellFormedPlot(@TempDir Path dir) throws Exception {
        CvResult cv = CrossValidation.run(Splits.kFold(DATA, 3, 1), SETTINGS, CrossValidation.Progress.NONE);
        List<Path> files = Reports.writeCv(dir.resolve("out"), cv, "test <data> & more");
        assertEquals(3, files.size());
        List<String> folds = Files.readAllLines(dir.resolve("out/cv-folds.csv"));
        assertEquals(4, folds.size(), "header and three folds");
        assertTrue(folds.get(1).startsWith("fold 1 of 3," + cv.folds().get(0).metrics().rmse() + ","), folds.get(1));
        List<String> its = Files.readAllLines(dir.resolve("out/cv-iterations.csv"));
        assertEquals(1 + 3 * 5, its.size());
        Document svg = parse(dir.resolve("out/rmse-per-iteration.svg"));
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        assertEquals(3, svg.getElementsByTagName("polyline").getLength(), "one line per fold");
        assertEquals(15, svg.getElementsByTagName("circle").getLength(), "one marker per point");
        assertTrue(Files.readString(dir.resolve("out/rmse-per-iteration.svg")).contains("test &lt;data&gt; &amp; more"));
    }

    @Test
    void gridReportHasOneRowPerSettingAndALinePerRank(@TempDir Path dir) throws Exception {
        GridSearch.Result g = GridSearch.run(DATA, List.of(1, 2), List.of(0.05, 0.1, 0.2), SETTINGS, 2, 1, 0.1,
                (p, ps, f, fs, it, its) -> { });
        Reports.writeGrid(dir, g, "grid");
        List<String> rows = Files.readAllLines(dir.resolve("tune-grid.csv"));
        assertEquals(7, rows.size());
        assertEquals(1, rows.stream().filter(r -> r.endsWith(",true")).count(), "one best row");
        Document svg = parse(dir.resolve("rmse-grid.svg"));
        assertEquals(2, svg.getElementsByTagName("polyline").getLength());
        assertTrue(Files.exists(dir.resolve("rmse-per-iteration.svg")), "the winner's curves too");
    }
}
