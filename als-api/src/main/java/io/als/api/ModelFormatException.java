package io.als.api;

/** A model file that cannot be read: not a model, a version this code does not know, truncated or corrupted. */
public class ModelFormatException extends AlsException {
    public ModelFormatException(String message) {
        super(message);
    }
}
