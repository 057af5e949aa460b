package io.als.api;

/** A fit failed numerically: a singular row (see {@link SingularSystemException}) or a non-finite factor. */
public class NumericalException extends AlsException {
    public NumericalException(String message) {
        super(message);
    }
}
