package io.als.cli;

/** A wrong command line: unknown command or flag, missing value, a value that does not parse. Exit code 2. */
public class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }
}
