package io.als.cli;

import io.als.api.AlsConfig;
import io.als.api.AlsException;
import io.als.api.DuplicatePolicy;
import io.als.api.RatingScale;
import io.als.api.RatingsFormat;
import io.als.eval.cv.ColdStart;
import io.als.eval.data.MovieLens;
import io.als.eval.data.SyntheticRatings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What makes a flag's value valid, checked when the command line is parsed, so that every bad
 * value fails with exit code 2, names its flag, and does so before any data or model is read.
 * The checks call the same parsers the commands use later (the library's, for settings of a
 * fit), so a value that passes here cannot fail there.
 *
 * <p>Checks are found by flag name ({@link #forFlag}), so every command that has a flag of that
 * name checks it alike; a command whose flag means something else (the lists of {@code tune})
 * gives its own check. {@link ConfigFile} checks {@code --config} lines with the same checks.
 */
final class FlagChecks {

    /** Checks one value; a bad one throws a {@link UsageException} whose message starts with {@code label}. */
    @FunctionalInterface
    interface Check {
        void check(String label, String value);
    }

    /** The settings of a fit, by their name in {@link AlsConfig.Builder#set} and in a --config file. */
    static final List<String> SETTINGS = List.of("rank", "iterations", "regularizer", "lambda", "seed", "init",
            "tolerance", "threads", "biased", "samples", "noise", "validation", "compress", "implicit", "alpha",
            "confidence", "epsilon", "alpha0", "solve", "cg-steps", "nu", "bm25-k1", "bm25-b");
    /** The settings that mean something only to an implicit fit ({@code implicit true}). */
    static final List<String> IMPLICIT_ONLY = List.of("alpha", "confidence", "epsilon", "alpha0", "solve", "cg-steps",
            "nu", "bm25-k1", "bm25-b");

    private static final Map<String, Check> BY_FLAG = Map.ofEntries(
            Map.entry("folds", integer(2, "at least 2")),
            Map.entry("n", integer(1, "at least 1")),
            Map.entry("k", integer(1, "at least 1")),
            Map.entry("min-positives", integer(1, "at least 1")),
            Map.entry("threshold", FlagChecks::finite),
            Map.entry("protocol", parser("protocol", io.als.eval.rank.RankingProtocol.Kind::parse)),
            Map.entry("holdout", fraction(false)),
            Map.entry("held-out", fraction(true)),
            Map.entry("cold-start", parser("cold start", ColdStart::parse)),
            Map.entry("duplicates", parser("duplicates", DuplicatePolicy::parse)),
            Map.entry("scale", parser("scale", RatingScale::parse)),
            Map.entry("format", parser("format", RatingsFormat::parse)),
            Map.entry("set", parser("data set", MovieLens::parse)),
            Map.entry("solver", FlagChecks::solverName),
            Map.entry("split-names", FlagChecks::regex),
            Map.entry("base-url", FlagChecks::httpUrl),
            Map.entry("data", FlagChecks::data),
            Map.entry("out", FlagChecks::path),
            Map.entry("model", FlagChecks::path),
            Map.entry("report", FlagChecks::path),
            Map.entry("dir", FlagChecks::path),
            Map.entry("splits", FlagChecks::path),
            Map.entry("train", FlagChecks::path),
            Map.entry("test", FlagChecks::path),
            Map.entry("items-file", FlagChecks::path),
            Map.entry("min-support", integer(0, "at least 0")),
            Map.entry("items", RecommendFlags::checkItems),
            Map.entry("allow", RecommendFlags::checkList),
            Map.entry("deny", RecommendFlags::checkList),
            Map.entry("users", RecommendFlags::checkList),
            Map.entry("users-for", RecommendFlags::checkList),
            Map.entry("config", (label, value) -> {
                path(label, value);
                ConfigFile.read(java.nio.file.Path.of(value));
            }));

    private FlagChecks() {
    }

    /** The check for a flag of this name, or null when any value will do (a path, an id). */
    static Check forFlag(String name) {
        return SETTINGS.contains(name) ? setting(name) : BY_FLAG.get(name);
    }

    /**
     * A setting of the fit: the library's own parsing and range checks (an {@link AlsConfig}
     * built with just this value), with its message moved under {@code label}.
     */
    static Check setting(String name) {
        // An implicit-only value is checked by an implicit build: an explicit one ignores it.
        // So is the ials penalty, which only an implicit fit has (the whole configuration is checked
        // again once every flag is known, and refuses ials without --implicit true).
        return parser(name, v -> AlsConfig.builder()
                .implicit(IMPLICIT_ONLY.contains(name) || (name.equals("regularizer") && v.trim().equalsIgnoreCase("ials")))
                .set(name, v).build());
    }

    /**
     * A comma-separated list, each element checked by {@code each}; at least one element, none
     * twice (a grid point given twice would be fitted twice; {@code 1} and {@code 1.0} are the same).
     */
    static Check listOf(Check each) {
        return (label, value) -> {
            boolean any = false;
            java.util.Set<String> seen = new java.util.HashSet<>();
            String[] parts = value.split(",", -1);
            for (String part : parts) {
                if (part.isBlank()) {
                    if (parts.length > 1) {
                        throw new UsageException(label + " has an empty element in '" + value + "'; separate values"
                                + " by single commas");
                    }
                    continue;
                }
                each.check(label, part.trim());
                if (!seen.add(sameness(part.trim()))) {
                    throw new UsageException(label + " names " + part.trim() + " twice; give each value once");
                }
                any = true;
            }
            if (!any) {
                throw new UsageException(label + " needs at least one value but was '" + value + "'");
            }
        };
    }

    /**
     * A check by a parser whose errors read "SUBJECT must ... but was ...": the subject becomes
     * {@code label}; any other message (or any message, when {@code subject} is null) is kept
     * whole after it.
     */
    static Check parser(String subject, Consumer<String> parse) {
        return (label, value) -> {
            try {
                parse.accept(value.trim());
            } catch (IllegalArgumentException | AlsException e) {
                throw named(label, subject, e.getMessage());
            }
        };
    }

    static UsageException named(String label, String subject, String message) {
        String m = message == null ? "is not valid" : message;
        if (subject != null && m.startsWith(subject + " ")) {
            return new UsageException(label + m.substring(subject.length()));
        }
        return new UsageException(label + ": " + m);
    }

    private static Check integer(int min, String constraint) {
        return (label, value) -> {
            int v;
            try {
                v = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(label + " must be " + Args.integerKind(value) + " but was '" + value + "'");
            }
            if (v < min) {
                throw new UsageException(label + " must be " + constraint + " but was " + v);
            }
        };
    }

    /** A fraction strictly between 0 and 1, or from 0 (inclusive) when {@code zeroAllowed}. */
    private static Check fraction(boolean zeroAllowed) {
        return (label, value) -> {
            double v = number(label, value, "a number");
            if (!((zeroAllowed ? v >= 0 : v > 0) && v < 1)) {
                throw new UsageException(label + " must be " + (zeroAllowed ? "at least 0" : "above 0")
                        + " and below 1 but was " + value.trim());
            }
        };
    }

    /**
     * A flag's number, read strictly ({@link io.als.internal.Checks#parseDouble}: no {@code 4d} or
     * {@code 0x1p2}, no non-zero value that would read as 0); a bad one is a usage error saying the
     * flag must be {@code kind}.
     */
    static double number(String label, String value, String kind) {
        try {
            return io.als.internal.Checks.parseDouble(label, value);
        } catch (NumberFormatException e) {
            throw new UsageException(label + " must be " + kind + " but was '" + value + "'");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static void finite(String label, String value) {
        double v = number(label, value, "a number");
        if (!Double.isFinite(v)) {
            throw new UsageException(label + " must be a finite number but was " + value.trim());
        }
    }

    private static void solverName(String label, String value) {
        // Whether it is installed is known only to the registry, which the commands consult
        // before reading any data; here only that there is a name.
        if (value.isBlank()) {
            throw new UsageException(label + " must name a solver (see 'als solvers') but was empty");
        }
    }

    private static void regex(String label, String value) {
        try {
            Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new UsageException(label + " must be a regular expression but '" + value + "' is not: "
                    + e.getDescription());
        }
    }

    private static void httpUrl(String label, String value) {
        try {
            URI u = new URI(value.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new UsageException(label + " must be an http:// or https:// URL with a host but was '" + value
                        + "'");
            }
        } catch (URISyntaxException e) {
            throw new UsageException(label + " must be a URL but '" + value + "' is not (" + e.getReason() + ")");
        }
    }

    /** A synthetic spec is checked in full; a file name only as a path (the file is checked when read). */
    private static void data(String label, String value) {
        String t = value.trim();
        if (t.equals("synthetic") || t.startsWith("synthetic:")) {
            parser(null, SyntheticRatings.Spec::parse).check(label, t);
        } else {
            path(label, value);
        }
    }

    /** A name this system can use as a path (no NUL character, for one). */
    private static void path(String label, String value) {
        try {
            java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(label + " must be a file name but '" + value.replace("\0", "\\0") + "' is not ("
                    + e.getReason() + ")");
        }
    }

    /** A list element as compared for repeats: a number by its value, anything else by its text in lower case. */
    private static String sameness(String element) {
        try {
            return Double.toString(Double.parseDouble(io.als.internal.Checks.decimal(element)));
        } catch (NumberFormatException e) {
            return element.toLowerCase(java.util.Locale.ROOT);
        }
    }
}
