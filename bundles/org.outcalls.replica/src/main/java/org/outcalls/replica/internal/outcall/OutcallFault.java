package org.outcalls.replica.internal.outcall;

/** How a deliberately faulty replica handles outcalls (development and tests only). */
public enum OutcallFault {
    NONE,
    /** Fetches but never shares. */
    SILENT,
    /** Signs a made-up response (the same one on every forging replica) instead of what it fetched. */
    FORGE
}
