package org.outcalls.api;

import java.util.List;
import java.util.Optional;

/**
 * The limits of an outcall, as the Internet Computer sets them, and the deterministic checks the
 * management canister applies to a request. "Header bytes" are always the sum of the UTF-8 bytes
 * of names and values.
 */
public final class Limits {
    public static final int MAX_URL_BYTES = 8192;
    public static final int MAX_HEADER_COUNT = 64;
    public static final int MAX_HEADER_NAME_BYTES = 8 * 1024;
    public static final int MAX_HEADER_VALUE_BYTES = 8 * 1024;
    public static final int MAX_HEADER_TOTAL_BYTES = 48 * 1024;
    /** Request headers plus body. */
    public static final long MAX_REQUEST_BYTES = 2_000_000;
    /** Upper bound of {@code max_response_bytes}, and its default. */
    public static final long MAX_RESPONSE_BYTES = 2_000_000;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = MAX_RESPONSE_BYTES;
    public static final long CONNECT_TIMEOUT_MILLIS = 2_000;
    public static final long REQUEST_TIMEOUT_MILLIS = 30_000;
    /** A request context that is still open this long after its request time is timed out. */
    public static final long CONSENSUS_TIMEOUT_MILLIS = 60_000;
    public static final int MAX_RESPONSES_PER_BLOCK = 500;
    public static final long MAX_OUTCALL_PAYLOAD_BYTES = 2L * 1024 * 1024;
    /**
     * Open request contexts times subnet size that a subnet keeps at most: each open context has
     * every replica fetch, sign and gossip a share and hold and check up to n of them, so a
     * replica's outcall work in flight grows with n × open contexts. See {@link #maxOpenContexts}.
     */
    public static final int OPEN_CONTEXT_SHARES = 4096;
    /** The fewest open request contexts a subnet of any size admits. */
    public static final int MIN_OPEN_CONTEXTS = 64;
    /** Sent when the caller sends no {@code user-agent}; counts toward no limit and no fee. */
    public static final String DEFAULT_USER_AGENT = "outcalls/1.0";

    private Limits() {
    }

    /**
     * How many request contexts a subnet of {@code subnetSize} replicas keeps open at most:
     * {@value #OPEN_CONTEXT_SHARES} ÷ n, at least {@value #MIN_OPEN_CONTEXTS} (n = 4: 1,024; n = 7: 585;
     * n = 13: 315). An {@code http_request} over it is refused with SYS_TRANSIENT subnet_busy, so
     * a subnet offered more than it decides keeps deciding at its rate instead of letting every
     * request go late. Deterministic: depends on n alone.
     */
    public static int maxOpenContexts(int subnetSize) {
        if (subnetSize < 1) {
            throw new IllegalArgumentException("subnet size: at least 1 (was " + subnetSize + ")");
        }
        return Math.max(MIN_OPEN_CONTEXTS, OPEN_CONTEXT_SHARES / subnetSize);
    }

    /** Sum of the UTF-8 bytes of names and values. */
    public static long headerBytes(List<HttpHeader> headers) {
        long sum = 0;
        for (HttpHeader h : headers) {
            sum += h.byteSize();
        }
        return sum;
    }

    /**
     * Checks a request against the URL, header and size limits and the bound on
     * {@code max_response_bytes}. Deterministic: depends on the request alone.
     *
     * @return the CANISTER_REJECT the management canister answers with, or empty if within limits
     */
    public static Optional<Reject> checkRequest(OutcallRequest r) {
        int urlBytes = r.urlBytes();
        if (urlBytes > MAX_URL_BYTES) {
            return reject(RejectKind.INVALID_URL, "url is " + urlBytes + " bytes; at most "
                    + MAX_URL_BYTES + " bytes are allowed");
        }
        Optional<Reject> headers = checkHeaders(r.headers(), "request", RejectCode.CANISTER_REJECT);
        if (headers.isPresent()) {
            return headers;
        }
        long requestBytes = r.headerBytes() + r.bodySize();
        if (requestBytes > MAX_REQUEST_BYTES) {
            return reject(RejectKind.REQUEST_TOO_LARGE, "request is " + requestBytes
                    + " bytes (headers " + r.headerBytes() + " + body " + r.bodySize() + "); at most "
                    + MAX_REQUEST_BYTES + " bytes are allowed");
        }
        if (r.maxResponseBytes().isPresent() && r.maxResponseBytes().getAsLong() > MAX_RESPONSE_BYTES) {
            return reject(RejectKind.INVALID_ARGUMENT, "max_response_bytes is "
                    + r.maxResponseBytes().getAsLong() + "; at most " + MAX_RESPONSE_BYTES + " is allowed");
        }
        return Optional.empty();
    }

    /**
     * Checks header count, name, value and total sizes.
     *
     * @param side "request" or "response", named in the message
     * @param code the code to reject with (CANISTER_REJECT for requests, SYS_FATAL for responses)
     */
    public static Optional<Reject> checkHeaders(List<HttpHeader> headers, String side, RejectCode code) {
        if (headers.size() > MAX_HEADER_COUNT) {
            return Optional.of(Reject.of(code, RejectKind.HEADER_LIMIT, side + " has " + headers.size()
                    + " headers; at most " + MAX_HEADER_COUNT + " are allowed"));
        }
        long total = 0;
        for (HttpHeader h : headers) {
            int nameBytes = h.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int valueBytes = h.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (nameBytes > MAX_HEADER_NAME_BYTES) {
                return Optional.of(Reject.of(code, RejectKind.HEADER_LIMIT, side + " header name of "
                        + nameBytes + " bytes; at most " + MAX_HEADER_NAME_BYTES + " are allowed"));
            }
            if (valueBytes > MAX_HEADER_VALUE_BYTES) {
                return Optional.of(Reject.of(code, RejectKind.HEADER_LIMIT, side + " header '" + abbreviate(h.name())
                        + "' has a value of " + valueBytes + " bytes; at most " + MAX_HEADER_VALUE_BYTES
                        + " are allowed"));
            }
            total += nameBytes + valueBytes;
        }
        if (total > MAX_HEADER_TOTAL_BYTES) {
            return Optional.of(Reject.of(code, RejectKind.HEADER_LIMIT, side + " headers total " + total
                    + " bytes (names + values); at most " + MAX_HEADER_TOTAL_BYTES + " are allowed"));
        }
        return Optional.empty();
    }

    /**
     * Bytes of a request that the fee counts: url + header names and values + body + transform
     * name + transform context. A default {@code user-agent} added by the adapter is not counted.
     */
    public static long requestBytesForFee(OutcallRequest r) {
        long transformBytes = r.transform().map(TransformSpec::byteSize).orElse(0);
        return r.urlBytes() + r.headerBytes() + r.bodySize() + transformBytes;
    }

    private static Optional<Reject> reject(RejectKind kind, String message) {
        return Optional.of(Reject.of(RejectCode.CANISTER_REJECT, kind, message));
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
