package org.outcalls.adapter.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.X509ExtendedTrustManager;
import org.outcalls.api.Limits;

/**
 * The adapter's settings, validated: every bad value fails with a message that names the
 * configuration key and the value. Built from the DS configuration or directly by tests.
 */
final class AdapterSettings {
    static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 16;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

    final List<Path> trustCa;
    /** Extra roots trusted for one host each, by {@link HostScopedTrustManager#key(String)}; sorted. */
    final Map<String, List<Path>> scopedTrustCa;
    final X509ExtendedTrustManager trust;
    final Destinations destinations;
    final int connectTimeoutMillis;
    final long requestTimeoutMillis;
    final int maxConnectionsPerHost;
    final int idleTimeoutSeconds;
    /** SOCKS5 proxy tried when a direct connection fails; null when off. */
    final String socksHost;
    final int socksPort;
    final String userAgent;
    /** Name servers to ask, in order; empty: the system's (from /etc/resolv.conf). */
    final List<InetSocketAddress> dnsServers;

    private AdapterSettings(Builder b) {
        if (b.connectTimeoutMillis <= 0) {
            throw bad("connectTimeoutMillis", b.connectTimeoutMillis, "must be a positive number of milliseconds");
        }
        if (b.requestTimeoutMillis <= 0) {
            throw bad("requestTimeoutMillis", b.requestTimeoutMillis, "must be a positive number of milliseconds");
        }
        if (b.maxConnectionsPerHost <= 0) {
            throw bad("maxConnectionsPerHost", b.maxConnectionsPerHost, "must be at least 1");
        }
        if (b.idleTimeoutSeconds <= 0) {
            throw bad("idleTimeoutSeconds", b.idleTimeoutSeconds, "must be at least 1 second");
        }
        if (b.userAgent == null || b.userAgent.isBlank() || b.userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw bad("userAgent", b.userAgent, "must be non-empty printable text");
        }
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.requestTimeoutMillis = b.requestTimeoutMillis;
        this.maxConnectionsPerHost = b.maxConnectionsPerHost;
        this.idleTimeoutSeconds = b.idleTimeoutSeconds;
        this.userAgent = b.userAgent;
        this.trustCa = List.copyOf(b.trustCa);
        this.scopedTrustCa = scopedTrustCa(b.scopedTrustCa);
        this.trust = TrustRoots.build(trustCa, scopedTrustCa);
        this.destinations = AllowedTargets.parse(b.allowTargets);
        this.dnsServers = dnsServers(b.dnsServers);
        if (b.socksProxy == null || b.socksProxy.isBlank()) {
            this.socksHost = null;
            this.socksPort = 0;
        } else {
            String s = b.socksProxy.trim();
            int colon = s.lastIndexOf(':');
            String host = colon <= 0 ? "" : s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String port = colon < 0 ? "" : s.substring(colon + 1);
            if (host.isEmpty() || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw bad("socksProxy", b.socksProxy, "must be host:port with a port from 1 to 65535, or empty for none");
            }
            this.socksHost = host;
            this.socksPort = Integer.parseInt(port);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    boolean socksEnabled() {
        return socksHost != null;
    }

    /** The error for a bad configuration value: names the key, the value and what is wrong. */
    static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException("org.outcalls.adapter configuration: " + key + " = '" + value + "' " + why);
    }

    /** {@code HOST=PEM} entries, grouped by host; the host is a name or an IP literal. */
    private static Map<String, List<Path>> scopedTrustCa(List<String[]> entries) {
        Map<String, List<Path>> out = new TreeMap<>();
        for (String[] e : entries) {
            String host = e[0] == null ? "" : e[0].trim();
            String entry = host + "=" + e[1];
            boolean name = !host.isEmpty() && host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_');
            boolean ipv6 = host.indexOf(':') >= 0 && isAddress(host);
            if (!name && !ipv6) {
                throw bad("scopedTrustCa", entry, "does not start with a host name or IP address; expected HOST=PEM");
            }
            if (e[1] == null || e[1].isBlank()) {
                throw bad("scopedTrustCa", entry, "names no PEM file; expected HOST=PEM");
            }
            Path pem;
            try {
                pem = Path.of(e[1].trim());
            } catch (java.nio.file.InvalidPathException x) {
                throw bad("scopedTrustCa", entry, "names no valid path: " + x.getMessage());
            }
            out.computeIfAbsent(HostScopedTrustManager.key(host), k -> new ArrayList<>()).add(pem);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }

    private static boolean isAddress(String text) {
        try {
            return Cidr.parseOrNull(text) != null && text.indexOf('/') < 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Name servers by address ({@code ip}, {@code ip:port} or {@code [ipv6]:port}; port 53 if
     * none): a name server given by name would need a name server to find it.
     */
    private static List<InetSocketAddress> dnsServers(List<String> entries) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : entries) {
            String t = entry == null ? "" : entry.trim();
            String host = t;
            String port = "53";
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                host = close < 0 ? "" : t.substring(1, close);
                String rest = close < 0 ? "" : t.substring(close + 1);
                port = rest.isEmpty() ? port : rest.startsWith(":") ? rest.substring(1) : "";
            } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            }
            boolean literal = TargetUrl.isIpv4Literal(host) || host.indexOf(':') >= 0;
            boolean portOk = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
            Cidr address = null;
            try {
                address = literal ? Cidr.parseOrNull(host) : null;
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (address == null || !portOk) {
                throw bad("dnsServers", entry, "is not a name server address: expected ip, ip:port or [ipv6]:port"
                        + " with a port from 1 to 65535 (by address, not by name)");
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(address.network()), Integer.parseInt(port)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(out);
    }

    static final class Builder {
        private final List<Path> trustCa = new ArrayList<>();
        private final List<String[]> scopedTrustCa = new ArrayList<>();
        private final List<String> allowTargets = new ArrayList<>();
        private int connectTimeoutMillis = (int) Limits.CONNECT_TIMEOUT_MILLIS;
        private long requestTimeoutMillis = Limits.REQUEST_TIMEOUT_MILLIS;
        private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
        private int idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
        private String socksProxy = "";
        private String userAgent = Limits.DEFAULT_USER_AGENT;
        private final List<String> dnsServers = new ArrayList<>();

        Builder trustCa(Path pem) {
            trustCa.add(pem);
            return this;
        }

        /** Trusts the roots in {@code pem} for {@code host} only (a name or an IP literal, as in the URL). */
        Builder scopedTrustCa(String host, String pem) {
            scopedTrustCa.add(new String[] {host, pem});
            return this;
        }

        Builder allowTarget(String target) {
            allowTargets.add(target);
            return this;
        }

        Builder connectTimeoutMillis(int millis) {
            connectTimeoutMillis = millis;
            return this;
        }

        Builder requestTimeoutMillis(long millis) {
            requestTimeoutMillis = millis;
            return this;
        }

        Builder maxConnectionsPerHost(int n) {
            maxConnectionsPerHost = n;
            return this;
        }

        Builder idleTimeoutSeconds(int seconds) {
            idleTimeoutSeconds = seconds;
            return this;
        }

        Builder socksProxy(String hostPort) {
            socksProxy = hostPort;
            return this;
        }

        Builder userAgent(String ua) {
            userAgent = ua;
            return this;
        }

        Builder dnsServer(String address) {
            dnsServers.add(address);
            return this;
        }

        AdapterSettings build() {
            return new AdapterSettings(this);
        }
    }
}
