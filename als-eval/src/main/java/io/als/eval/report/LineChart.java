package io.als.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart drawn as SVG text: axes with rounded ticks, one coloured polyline with
 * markers per series, and a legend. Enough for RMSE curves; no dependencies.
 */
public final class LineChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;
    private static final int TICKS = 6;
    /** Series with more points than this are drawn without markers, which would hide the line. */
    private static final int MAX_MARKED_POINTS = 40;
    /** Legend characters that fit in {@link #RIGHT} pixels beside the plot, at 12 px. */
    static final int LEGEND_CHARS = 22;
    /** About what fits across the chart at the title's font size. */
    private static final int TITLE_CHARS = 84;
    /** Colour-blind-safe palette (Okabe and Ito's eight colours, less black). */
    private static final String[] COLOURS = {
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
    };

    /** One line: a name for the legend and its points (NaN y values are skipped). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " must have as many x as y values but had "
                        + x.length + " and " + y.length);
            }
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();

    /** @param logX plot x on a log scale (for lambda grids); x values must then be positive */
    public LineChart(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    public LineChart add(String name, double[] x, double[] y) {
        return add(new Series(name, x, y));
    }

    /** The chart as a complete SVG document. */
    public String toSvg() {
        double[] xr = range(true);
        double[] yr = range(false);
        double[] xTicks = logX ? logTicks(xr) : wholeX() ? wholeTicks(ticks(xr)) : ticks(xr);
        double[] yTicks = ticks(yr);
        if (!logX) {
            xr = new double[] {Math.min(xr[0], xTicks[0]), Math.max(xr[1], xTicks[xTicks.length - 1])};
        }
        yr = new double[] {Math.min(yr[0], yTicks[0]), Math.max(yr[1], yTicks[yTicks.length - 1])};
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">%s</text>%n",
                WIDTH / 2, escape(shorten(title))));
        // Grid and ticks.
        for (double t : yTicks) {
            double y = py(t, yr);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotWidth(), y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, label(t, yTicks)));
        }
        for (double t : xTicks) {
            double x = px(t, xr);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n",
                    x, TOP, x, TOP + plotHeight()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, TOP + plotHeight() + 18, label(t, xTicks)));
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#333\"/>%n", LEFT, TOP, plotWidth(), plotHeight()));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotWidth() / 2, HEIGHT - 12, escape(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 16 %d)\">%s</text>%n", TOP + plotHeight() / 2, TOP + plotHeight() / 2,
                escape(yLabel)));
        // Lines, markers, legend.
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder markers = new StringBuilder();
            for (int j = 0; j < line.x().length; j++) {
                if (!Double.isFinite(line.y()[j]) || !Double.isFinite(line.x()[j])) {
                    continue;
                }
                double x = px(line.x()[j], xr);
                double y = py(line.y()[j], yr);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                if (line.x().length <= MAX_MARKED_POINTS) {
                    markers.append(String.format(Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", x, y, colour));
                }
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\""
                    + " points=\"%s\"/>%n", colour, points.toString().trim()));
            sb.append(markers);
            int ly = TOP + 10 + 18 * s;
            int lx = LEFT + plotWidth() + 14;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2\"/>%n", lx, ly, lx + 20, ly, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 26, ly + 4,
                    escape(legend(line.name()))));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private double px(double x, double[] r) {
        double v = logX ? Math.log10(x) : x;
        double lo = logX ? Math.log10(r[0]) : r[0];
        double hi = logX ? Math.log10(r[1]) : r[1];
        return LEFT + (hi == lo ? 0.5 : (v - lo) / (hi - lo)) * plotWidth();
    }

    private double py(double y, double[] r) {
        return TOP + plotHeight() - (r[1] == r[0] ? 0.5 : (y - r[0]) / (r[1] - r[0])) * plotHeight();
    }

    /** The finite min and max over every series, widened a little when they coincide. */
    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = xAxis ? s.x() : s.y();
            double[] other = xAxis ? s.y() : s.x();
            for (int j = 0; j < v.length; j++) {
                if (Double.isFinite(v[j]) && Double.isFinite(other[j]) && (!xAxis || !logX || v[j] > 0)) {
                    lo = Math.min(lo, v[j]);
                    hi = Math.max(hi, v[j]);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.05;
            return logX && xAxis ? new double[] {lo / 2, hi * 2} : new double[] {lo - pad, hi + pad};
        }
        return new double[] {lo, hi};
    }

    /** Whether every x value is a whole number (iterations, ranks): the axis then has whole ticks only. */
    private boolean wholeX() {
        for (Series s : series) {
            for (double x : s.x()) {
                if (Double.isFinite(x) && x != Math.rint(x)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code ticks} with a step of at least 1, from a whole number. */
    static double[] wholeTicks(double[] ticks) {
        if (ticks.length < 2 || ticks[1] - ticks[0] >= 1) {
            return ticks;
        }
        double first = Math.floor(ticks[0]);
        double last = Math.ceil(ticks[ticks.length - 1]);
        double[] t = new double[(int) (last - first) + 1];
        for (int j = 0; j < t.length; j++) {
            t[j] = first + j;
        }
        return t;
    }

    /** A legend entry that fits the space right of the plot (about {@link #LEGEND_CHARS} characters). */
    static String legend(String name) {
        return name.length() <= LEGEND_CHARS ? name : name.substring(0, LEGEND_CHARS - 3) + "...";
    }

    /** About {@link #TICKS} round values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
    static double[] ticks(double[] r) {
        double raw = (r[1] - r[0]) / TICKS;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double first = Math.floor(r[0] / step) * step;
        double last = Math.ceil(r[1] / step) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[n];
        for (int j = 0; j < n; j++) {
            t[j] = first + j * step;
        }
        return t;
    }

    /** The x values themselves when few, else powers of ten, for a log axis. */
    private double[] logTicks(double[] r) {
        List<Double> distinct = new ArrayList<>();
        for (Series s : series) {
            for (double x : s.x()) {
                if (x > 0 && !distinct.contains(x)) {
                    distinct.add(x);
                }
            }
        }
        if (distinct.size() <= 10) {
            return distinct.stream().sorted().mapToDouble(Double::doubleValue).toArray();
        }
        List<Double> out = new ArrayList<>();
        for (double p = Math.pow(10, Math.floor(Math.log10(r[0]))); p <= r[1] * 1.0001; p *= 10) {
            if (p >= r[0] / 1.0001) {
                out.add(p);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String label(double v, double[] all) {
        double span = Math.abs(all[all.length - 1] - all[0]);
        int decimals = span == 0 ? 3 : Math.max(0, Math.min(6, (int) Math.ceil(-Math.log10(span / all.length)) + 1));
        boolean whole = true;
        for (double t : all) {
            whole &= t == Math.rint(t);
        }
        return whole ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%." + decimals + "f", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** Titles longer than {@link #TITLE_CHARS} lose their middle, which is usually a long path. */
    static String shorten(String s) {
        if (s.length() <= TITLE_CHARS) {
            return s;
        }
        int head = TITLE_CHARS / 3;
        return s.substring(0, head) + "..." + s.substring(s.length() - (TITLE_CHARS - head - 3));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
