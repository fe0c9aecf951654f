package org.outcalls.canister.proxy;

/**
 * What one caller (principal) may hold in the proxy canister's replicated state at once, and how
 * long results are kept. Every replica runs the proxy with the same quotas (they are part of the
 * canister's code, like its methods), so they are deterministic.
 *
 * @param maxOpenOutcalls     outcalls the caller may have open (submitted, not yet answered)
 * @param maxOpenRequestBytes request bytes (URL, headers, body, transform, as the fee counts them) of those open
 *                            outcalls together: what the subnet holds in its request contexts for the caller
 * @param maxResultBytes      bytes of the caller's kept results (completed records); past it the caller's own
 *                            oldest results are dropped first, never another caller's
 * @param retentionMillis     block time a result is kept after it is completed
 */
public record ProxyQuotas(int maxOpenOutcalls, long maxOpenRequestBytes, long maxResultBytes, long retentionMillis) {
    /** 256 open outcalls, 16 MiB of open requests, 64 MiB of results, kept 10 minutes. */
    public static final ProxyQuotas DEFAULT = new ProxyQuotas(256, 16L * 1024 * 1024, 64L * 1024 * 1024, 10 * 60_000L);

    public ProxyQuotas {
        if (maxOpenOutcalls < 1) {
            throw new IllegalArgumentException("maxOpenOutcalls: must be at least 1 (was " + maxOpenOutcalls + ")");
        }
        if (maxOpenRequestBytes < 1 || maxResultBytes < 1) {
            throw new IllegalArgumentException("maxOpenRequestBytes (" + maxOpenRequestBytes + ") and maxResultBytes ("
                    + maxResultBytes + ") must be at least 1");
        }
        if (retentionMillis < 0) {
            throw new IllegalArgumentException("retentionMillis: must not be negative (was " + retentionMillis + ")");
        }
    }
}
