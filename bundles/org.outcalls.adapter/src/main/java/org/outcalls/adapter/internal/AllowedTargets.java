package org.outcalls.adapter.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the {@code allowTargets} entries ({@code --allow-target}) into {@link Destinations}:
 * <ul>
 * <li>{@code HOST} — a host name, at any port;</li>
 * <li>{@code HOST:PORT} — a host name at that port only;</li>
 * <li>{@code IP}, {@code CIDR} — an address or a range, at any port;</li>
 * <li>{@code IPv4:PORT}, {@code [IPv6]:PORT} — that address at that port only.</li>
 * </ul>
 * A bare IPv6 address has colons of its own, so with a port it is written in brackets.
 */
final class AllowedTargets {
    private static final String KEY = "allowTargets";
    private static final String EXPECTED = "expected HOST, HOST:PORT, IP, IPv4:PORT, [IPv6]:PORT or a CIDR range";

    private final List<Cidr> ranges = new ArrayList<>();
    private final Set<String> hosts = new LinkedHashSet<>();
    private final Set<Destinations.Endpoint> hostPorts = new LinkedHashSet<>();
    private final Set<Destinations.Endpoint> addressPorts = new LinkedHashSet<>();

    private AllowedTargets() {
    }

    /** @throws IllegalArgumentException naming the key and the entry, for the first bad entry */
    static Destinations parse(List<String> entries) {
        AllowedTargets targets = new AllowedTargets();
        for (String entry : entries) {
            targets.add(entry);
        }
        return new Destinations(targets.ranges, targets.hosts, targets.hostPorts, targets.addressPorts);
    }

    private void add(String entry) {
        String t = entry == null ? "" : entry.trim();
        if (t.isEmpty()) {
            throw AdapterSettings.bad(KEY, entry, "is empty; " + EXPECTED);
        }
        int slash = t.indexOf('/');
        if (slash >= 0 && t.indexOf(':', slash) >= 0) {
            throw AdapterSettings.bad(KEY, entry, "has a port after a CIDR range; a port goes with one host or address"
                    + " (HOST:PORT, IPv4:PORT or [IPv6]:PORT)");
        }
        if (t.startsWith("[")) {
            addBracketed(entry, t);
        } else if (t.indexOf('/') >= 0 || t.indexOf(':') != t.lastIndexOf(':')) {
            // A range, or a bare IPv6 address (more than one colon): no port.
            ranges.add(range(entry, t));
        } else if (t.indexOf(':') >= 0) {
            addWithPort(entry, t.substring(0, t.indexOf(':')), t.substring(t.indexOf(':') + 1));
        } else {
            Cidr address = range(entry, t);
            if (address != null) {
                ranges.add(address);
            } else {
                hosts.add(hostName(entry, t));
            }
        }
    }

    /** {@code [IPv6]} or {@code [IPv6]:PORT}. */
    private void addBracketed(String entry, String t) {
        int close = t.indexOf(']');
        if (close < 0) {
            throw AdapterSettings.bad(KEY, entry, "opens an IPv6 address with '[' but never closes it; " + EXPECTED);
        }
        String inside = t.substring(1, close);
        String rest = t.substring(close + 1);
        if (inside.indexOf(':') < 0) {
            throw AdapterSettings.bad(KEY, entry, "has '" + inside + "' in brackets, which is not an IPv6 address; "
                    + EXPECTED);
        }
        if (rest.isEmpty() || rest.startsWith("/")) {
            ranges.add(range(entry, t));
        } else if (rest.startsWith(":")) {
            addWithPort(entry, "[" + inside + "]", rest.substring(1));
        } else {
            throw AdapterSettings.bad(KEY, entry, "has '" + rest + "' after the IPv6 address; " + EXPECTED);
        }
    }

    private void addWithPort(String entry, String host, String portText) {
        int port = port(entry, portText);
        if (host.isEmpty()) {
            throw AdapterSettings.bad(KEY, entry, "has no host before ':" + portText + "'; " + EXPECTED);
        }
        boolean ipv6 = host.startsWith("[");
        if (ipv6 || host.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
            String literal = ipv6 ? host.substring(1, host.length() - 1) : host;
            if (!ipv6 && !TargetUrl.isIpv4Literal(literal)) {
                throw AdapterSettings.bad(KEY, entry, "has '" + literal + "', which is not an IPv4 address (four numbers 0..255)");
            }
            addressPorts.add(new Destinations.Endpoint(Destinations.normalised(address(entry, literal)), port));
        } else {
            hostPorts.add(new Destinations.Endpoint(hostName(entry, host), port));
        }
    }

    private static int port(String entry, String text) {
        boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        int port = digits ? Integer.parseInt(text) : -1;
        if (port < 1 || port > 65535) {
            throw AdapterSettings.bad(KEY, entry, "has port '" + text + "'; a port is a number from 1 to 65535");
        }
        return port;
    }

    /** A range or a single address; null if the text is not an address at all (a host name, then). */
    private static Cidr range(String entry, String text) {
        try {
            return Cidr.parseOrNull(text);
        } catch (IllegalArgumentException e) {
            throw AdapterSettings.bad(KEY, entry, "is not valid: " + e.getMessage());
        }
    }

    private static InetAddress address(String entry, String literal) {
        Cidr single = range(entry, literal);
        if (single == null) {
            throw AdapterSettings.bad(KEY, entry, "has '" + literal + "', which is not an IP address; " + EXPECTED);
        }
        try {
            return InetAddress.getByAddress(single.network());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes
        }
    }

    /** Lower case, without the trailing dot of a fully qualified name. */
    private static String hostName(String entry, String text) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        boolean valid = !host.isEmpty() && host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_');
        if (!valid) {
            throw AdapterSettings.bad(KEY, entry, "is not a host name, an IP address or a CIDR range; " + EXPECTED);
        }
        return host;
    }
}
