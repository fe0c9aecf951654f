package org.outcalls.adapter.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 address range, such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
record Cidr(byte[] network, int prefix) {

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}; returns null if the text is not an IP
     * address at all (then it may be a host name), throws if it is a malformed range.
     */
    static Cidr parseOrNull(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        if (addressPart.startsWith("[") && addressPart.endsWith("]")) {
            addressPart = addressPart.substring(1, addressPart.length() - 1);
        }
        boolean v6 = addressPart.indexOf(':') >= 0;
        boolean v4 = !v6 && addressPart.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')
                && !addressPart.isEmpty();
        if (!v4 && !v6) {
            if (slash >= 0) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR range: '" + addressPart
                        + "' is not an IP address");
            }
            return null;
        }
        if (v4 && !TargetUrl.isIpv4Literal(addressPart)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (four numbers 0..255)");
        }
        byte[] bytes;
        try {
            // A literal (digits and dots, or containing ':') never causes a DNS lookup.
            bytes = InetAddress.getByName(addressPart).getAddress();
            if (v6 && bytes.length == 4) {
                // Java returns ::ffff:a.b.c.d as an IPv4 address; a range written in IPv6 stays IPv6.
                bytes = EmbeddedIpv4.mapped(bytes);
            }
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address: " + e.getMessage());
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number 0.." + max);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + "; at most " + max
                        + " for " + (bytes.length == 4 ? "IPv4" : "IPv6"));
            }
        }
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /**
     * True if the address is in this range, counting an IPv4 address and its IPv4-mapped IPv6 form
     * ({@code ::ffff:a.b.c.d}) as one: to a socket they are the same IPv4 host, and Java itself
     * turns the mapped form into an {@code Inet4Address}. For allowed targets.
     */
    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16 && network.length == 4) {
            a = EmbeddedIpv4.mappedIpv4(a);
        } else if (a.length == 4 && network.length == 16) {
            a = EmbeddedIpv4.mapped(a);
        }
        return a != null && covers(a);
    }

    /** True if the address bytes (4 for IPv4, 16 for IPv6) are in this range; never across families. */
    boolean covers(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address, prefix), network);
    }

    /** A range written in code, such as a registry entry: a malformed one is a bug, not a bad input. */
    static Cidr of(String text) {
        Cidr c = parseOrNull(text);
        if (c == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP range");
        }
        return c;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            // Inet6Address keeps an IPv4-mapped range in IPv6 notation.
            InetAddress a = network.length == 4 ? InetAddress.getByAddress(network)
                    : java.net.Inet6Address.getByAddress(null, network, -1);
            return a.getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return Arrays.toString(network) + "/" + prefix;
        }
    }
}
