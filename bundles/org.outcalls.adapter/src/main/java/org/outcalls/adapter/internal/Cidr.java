package org.outcalls.adapter.internal;

import java.net.Inet4Address;
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

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            // An IPv4 range also covers the IPv4-mapped IPv6 form of its addresses.
            byte[] v4 = Destinations.embeddedIpv4(address);
            if (v4 == null || network.length != 4) {
                return false;
            }
            a = v4;
        }
        return Arrays.equals(mask(a, prefix), network);
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
            String a = network.length == 4 ? InetAddress.getByAddress(network).getHostAddress()
                    : InetAddress.getByAddress(network).getHostAddress();
            return a + "/" + prefix;
        } catch (UnknownHostException e) {
            return Arrays.toString(network) + "/" + prefix;
        }
    }

    static boolean isInet4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
