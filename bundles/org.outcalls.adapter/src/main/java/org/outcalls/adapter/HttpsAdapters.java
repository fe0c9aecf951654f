package org.outcalls.adapter;

import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.outcalls.api.OutcallRequest;
import org.outcalls.adapter.internal.AdapterComponent;

/**
 * Creates an adapter outside OSGi (tests, the testkit, the benchmark), configured with the same
 * keys as the {@code org.outcalls.adapter} configuration: {@code trustCa}, {@code scopedTrustCa}
 * ({@code HOST=PEM} entries) and {@code allowTargets} ({@code String[]}), {@code connectTimeoutMillis}, {@code requestTimeoutMillis},
 * {@code maxConnectionsPerHost}, {@code idleTimeoutSeconds}, {@code socksProxy}, {@code userAgent},
 * {@code dnsServers} ({@code String[]} of {@code ip[:port]}).
 * Keys left out take their defaults.
 */
public final class HttpsAdapters {
    private HttpsAdapters() {
    }

    /** An adapter that owns its connections and is closed by its creator. */
    public interface Closeable extends HttpsAdapter, AutoCloseable {
        @Override
        void close();
    }

    /**
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it
     */
    public static Closeable create(Vertx vertx, Map<String, Object> config) {
        Set<String> keys = Set.of("trustCa", "scopedTrustCa", "allowTargets", "connectTimeoutMillis", "requestTimeoutMillis",
                "maxConnectionsPerHost", "idleTimeoutSeconds", "socksProxy", "userAgent", "dnsServers");
        for (String k : config.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException("adapter configuration: unknown key '" + k + "'; known keys are "
                        + keys.stream().sorted().toList());
            }
        }
        AdapterComponent.Config c = (AdapterComponent.Config) Proxy.newProxyInstance(
                AdapterComponent.Config.class.getClassLoader(), new Class<?>[] {AdapterComponent.Config.class},
                (proxy, method, args) -> {
                    Object v = config.get(method.getName());
                    return v != null ? coerce(method.getName(), v, method.getReturnType()) : method.getDefaultValue();
                });
        AdapterComponent component = new AdapterComponent(vertx, c);
        return new Closeable() {
            @Override
            public CompletionStage<FetchResult> fetch(OutcallRequest request) {
                return component.fetch(request);
            }

            @Override
            public void close() {
                component.close();
            }
        };
    }

    /** Accepts what a map naturally holds: any number for a number, a string or collection for a list. */
    private static Object coerce(String key, Object value, Class<?> type) {
        try {
            if (type == int.class) {
                return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
            }
            if (type == long.class) {
                return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            }
            if (type == String[].class) {
                if (value instanceof String[] a) {
                    return a;
                }
                if (value instanceof java.util.Collection<?> list) {
                    return list.stream().map(String::valueOf).toArray(String[]::new);
                }
                return new String[] {value.toString()};
            }
            return value.toString();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("adapter configuration: " + key + " = '" + value + "' is not a number");
        }
    }
}
