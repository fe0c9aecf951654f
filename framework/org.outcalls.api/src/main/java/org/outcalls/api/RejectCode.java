package org.outcalls.api;

/** Reject codes, as the Internet Computer defines them for {@code http_request}. */
public enum RejectCode {
    /** A fatal error: retrying the same request will fail the same way. */
    SYS_FATAL(1),
    /** A transient error: the same request may succeed later. */
    SYS_TRANSIENT(2),
    DESTINATION_INVALID(3),
    /** The management canister refused the request (limits, cycles, policy). */
    CANISTER_REJECT(4),
    /** The canister-supplied part (the transform) failed. */
    CANISTER_ERROR(5);

    private final int number;

    RejectCode(int number) {
        this.number = number;
    }

    /** The IC's numeric reject code. */
    public int number() {
        return number;
    }

    public static RejectCode ofNumber(int number) {
        for (RejectCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        throw new IllegalArgumentException("reject code: unknown number " + number);
    }
}
