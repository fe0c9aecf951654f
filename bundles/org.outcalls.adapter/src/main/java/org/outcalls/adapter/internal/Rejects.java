package org.outcalls.adapter.internal;

import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/** Builds the adapter's rejects; one place for the code that goes with each kind. */
final class Rejects {
    private Rejects() {
    }

    static Reject invalidUrl(String message) {
        return Reject.of(RejectCode.SYS_FATAL, RejectKind.INVALID_URL, message);
    }

    static Reject dns(String message) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.DNS_ERROR, message);
    }

    static Reject unreachable(String message) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.UNREACHABLE, message);
    }

    static Reject connTimeout(String message) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.CONN_TIMEOUT, message);
    }

    static Reject badTls(String message) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.BAD_TLS, message);
    }

    static Reject blocked(String message) {
        return Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.DESTINATION_BLOCKED, message);
    }

    static Reject timeout(String message) {
        return Reject.of(RejectCode.SYS_FATAL, RejectKind.TIMEOUT, message);
    }

    static Reject tooLarge(String message) {
        return Reject.of(RejectCode.SYS_FATAL, RejectKind.RESPONSE_TOO_LARGE, message);
    }

    static Reject headerLimit(String message) {
        return Reject.of(RejectCode.SYS_FATAL, RejectKind.HEADER_LIMIT, message);
    }

    static Reject protocol(String message) {
        return Reject.of(RejectCode.SYS_FATAL, RejectKind.PROTOCOL_ERROR, message);
    }
}
