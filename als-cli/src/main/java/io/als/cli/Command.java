package io.als.cli;

/** One sub-command of {@code als}. */
public interface Command {

    String name();

    /** One line for the command list. */
    String summary();

    /** The flags it accepts. */
    Options options();

    /**
     * Runs with parsed flags. Returns the exit code; throws {@link UsageException} for a bad
     * command line and any other exception for a failure (both reported by {@link Main}).
     */
    int run(Args args, Cli cli) throws Exception;
}
