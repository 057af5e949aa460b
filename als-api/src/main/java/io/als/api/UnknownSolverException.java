package io.als.api;

import java.util.Locale;
import java.util.SortedSet;

/**
 * The configured solver name is not installed. The message lists the installed names and,
 * when the name is a near miss of one of them (at most {@value #MAX_SUGGESTION_DISTANCE}
 * letters added, removed or changed, in any letter case), asks whether that one was meant;
 * only when nothing is close does it say how a solver is installed.
 */
public class UnknownSolverException extends ConfigurationException {
    /** The largest edit distance at which an installed name is suggested. */
    static final int MAX_SUGGESTION_DISTANCE = 2;

    private final String name;
    private final SortedSet<String> known;
    private final String suggestion;

    public UnknownSolverException(String name, String source, SortedSet<String> known) {
        this(name, source, known, nearest(name, known));
    }

    private UnknownSolverException(String name, String source, SortedSet<String> known, String suggestion) {
        super("solver must be one of " + known + " but was '" + name + "'" + (source == null ? "" : " (from " + source + ")")
                + (suggestion != null ? "; did you mean '" + suggestion + "'?"
                        : "; a solver is installed by putting its jar (e.g. als-solver-nd4j) on the classpath"));
        this.name = name;
        this.known = known;
        this.suggestion = suggestion;
    }

    public String name() {
        return name;
    }

    public SortedSet<String> known() {
        return known;
    }

    /** The installed name suggested in the message, or null when none is close. */
    public String suggestion() {
        return suggestion;
    }

    /**
     * The installed name closest to {@code wanted} ignoring letter case, if it is within
     * {@link #MAX_SUGGESTION_DISTANCE} edits and shorter than {@code wanted} in distance (so a
     * one- or two-letter name does not match everything); the first in sorted order on a tie.
     */
    static String nearest(String wanted, SortedSet<String> known) {
        if (wanted == null) {
            return null;
        }
        String w = wanted.trim().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= MAX_SUGGESTION_DISTANCE && bestDistance < w.length() ? best : null;
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
