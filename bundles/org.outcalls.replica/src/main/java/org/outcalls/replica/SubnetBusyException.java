package org.outcalls.replica;

/**
 * A submission refused for now because the subnet is at its high-water mark, or the caller holds
 * its share of it (the replica's ingress pool): nothing entered the pool; the same call may be made again after
 * {@link #retryAfterSeconds()}. The gateway answers it with 503, {@code Retry-After} and the reject
 * kind {@code subnet_busy}.
 */
public final class SubnetBusyException extends RuntimeException {
    /** What a busy refusal asks the caller to wait before trying again (the gateway's {@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 1;
    private static final long serialVersionUID = 1L;

    private final boolean callerShare;
    private final int retryAfterSeconds;

    public SubnetBusyException(String message, boolean callerShare, int retryAfterSeconds) {
        super(message);
        this.callerShare = callerShare;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The refusal of an admission that was {@linkplain IngressAdmission#busy() busy}. */
    public static SubnetBusyException of(IngressAdmission busy) {
        if (!busy.busy()) {
            throw new IllegalArgumentException("not a busy refusal: " + busy.state());
        }
        return new SubnetBusyException(busy.message(), busy.state() == IngressAdmission.State.CALLER_OVER_SHARE,
                RETRY_AFTER_SECONDS);
    }

    /** True if this caller holds its share; false if the whole subnet is at its mark. */
    public boolean callerShare() {
        return callerShare;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
