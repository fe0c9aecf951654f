package org.outcalls.api.canister;

/** A canister refused a call; the message is returned to the caller. */
public class CanisterException extends Exception {
    private static final long serialVersionUID = 1L;

    public CanisterException(String message) {
        super(message);
    }
}
