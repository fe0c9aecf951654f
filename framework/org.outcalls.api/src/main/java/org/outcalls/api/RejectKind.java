package org.outcalls.api;

/**
 * The machine-readable reason of a reject, finer than its {@link RejectCode}. The wire name is the
 * lower-case form used in JSON and in signed bytes.
 */
public enum RejectKind {
    NO_CONSENSUS,
    TIMEOUT,
    BAD_TLS,
    INVALID_URL,
    TRANSFORM_ERROR,
    DNS_ERROR,
    UNREACHABLE,
    CONN_TIMEOUT,
    RESPONSE_TOO_LARGE,
    REQUEST_TOO_LARGE,
    HEADER_LIMIT,
    METHOD_NOT_ALLOWED,
    INSUFFICIENT_CYCLES,
    /** The destination resolves to a private, loopback or otherwise non-public address. */
    DESTINATION_BLOCKED,
    /** The policy (or another plugin the request needs) is not enabled in the subnet registry. */
    POLICY_NOT_ENABLED,
    /** An argument has a value the management canister does not accept. */
    INVALID_ARGUMENT,
    /** The server spoke broken HTTP or TLS framing. */
    PROTOCOL_ERROR,
    /**
     * The transform the request names is not enabled in the subnet registry, or not at the version
     * the request asks for ({@code name@version}).
     */
    TRANSFORM_NOT_ENABLED,
    /**
     * The subnet is at its bound of open request contexts ({@link Limits#maxOpenContexts}), or its
     * gateway refused a new submission before it entered the pool: nothing was fetched and no fee
     * charged; try again later. Appended last: signed bytes carry the wire name, never the ordinal.
     */
    SUBNET_BUSY;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RejectKind ofWireName(String wireName) {
        for (RejectKind k : values()) {
            if (k.wireName().equals(wireName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("reject kind: unknown '" + wireName + "'");
    }
}
