package org.outcalls.replica;

import java.util.List;
import org.outcalls.api.Policies;

/**
 * The names of the plugins the distribution ships: what a new subnet ({@code outcalls run},
 * {@code outcalls subnet init}) enables in its initial registry, at the distribution's version.
 * Transforms are enabled like policies: a request is transformed only by the version the
 * registry enables when it is made.
 */
public final class BundledPlugins {
    public static final String IDENTITY = "identity";
    public static final String STRIP_HEADERS = "strip-headers";
    public static final String KEEP_HEADERS = "keep-headers";
    public static final String JSON = "json";
    public static final String NUMBER = "number";
    public static final String REGEX = "regex";

    /** Policies, {@code methods} and transforms, in that order. */
    public static final List<String> ALL = List.of(Policies.TWO_THIRDS, Policies.SINGLE_REPLICA, Policies.MEDIAN,
            Policies.METHODS, IDENTITY, STRIP_HEADERS, KEEP_HEADERS, JSON, NUMBER, REGEX);

    private BundledPlugins() {
    }
}
