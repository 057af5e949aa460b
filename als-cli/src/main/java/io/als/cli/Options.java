package io.als.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags a command accepts, and the parser for them. Flags are {@code --name value},
 * {@code --name=value}, or {@code --name} alone for switches; a few have a one-letter alias
 * ({@code -n}). Anything else is a {@link UsageException} that lists the accepted flags.
 */
public final class Options {

    private record Spec(String name, String alias, String valueName, String help) {
        boolean takesValue() {
            return valueName != null;
        }
    }

    private final Map<String, Spec> specs = new LinkedHashMap<>();
    /** The flag a single bare argument stands for (as in {@code als fetch ml-1m}), or null. */
    private String positional;

    /** A flag that takes a value. */
    public Options value(String name, String valueName, String help) {
        specs.put(name, new Spec(name, null, valueName, help));
        return this;
    }

    /** A flag that takes a value and has a one-letter alias such as {@code -n}. */
    public Options value(String name, String alias, String valueName, String help) {
        specs.put(name, new Spec(name, alias, valueName, help));
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

    /** A switch. */
    public Options flag(String name, String help) {
        specs.put(name, new Spec(name, null, null, help));
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
            } else {
                throw new UsageException("--" + name + " needs a value (" + spec.valueName() + ")");
            }
            if (values.put(name, value) != null) {
                throw new UsageException("--" + name + " was given twice");
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
