package io.als.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return:
 * {@code [#########.........]  45%  fold 2/5, iteration 7/10  0:12 left}. It draws only when
 * stderr is a terminal and {@code --quiet} is not given, so logs written to a file stay clean.
 * Java cannot ask whether stderr is a terminal ({@code System.console()} answers for stdin and
 * stdout), so the {@code als} script tells it: it sets {@value #STDERR_TTY} to {@code 1} when
 * {@code [ -t 2 ]} holds and to {@code 0} otherwise. Without the variable (java started by
 * hand) the bar stays off. While it draws,
 * the library's own INFO lines (one per fit, one per fold) are held back, since a log line
 * would break the bar; warnings still show. Redraws at most every {@link #REDRAW_NANOS}.
 */
final class ProgressBar implements AutoCloseable {
    /** The environment variable that says whether stderr is a terminal ({@code 1}) or not. */
    static final String STDERR_TTY = "ALS_STDERR_TTY";
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final ch.qos.logback.classic.Logger library =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.als");
    private final ch.qos.logback.classic.Level libraryLevel;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastLength;

    private ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        this.libraryLevel = library.getLevel();
        if (enabled) {
            library.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** A bar for this command line: on only when stderr is a terminal and without --quiet. */
    static ProgressBar forCli(Args args, Cli cli) {
        return new ProgressBar(cli.err(), draws(args.flag("quiet"), cli.env()));
    }

    /** Whether a bar draws: not with --quiet, and only when {@value #STDERR_TTY} says stderr is a terminal. */
    static boolean draws(boolean quiet, java.util.Map<String, String> env) {
        return !quiet && "1".equals(env.get(STDERR_TTY));
    }

    /** A bar that draws (or not) as told; for tests. */
    static ProgressBar to(PrintStream err, boolean enabled) {
        return new ProgressBar(err, enabled);
    }

    boolean enabled() {
        return enabled;
    }

    /** Shows {@code done} of {@code total} with a short description. */
    void update(double done, double total, String what) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        double fraction = total <= 0 ? 0 : Math.max(0, Math.min(1, done / total));
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (now - start) / 1e9;
        String eta = fraction > 0.01 && fraction < 1 ? "  " + clock(elapsed * (1 - fraction) / fraction) + " left" : "";
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(100 * fraction)) + "  " + what + eta;
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /** Clears the bar so the next output starts on a clean line. */
    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        library.setLevel(libraryLevel);
        if (lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
