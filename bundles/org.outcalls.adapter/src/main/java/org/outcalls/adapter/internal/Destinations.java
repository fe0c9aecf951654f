package org.outcalls.adapter.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which resolved addresses the adapter may connect to. Private, loopback, link-local,
 * unique-local, carrier-grade NAT, multicast, unspecified and reserved addresses are refused,
 * including when they hide inside IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4), unless an
 * allowed target ({@code --allow-target}) exempts the address or the URL's host name.
 */
final class Destinations {
    private final List<Cidr> allowedRanges;
    private final Set<String> allowedHosts;

    Destinations(List<Cidr> allowedRanges, Set<String> allowedHosts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    /** Null if the adapter may connect to the address for this URL host; else why not. */
    String refusal(String urlHost, InetAddress address) {
        String why = nonPublicReason(address);
        if (why == null || allowedHosts.contains(urlHost.toLowerCase(Locale.ROOT))) {
            return null;
        }
        for (Cidr c : allowedRanges) {
            if (c.contains(address)) {
                return null;
            }
        }
        return why;
    }

    /** Null for a public unicast address; else what kind of address it is. */
    static String nonPublicReason(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Reason(b);
        }
        if (address instanceof Inet6Address) {
            byte[] v4 = embeddedIpv4(address);
            if (v4 != null) {
                String why = ipv4Reason(v4);
                return why == null ? null : why + " (embedded in IPv6 " + address.getHostAddress() + ")";
            }
            if (isZero(b, 0, 15) && b[15] == 0) {
                return "the unspecified address";
            }
            if (isZero(b, 0, 15) && b[15] == 1) {
                return "a loopback address";
            }
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 0xff) {
                return "a multicast address";
            }
            if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
                return "a link-local address";
            }
            if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
                return "a site-local address";
            }
            if ((b0 & 0xfe) == 0xfc) {
                return "a unique-local address";
            }
            return null;
        }
        return "an address of unknown family";
    }

    /**
     * The IPv4 address inside an IPv6 one, for forms that reach an IPv4 host: IPv4-mapped
     * ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96})
     * and 6to4 ({@code 2002::/16}); null otherwise.
     */
    static byte[] embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return null;
        }
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] & 0xff) <= 1);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && isZero(b, 4, 12);
        if (mapped || compatible || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    private static String ipv4Reason(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        if (a == 0) {
            return "an unspecified (\"this network\") address";
        }
        if (a == 127) {
            return "a loopback address";
        }
        if (a == 10 || a == 172 && (c & 0xf0) == 16 || a == 192 && c == 168) {
            return "a private (RFC 1918) address";
        }
        if (a == 169 && c == 254) {
            return "a link-local address";
        }
        if (a == 100 && (c & 0xc0) == 64) {
            return "a carrier-grade NAT (RFC 6598) address";
        }
        if (a >= 224 && a <= 239) {
            return "a multicast address";
        }
        if (a >= 240) {
            return a == 255 && c == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255
                    ? "the broadcast address" : "a reserved address";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
