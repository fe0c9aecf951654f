package org.outcalls.gateway.internal;

import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The names the gateway answers to and the web origins it serves. A name is {@code localhost},
 * {@code 127.0.0.1}, {@code ::1}, the bind address or a configured one; without a port of its own it
 * stands for the port the gateway listens on (known only once it listens, hence the supplier). The
 * gateway's own origins are {@code http://NAME:PORT} for each of them; other origins must be listed.
 */
final class ServedNames {
    static final List<String> BUILT_IN = List.of("localhost", "127.0.0.1", "::1");
    private static final int HTTP_PORT = 80;

    /** A configured name: its port, or 0 for the port the gateway listens on. */
    private record Name(String host, int port) {
    }

    private final List<Name> names = new ArrayList<>();
    private final Set<String> allowedOrigins;
    private final IntSupplier listeningPort;

    ServedNames(String bindHost, List<String> allowedHosts, List<String> allowedOrigins, IntSupplier listeningPort) {
        this.listeningPort = listeningPort;
        List<String> all = new ArrayList<>(BUILT_IN);
        all.add(bindHost);
        all.addAll(allowedHosts);
        for (String text : all) {
            HostPort parsed = HostPort.parse(text, 1);
            Name n = new Name(parsed.host(), HostPort.hasPort(text) ? parsed.port() : 0);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        this.allowedOrigins = allowedOrigins.stream().map(ServedNames::canonicalOrigin).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Whether a request's authority ({@code Host} header) is one of the gateway's names. */
    boolean servesHost(HostAndPort authority) {
        return servesHost(new HostPort(authority.host(), authority.port() < 0 ? HTTP_PORT : authority.port()));
    }

    boolean servesHost(HostPort requested) {
        int port = listeningPort.getAsInt();
        return names.stream().anyMatch(n -> n.host().equals(requested.host()) && (n.port() == 0 ? port : n.port()) == requested.port());
    }

    /** Whether an {@code Origin} header names this gateway itself: {@code http://} one of its names. */
    boolean isOwnOrigin(String origin) {
        String canonical = canonicalOriginOrNull(origin);
        if (canonical == null || !canonical.startsWith("http://")) {
            return false;
        }
        return servesHost(HostPort.parse(canonical.substring("http://".length()), HTTP_PORT));
    }

    /** Whether an {@code Origin} header is one of the configured other origins. */
    boolean isAllowedOtherOrigin(String origin) {
        String canonical = canonicalOriginOrNull(origin);
        return canonical != null && allowedOrigins.contains(canonical);
    }

    /** The names as a person reads them, for error messages: {@code localhost:7450, 127.0.0.1:7450, ...}. */
    String describeHosts() {
        int port = listeningPort.getAsInt();
        return names.stream().map(n -> new HostPort(n.host(), n.port() == 0 ? port : n.port()).toString())
                .collect(Collectors.joining(", "));
    }

    String describeOrigins() {
        return allowedOrigins.isEmpty() ? "none" : String.join(", ", allowedOrigins);
    }

    /**
     * {@code scheme://host:port} with the scheme and host lower-cased and the port always written,
     * so that {@code http://LOCALHOST} and {@code http://localhost:80} are one origin. Refuses
     * anything else (a path, user info, a query, {@code null}).
     */
    static String canonicalOrigin(String origin) {
        String c = canonicalOriginOrNull(origin);
        if (c == null) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin: expected scheme://host[:port] "
                    + "with scheme http or https and nothing after the port");
        }
        return c;
    }

    private static String canonicalOriginOrNull(String origin) {
        try {
            URI u = new URI(origin.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || !bare) {
                return null;
            }
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("http") ? HTTP_PORT : 443;
            return scheme + "://" + new HostPort(u.getHost(), port);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
