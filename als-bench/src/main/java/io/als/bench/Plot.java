package io.als.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Draws seconds per iteration against rank from a {@link FitBench} CSV as an SVG: one line
 * per solver, and the DGEMM ceiling (the time the same flops would take at the DGEMM rate
 * measured in that run). Both axes are logarithmic.
 * <pre>
 *   java -cp 'als-bench/target/als-bench.jar:als-bench/target/lib/*' io.als.bench.Plot RESULTS.csv OUT.svg [DATA]
 * </pre>
 * {@code DATA} selects the rows of one data set (default: the first one in the file).
 */
public final class Plot {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    private Plot() {
    }

    public static void main(String[] argv) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(argv[0]));
        String[] head = lines.get(0).split(",");
        Map<String, Integer> col = new TreeMap<>();
        for (int i = 0; i < head.length; i++) {
            col.put(head[i], i);
        }
        String data = argv.length > 2 ? argv[2] : lines.get(1).split(",")[col.get("data")];
        Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
        TreeMap<Integer, Double> ceiling = new TreeMap<>();
        int threads = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (!f[col.get("data")].equals(data)) {
                continue;
            }
            int rank = Integer.parseInt(f[col.get("rank")]);
            threads = Integer.parseInt(f[col.get("threads")]);
            series.computeIfAbsent(f[col.get("solver")], s -> new TreeMap<>())
                    .put(rank, Double.parseDouble(f[col.get("seconds_per_iteration")]));
            double dgemm = Double.parseDouble(f[col.get("dgemm_gflops")]);
            if (dgemm > 0) {
                ceiling.put(rank, Double.parseDouble(f[col.get("flops_per_iteration")]) / (dgemm * 1e9));
            }
        }
        List<Double> all = new ArrayList<>(ceiling.values());
        series.values().forEach(m -> all.addAll(m.values()));
        double yMin = Math.pow(10, Math.floor(Math.log10(all.stream().mapToDouble(d -> d).min().orElse(1e-3))));
        double yMax = Math.pow(10, Math.ceil(Math.log10(all.stream().mapToDouble(d -> d).max().orElse(1))));
        List<Integer> ranks = new ArrayList<>();
        series.values().forEach(m -> m.keySet().forEach(r -> {
            if (!ranks.contains(r)) {
                ranks.add(r);
            }
        }));
        ranks.sort(Integer::compare);
        double xMin = ranks.get(0);
        double xMax = ranks.get(ranks.size() - 1);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"13\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"15\">Seconds per ALS iteration"
                + " on %s, %d threads</text>%n", LEFT, escape(data), threads));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#444\"/>%n", LEFT, TOP, plotW, plotH));
        for (double y = yMin; y <= yMax * 1.0001; y *= 10) {
            double py = py(y, yMin, yMax, plotH);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, LEFT + plotW, py, py));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, py + 4, seconds(y)));
        }
        for (int r : ranks) {
            double px = px(r, xMin, xMax, plotW);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n",
                    px, px, TOP, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
                    px, TOP + plotH + 18, r));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">rank k</text>%n",
                LEFT + plotW / 2, HEIGHT - 15));
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%d) rotate(-90)\""
                + " text-anchor=\"middle\">seconds per iteration (log)</text>%n", TOP + plotH / 2));
        int legendY = TOP + 10;
        int c = 0;
        for (Map.Entry<String, TreeMap<Integer, Double>> s : series.entrySet()) {
            String colour = COLOURS[c++ % COLOURS.length];
            line(svg, s.getValue(), colour, "", xMin, xMax, yMin, yMax, plotW, plotH);
            legend(svg, legendY, colour, "", s.getKey());
            legendY += 22;
        }
        if (!ceiling.isEmpty()) {
            line(svg, ceiling, "#555", " stroke-dasharray=\"6,4\"", xMin, xMax, yMin, yMax, plotW, plotH);
            legend(svg, legendY, "#555", " stroke-dasharray=\"6,4\"", "DGEMM ceiling");
            legend(svg, legendY + 16, "none", "", "(same flops at the");
            legend(svg, legendY + 32, "none", "", " run's DGEMM rate)");
        }
        svg.append("</svg>\n");
        Files.writeString(Path.of(argv[1]), svg.toString());
    }

    private static void line(StringBuilder svg, TreeMap<Integer, Double> points, String colour, String dash,
                             double xMin, double xMax, double yMin, double yMax, int plotW, int plotH) {
        StringBuilder path = new StringBuilder();
        for (Map.Entry<Integer, Double> p : points.entrySet()) {
            path.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", path.length() == 0 ? "M" : "L",
                    px(p.getKey(), xMin, xMax, plotW), py(p.getValue(), yMin, yMax, plotH)));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                path.toString().trim(), colour, dash));
        for (Map.Entry<Integer, Double> p : points.entrySet()) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                    px(p.getKey(), xMin, xMax, plotW), py(p.getValue(), yMin, yMax, plotH), colour));
        }
    }

    private static void legend(StringBuilder svg, int y, String colour, String dash, String label) {
        int x = WIDTH - RIGHT + 15;
        if (!colour.equals("none")) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"%s/>%n", x, x + 24, y, y, colour, dash));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y + 4, escape(label)));
    }

    private static double px(double rank, double xMin, double xMax, int plotW) {
        double span = Math.log(xMax) - Math.log(xMin);
        return LEFT + (span == 0 ? plotW / 2.0 : (Math.log(rank) - Math.log(xMin)) / span * plotW);
    }

    private static double py(double seconds, double yMin, double yMax, int plotH) {
        return TOP + plotH - (Math.log(seconds) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin)) * plotH;
    }

    private static String seconds(double s) {
        return s >= 1 ? String.format(Locale.ROOT, "%.0f s", s) : s >= 1e-3
                ? String.format(Locale.ROOT, "%.0f ms", s * 1e3) : String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
