package org.outcalls.api;

/** Names of the agreement policies Outcalls ships. A request names its policy; the registry enables it. */
public final class Policies {
    /** Every replica fetches; complete when n−f signed responses agree. The default. */
    public static final String TWO_THIRDS = "two-thirds";
    /**
     * One replica, chosen deterministically, fetches; its signed response completes the request.
     * Weak integrity: that one replica can return anything it likes, and nobody can tell.
     */
    public static final String SINGLE_REPLICA = "single-replica";
    /** Every replica contributes one signed decimal; the result is the lower median of n−f or more. */
    public static final String MEDIAN = "median";
    /** The plugin that enables POST, PUT, DELETE and PATCH. */
    public static final String METHODS = "methods";

    private Policies() {
    }
}
