package io.als.api;

/**
 * A setting is out of range, malformed or unknown. The message reads
 * "NAME must be CONSTRAINT but was VALUE", and names where the value came from when known.
 */
public class ConfigurationException extends AlsException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
