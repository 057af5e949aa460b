package io.als.api;

import java.util.SortedSet;

/** The configured solver name is not installed. The message lists the installed names. */
public class UnknownSolverException extends ConfigurationException {
    private final String name;
    private final SortedSet<String> known;

    public UnknownSolverException(String name, String source, SortedSet<String> known) {
        super("solver must be one of " + known + " but was '" + name + "'" + (source == null ? "" : " (from " + source + ")")
                + "; a solver is installed by putting its jar (e.g. als-solver-nd4j) on the classpath");
        this.name = name;
        this.known = known;
    }

    public String name() {
        return name;
    }

    public SortedSet<String> known() {
        return known;
    }
}
