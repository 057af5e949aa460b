package io.als.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags a command accepts, and the parser for them. Flags are {@code --name value},
 * {@code --name=value}, or {@code --name} alone for switches; a few have a one-letter alias
 * ({@code -n}). Anything else is a {@link UsageException} that lists the accepted flags.
 *
 * <p>Every value is checked as it is parsed, before the command runs: it must not be blank,
 * must not start with {@code --} (a missing value would otherwise swallow the next flag, as in
 * {@code --out --quiet}), and must pass its flag's check ({@link FlagChecks}).
 */
public final class Options {

    private record Spec(String name, String alias, String valueName, String help, FlagChecks.Check check) {
        boolean takesValue() {
            return valueName != null;
        }

        /** The flag as the user writes it: {@code --name}, or {@code -n} for a one-letter name. */
        String display() {
            return name.length() == 1 ? "-" + name : "--" + name;
        }
    }

    private final Map<String, Spec> specs = new LinkedHashMap<>();
    /** The flag a single bare argument stands for (as in {@code als fetch ml-1m}), or null. */
    private String positional;

    /** A flag that takes a value, checked by the check for its name ({@link FlagChecks#forFlag}). */
    public Options value(String name, String valueName, String help) {
        specs.put(name, new Spec(name, null, valueName, help, FlagChecks.forFlag(name)));
        return this;
    }

    /** A flag that takes a value and has a one-letter alias such as {@code -n}. */
    public Options value(String name, String alias, String valueName, String help) {
        specs.put(name, new Spec(name, alias, valueName, help, FlagChecks.forFlag(name)));
        return this;
    }

    /** A flag that takes a value with a check of its own (null: any value). */
    Options value(String name, String valueName, String help, FlagChecks.Check check) {
        specs.put(name, new Spec(name, null, valueName, help, check));
        return this;
    }

    /** Lets one bare argument stand for the value flag {@code name}. */
    public Options positional(String name) {
        if (!specs.containsKey(name) || !specs.get(name).takesValue()) {
            throw new IllegalArgumentException("positional must name a value flag but was " + name);
        }
        positional = name;
        return this;
    }

    /**
     * Checks a value of {@code spec}: present, not a flag (unless written after {@code =}, which
     * says it is the value: {@code --user=--x} names a user "--x"), and valid for it.
     */
    private static void check(Spec spec, String value, boolean inline) {
        if (value.isBlank()) {
            throw new UsageException(spec.display() + " needs a value (" + spec.valueName() + ") but was given an empty"
                    + " one");
        }
        if (value.startsWith("--") && !inline) {
            throw new UsageException(spec.display() + " needs a value (" + spec.valueName() + ") but was given '"
                    + value + "', which is a flag; write " + spec.display() + "=" + value + " if that is the value");
        }
        if (spec.check() != null) {
            spec.check().check(spec.display(), value);
        }
    }

    /** A switch. */
    public Options flag(String name, String help) {
        specs.put(name, new Spec(name, null, null, help, null));
        return this;
    }

    /** Parses the arguments after the command name. */
    public Args parse(String command, List<String> argv) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            String name;
            String inline = null;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                inline = eq < 0 ? null : a.substring(eq + 1);
            } else if (a.startsWith("-") && a.length() == 2) {
                name = byAlias(a.substring(1));
            } else if (positional != null && !values.containsKey(positional)) {
                check(specs.get(positional), a, false);
                values.put(positional, a);
                continue;
            } else {
                throw new UsageException("'" + command + "' takes no positional argument but was given '" + a
                        + "'; flags are " + names());
            }
            Spec spec = name == null ? null : specs.get(name);
            if (spec == null) {
                throw new UsageException("'" + command + "' has no flag '" + a + "'; its flags are " + names());
            }
            String value;
            if (!spec.takesValue()) {
                if (inline != null) {
                    throw new UsageException("--" + name + " takes no value but was given '" + inline + "'");
                }
                value = "true";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < argv.size()) {
                value = argv.get(++i);
                // A short flag of this command where its value belongs ('--items -n 3'): the value
                // was forgotten. An id such as '-a' is taken, and '--user=-n' always.
                if (value.length() == 2 && value.charAt(0) == '-' && byAlias(value.substring(1)) != null) {
                    throw new UsageException(spec.display() + " needs a value (" + spec.valueName() + ") but was"
                            + " given '" + value + "', which is a flag of '" + command + "'; write " + spec.display()
                            + "=" + value + " if that is the value");
                }
            } else {
                throw new UsageException(spec.display() + " needs a value (" + spec.valueName() + ")");
            }
            if (spec.takesValue()) {
                check(spec, value, inline != null);
            }
            if (values.put(name, value) != null) {
                throw new UsageException(spec.display() + " was given twice");
            }
        }
        return new Args(command, values);
    }

    private String byAlias(String alias) {
        for (Spec s : specs.values()) {
            if (alias.equals(s.alias())) {
                return s.name();
            }
        }
        return null;
    }

    /** The flags that take a value, as the user writes them ({@code --name}, or {@code -n}). */
    List<String> valueFlags() {
        List<String> out = new ArrayList<>();
        specs.values().stream().filter(Spec::takesValue).forEach(s -> out.add(s.display()));
        return out;
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        specs.values().forEach(s -> out.add("--" + s.name()));
        return out;
    }

    /** One line per flag, for help. */
    public String help() {
        StringBuilder sb = new StringBuilder();
        for (Spec s : specs.values()) {
            String left = (s.alias() == null ? "    " : "-" + s.alias() + ", ") + "--" + s.name()
                    + (s.takesValue() ? " " + s.valueName() : "");
            sb.append(String.format("  %-32s %s%n", left, s.help()));
        }
        return sb.toString();
    }
}
