package org.outcalls.consensus;

/** A payload section rejects a block's payload; the block is invalid and nobody notarizes it. */
public class InvalidPayloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidPayloadException(String message) {
        super(message);
    }

    public InvalidPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
