package org.outcalls.api.transform;

/** A transform could not turn the response into its output; the message says why. */
public class TransformException extends Exception {
    private static final long serialVersionUID = 1L;

    public TransformException(String message) {
        super(message);
    }

    public TransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
