package org.outcalls.pool;

/** What {@link ArtifactPool#offer} did with an artifact. */
public enum Admission {
    /** Now in the unvalidated section. */
    ADMITTED,
    /** Already in the pool (either section): dropped. */
    DUPLICATE,
    /** Rejected before and remembered: dropped without another check. */
    REJECTED_BEFORE,
    /** Below the pool's floor (already purged): dropped. */
    BELOW_WINDOW,
    /** Too far ahead of the floor: dropped (the sender retransmits when it is in the window). */
    ABOVE_WINDOW,
    /** The sending peer's quota (count or bytes) is used up: dropped. */
    OVER_QUOTA;

    public boolean admitted() {
        return this == ADMITTED;
    }
}
