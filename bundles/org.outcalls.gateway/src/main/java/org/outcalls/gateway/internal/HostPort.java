package org.outcalls.gateway.internal;

import java.util.Locale;

/**
 * A host and port as the gateway compares them: the host lower-cased, an IPv6 literal without
 * its brackets. Names are compared as text and never resolved (a lookup would block, and the
 * point is to refuse names the gateway was not given, whatever they resolve to).
 */
record HostPort(String host, int port) {
    HostPort {
        host = bare(host).toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not within 1..65535");
        }
    }

    /**
     * Parses {@code name}, {@code name:port}, {@code [v6]}, {@code [v6]:port} or a bare {@code v6}
     * literal; without a port, {@code defaultPort}.
     */
    static HostPort parse(String text, int defaultPort) {
        String[] hostAndPort = split(text);
        String port = hostAndPort[1];
        if (port == null) {
            return new HostPort(hostAndPort[0], defaultPort);
        }
        if (!port.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("'" + text + "': the port must be a number within 1..65535");
        }
        return new HostPort(hostAndPort[0], Integer.parseInt(port));
    }

    /** Whether the text names a port of its own. */
    static boolean hasPort(String text) {
        return split(text)[1] != null;
    }

    /** {host, port text or null}; a bare IPv6 literal (more than one colon, no brackets) has no port. */
    private static String[] split(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.contains("]")) {
            int close = t.indexOf(']');
            String rest = t.substring(close + 1);
            return new String[] {t.substring(0, close + 1), rest.startsWith(":") ? rest.substring(1) : rest.isEmpty() ? null : rest};
        }
        int colon = t.indexOf(':');
        if (colon < 0 || colon != t.lastIndexOf(':')) {
            return new String[] {t, null};
        }
        return new String[] {t.substring(0, colon), t.substring(colon + 1)};
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** As it appears in a URL: {@code localhost:7450}, {@code [::1]:7450}. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
