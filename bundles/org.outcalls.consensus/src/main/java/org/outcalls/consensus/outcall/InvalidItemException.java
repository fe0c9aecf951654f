package org.outcalls.consensus.outcall;

/** A payload item that does not prove what it claims; the message says which check failed. */
public final class InvalidItemException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidItemException(String message) {
        super(message);
    }
}
