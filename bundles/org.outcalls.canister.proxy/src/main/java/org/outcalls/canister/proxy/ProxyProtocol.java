package org.outcalls.canister.proxy;

/** Names the gateway and clients use to talk to the proxy canister. */
public final class ProxyProtocol {
    public static final String CANISTER_ID = "proxy";
    /** Update method; the argument is {@link OutcallJson#writeArgument}'s form of a call. */
    public static final String METHOD_OUTCALL = "outcall";
    /** Query method; the argument is the request id in UTF-8; the answer is the result record. */
    public static final String QUERY_GET = "get";
    /** Start of the query's error message when no record has that id. */
    public static final String NOT_FOUND_PREFIX = "no outcall with id ";

    public static final String STATUS_PENDING = "pending";
    public static final String STATUS_COMPLETED = "completed";
    public static final String STATUS_REJECTED = "rejected";

    private ProxyProtocol() {
    }

    /** A proxy canister instance, for subnets assembled outside OSGi (tests, tools). */
    public static org.outcalls.api.canister.Canister newCanister() {
        return new org.outcalls.canister.proxy.internal.ProxyCanister();
    }
}
