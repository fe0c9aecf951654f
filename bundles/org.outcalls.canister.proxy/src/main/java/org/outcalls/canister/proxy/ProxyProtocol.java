package org.outcalls.canister.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** Names the gateway and clients use to talk to the proxy canister. */
public final class ProxyProtocol {
    public static final String CANISTER_ID = "proxy";
    /**
     * Update method; the argument is {@link OutcallJson#writeArgument}'s form of a call. The cycles
     * come from the caller's account; the record is kept under the message id.
     */
    public static final String METHOD_OUTCALL = "outcall";
    /**
     * Update method, empty argument: keeps under the message id a record of the caller's own account
     * ({@code account: {balance, open_outcalls, open_request_bytes, result_bytes}} and the quotas).
     * Answered to the caller only: no method takes another principal.
     */
    public static final String METHOD_BALANCE = "balance";
    /**
     * Update method for admins of the subnet: lines {@code PRINCIPAL CYCLES} (UTF-8, see
     * {@link #topUpArgument}) credit those accounts; the record lists each new balance.
     */
    public static final String METHOD_TOP_UP = "top_up";
    /** Query method; the argument is the request id in UTF-8; the answer is the result record. */
    public static final String QUERY_GET = "get";
    /** Start of the query's error message when no record has that id. */
    public static final String NOT_FOUND_PREFIX = "no outcall with id ";

    public static final String STATUS_PENDING = "pending";
    public static final String STATUS_COMPLETED = "completed";
    public static final String STATUS_REJECTED = "rejected";

    /** Refusal kind: the caller's account holds fewer cycles than the call attaches. */
    public static final String KIND_INSUFFICIENT_CYCLES = "insufficient_cycles";
    /** Refusal kind: the caller is at one of its {@link ProxyQuotas}. */
    public static final String KIND_QUOTA_EXCEEDED = "quota_exceeded";
    /** Refusal kind: a malformed argument, an unknown method, or a top-up by a caller that is not an admin. */
    public static final String KIND_INVALID_ARGUMENT = "invalid_argument";

    /** How the subnet reports a canister's refusal as the failure of its ingress message. */
    private static final String REFUSED_PREFIX = "canister " + CANISTER_ID + " refused: ";

    private ProxyProtocol() {
    }

    /** A refusal of the proxy as its caller sees it: no record is kept, nothing is charged. */
    public record Refusal(String kind, String message) {
    }

    /**
     * The proxy's refusal in an ingress failure message ({@code canister proxy refused: KIND: ...}),
     * or empty if the message is another failure.
     */
    public static Optional<Refusal> refusal(String ingressFailure) {
        if (ingressFailure == null || !ingressFailure.startsWith(REFUSED_PREFIX)) {
            return Optional.empty();
        }
        String rest = ingressFailure.substring(REFUSED_PREFIX.length());
        for (String kind : new String[] {KIND_INSUFFICIENT_CYCLES, KIND_QUOTA_EXCEEDED, KIND_INVALID_ARGUMENT}) {
            if (rest.startsWith(kind + ": ")) {
                return Optional.of(new Refusal(kind, rest.substring(kind.length() + 2)));
            }
        }
        return Optional.of(new Refusal(KIND_INVALID_ARGUMENT, rest));
    }

    /** The argument of {@link #METHOD_TOP_UP}: one {@code PRINCIPAL CYCLES} line per account, in key order. */
    public static byte[] topUpArgument(SortedMap<String, Long> cyclesByPrincipal) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : cyclesByPrincipal.entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
