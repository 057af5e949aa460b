package io.als.api;

/**
 * The one unchecked base type of the library's own failures, so that a caller (the command
 * line, a service) can catch one type and still tell causes apart by subtype:
 * <ul>
 *   <li>{@link RatingsInputException}: bad ratings data (file, line, value);</li>
 *   <li>{@link ModelFormatException}: a model file that cannot be read;</li>
 *   <li>{@link NumericalException}: a fit that failed numerically (a singular row, a
 *       non-finite factor);</li>
 *   <li>{@link ConfigurationException}: a setting out of range or unknown, including an
 *       unknown solver name;</li>
 *   <li>{@link InsufficientMemoryException}: a fit or load that would not fit the heap.</li>
 * </ul>
 * Every message says what was wrong with which value, and where it came from when known.
 * Programming errors in calls to the SPI (mismatched shapes) stay {@link IllegalArgumentException}s.
 */
public class AlsException extends RuntimeException {
    public AlsException(String message) {
        super(message);
    }

    public AlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
