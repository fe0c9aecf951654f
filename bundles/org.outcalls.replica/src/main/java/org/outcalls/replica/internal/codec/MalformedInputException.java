package org.outcalls.replica.internal.codec;

/** Bytes that are not a canonical encoding of the expected value; the message names the field. */
public final class MalformedInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }
}
