package io.als.api;

/**
 * A path given to write to cannot be used: it exists and is not a regular file (a
 * directory, a device such as {@code /dev/null}), it is one of the inputs, or its folder is
 * missing, not a folder or not writable. The message names the setting (such as
 * {@code --out}), the path and the reason. The path is a setting the user chose, so this is
 * a {@link ConfigurationException} (exit code 2 at the command line), found before any work
 * is done.
 */
public class OutputPathException extends ConfigurationException {
    public OutputPathException(String message) {
        super(message);
    }
}
