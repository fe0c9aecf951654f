package org.outcalls.api;

import java.util.Locale;

/** The HTTP methods an outcall may use. */
public enum HttpMethod {
    GET(true, false),
    HEAD(true, false),
    POST(true, true),
    PUT(false, true),
    DELETE(false, true),
    PATCH(false, true);

    private final boolean replicable;
    private final boolean needsMethodsPlugin;

    HttpMethod(boolean replicable, boolean needsMethodsPlugin) {
        this.replicable = replicable;
        this.needsMethodsPlugin = needsMethodsPlugin;
    }

    /**
     * Whether every replica may send this request. PUT, DELETE and PATCH change the origin's
     * state without a way to deduplicate them, so only the single-replica policy may send them.
     */
    public boolean replicable() {
        return replicable;
    }

    /** Whether the {@code methods} plugin must be enabled in the subnet registry for this method. */
    public boolean needsMethodsPlugin() {
        return needsMethodsPlugin;
    }

    /** Parses a method name, case-insensitively. */
    public static HttpMethod parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("method: must not be empty");
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "method: '" + name + "' is not one of GET, HEAD, POST, PUT, DELETE, PATCH");
        }
    }
}
