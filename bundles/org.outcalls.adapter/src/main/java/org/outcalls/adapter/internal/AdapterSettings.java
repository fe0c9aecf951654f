package org.outcalls.adapter.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.outcalls.api.Limits;

/**
 * The adapter's settings, validated: every bad value fails with a message that names the
 * configuration key and the value. Built from the DS configuration or directly by tests.
 */
final class AdapterSettings {
    static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 16;
    static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

    final List<Path> trustCa;
    final TrustManagerFactory trust;
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
        this.trust = trustManagers(trustCa);
        this.destinations = destinations(b.allowTargets);
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

    private static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException("org.outcalls.adapter configuration: " + key + " = '" + value + "' " + why);
    }

    private static Destinations destinations(List<String> allowTargets) {
        List<Cidr> ranges = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (String entry : allowTargets) {
            String t = entry == null ? "" : entry.trim();
            if (t.isEmpty()) {
                throw bad("allowTargets", entry, "is empty; expected a host name, an IP address or a CIDR range");
            }
            Cidr cidr;
            try {
                cidr = Cidr.parseOrNull(t);
            } catch (IllegalArgumentException e) {
                throw bad("allowTargets", entry, "is not valid: " + e.getMessage());
            }
            if (cidr != null) {
                ranges.add(cidr);
                continue;
            }
            String host = t.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            boolean valid = !host.isEmpty() && host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_');
            if (!valid) {
                throw bad("allowTargets", entry, "is not a host name, an IP address or a CIDR range");
            }
            hosts.add(host);
        }
        return new Destinations(ranges, hosts);
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

    /** The JDK's roots plus the extra PEM roots, as one PKIX trust manager factory. */
    private static TrustManagerFactory trustManagers(List<Path> extra) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, c);
                    }
                }
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path pem : extra) {
                Collection<? extends Certificate> certs;
                try (InputStream in = Files.newInputStream(pem)) {
                    certs = factory.generateCertificates(in);
                } catch (IOException e) {
                    throw bad("trustCa", pem, "cannot be read: " + e);
                } catch (CertificateException e) {
                    throw bad("trustCa", pem, "is not a PEM certificate file: " + e.getMessage());
                }
                if (certs.isEmpty()) {
                    throw bad("trustCa", pem, "contains no certificate");
                }
                for (Certificate c : certs) {
                    store.setCertificateEntry("extra-" + n++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            return tmf;
        } catch (KeyStoreException | NoSuchAlgorithmException | CertificateException | IOException e) {
            throw new IllegalStateException("cannot set up the trust store: " + e, e);
        }
    }

    static final class Builder {
        private final List<Path> trustCa = new ArrayList<>();
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
