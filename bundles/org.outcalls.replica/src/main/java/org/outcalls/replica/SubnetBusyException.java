package org.outcalls.replica;

/**
 * A submission refused for now because the subnet is at its high-water mark, or the caller holds
 * its share of it ({@link Ingress}): nothing entered the pool; the same call may be made again after
 * {@link #retryAfterSeconds()}. The gateway answers it with 503, {@code Retry-After} and the reject
 * kind {@code subnet_busy}.
 */
public final class SubnetBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean callerShare;
    private final int retryAfterSeconds;

    public SubnetBusyException(String message, boolean callerShare, int retryAfterSeconds) {
        super(message);
        this.callerShare = callerShare;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The refusal of an admission that was {@linkplain Ingress.Admission#busy() busy}. */
    public static SubnetBusyException of(Ingress.Admission busy) {
        if (!busy.busy()) {
            throw new IllegalArgumentException("not a busy refusal: " + busy.state());
        }
        return new SubnetBusyException(busy.message(), busy.state() == Ingress.Admission.State.CALLER_OVER_SHARE,
                Ingress.BUSY_RETRY_AFTER_SECONDS);
    }

    /** True if this caller holds its share; false if the whole subnet is at its mark. */
    public boolean callerShare() {
        return callerShare;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
