package io.als.api;

import java.util.Map;
import java.util.Properties;

/**
 * Which solver name applies, and where it came from. Precedence, highest first: the
 * {@code --solver} flag, the {@code als.solver} system property, the {@code ALS_SOLVER}
 * environment variable, the {@code als.solver} key of a {@code --config} properties file,
 * then the default.
 *
 * @param name   the chosen name
 * @param source where it came from, for messages
 */
public record SolverSelection(String name, String source) {
    public static final String PROPERTY = "als.solver";
    public static final String ENVIRONMENT = "ALS_SOLVER";
    /**
     * The source of a selection that nothing made: the default backend, which falls back to
     * {@link AlsConfig.Defaults#PORTABLE_SOLVER} where it cannot run.
     */
    public static final String DEFAULT = "default";

    /**
     * @param flag       the command-line value, or null
     * @param system     system properties
     * @param env        environment variables
     * @param configFile the --config file's properties, or null
     * @param fallback   the default name
     */
    public static SolverSelection resolve(String flag, Properties system, Map<String, String> env,
                                          Properties configFile, String fallback) {
        if (present(flag)) {
            return new SolverSelection(flag.trim(), "--solver");
        }
        String sys = system.getProperty(PROPERTY);
        if (present(sys)) {
            return new SolverSelection(sys.trim(), "system property " + PROPERTY);
        }
        String e = env.get(ENVIRONMENT);
        if (present(e)) {
            return new SolverSelection(e.trim(), "environment variable " + ENVIRONMENT);
        }
        String file = configFile == null ? null : configFile.getProperty(PROPERTY);
        if (present(file)) {
            return new SolverSelection(file.trim(), "--config file");
        }
        return new SolverSelection(fallback, DEFAULT);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
