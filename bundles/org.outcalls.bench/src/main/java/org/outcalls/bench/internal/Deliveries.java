package org.outcalls.bench.internal;

/** Where a replica's benchmark canister reports each result it is handed: the {@link Probe}, or a child JVM's pipe. */
@FunctionalInterface
interface Deliveries {
    /**
     * @param reject a description of the reject, or null for a response
     * @param busy   whether the reject is subnet_busy (http_request refused over the bound on open contexts)
     */
    void delivered(long tag, String reject, boolean busy);
}
