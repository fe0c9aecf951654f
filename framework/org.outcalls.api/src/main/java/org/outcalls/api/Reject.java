package org.outcalls.api;

import java.util.Objects;

/**
 * Why an outcall produced no response: the IC reject code, our machine-readable kind, and a
 * message a person can act on (it names what was exceeded or failed, with actual and allowed values).
 */
public record Reject(RejectCode code, RejectKind kind, String message) {

    /** Longest message kept; longer ones are cut so a reject never grows without bound. */
    public static final int MAX_MESSAGE_CHARS = 4096;

    public Reject {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(kind, "kind");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("reject message: must not be empty");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
        }
    }

    public static Reject of(RejectCode code, RejectKind kind, String message) {
        return new Reject(code, kind, message);
    }

    @Override
    public String toString() {
        return code + " (" + kind.wireName() + "): " + message;
    }
}
