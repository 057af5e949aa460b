package io.als.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Properties;

/**
 * What a command runs against: the output streams, the environment and system properties
 * (injected so tests can run commands in-process), and whether JSON was asked for.
 */
public final class Cli {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Properties system;

    public Cli(PrintStream out, PrintStream err, Map<String, String> env, Properties system) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.system = system;
    }

    /** Results: human text, or exactly one JSON object with --json. */
    public PrintStream out() {
        return out;
    }

    /** Diagnostics and progress. */
    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public Properties system() {
        return system;
    }
}
