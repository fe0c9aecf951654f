package org.outcalls.adapter.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 address carried inside an IPv6 address, and the form that carries it. A packet to such
 * an IPv6 address may end up at the IPv4 host (through the dual-stack socket, a NAT64 translator,
 * a 6to4 relay or a Teredo relay), so the adapter checks the IPv4 address as well.
 *
 * @param form how it is carried, with the IPv6 block, e.g. {@code "6to4, 2002::/16"}
 * @param ipv4 the carried address
 */
record EmbeddedIpv4(String form, InetAddress ipv4) {

    /** Every IPv4 address {@code address} carries; empty for IPv4 and for other IPv6 addresses. */
    static List<EmbeddedIpv4> in(InetAddress address) {
        byte[] b = address.getAddress();
        List<EmbeddedIpv4> out = new ArrayList<>(2);
        if (b.length != 16) {
            return out;
        }
        if (mappedIpv4(b) != null) {
            out.add(last32("IPv4-mapped, ::ffff:0:0/96", b));
        } else if (isZero(b, 0, 8) && ff(b[8]) && ff(b[9]) && isZero(b, 10, 12)) {
            out.add(last32("IPv4-translated (SIIT), ::ffff:0:0:0/96", b));
        } else if (isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] & 0xff) <= 1)) {
            // :: and ::1 are the unspecified and loopback addresses, not IPv4-compatible ones.
            out.add(last32("IPv4-compatible, ::/96", b));
        } else if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && isZero(b, 4, 12)) {
            out.add(last32("NAT64, 64:ff9b::/96", b));
        } else if (startsWith(b, 0x20, 0x02)) {
            out.add(new EmbeddedIpv4("6to4, 2002::/16", ipv4(b[2], b[3], b[4], b[5])));
        } else if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {
            // RFC 4380 section 4: the server in bits 32..63, the client's mapped address obfuscated
            // (every bit inverted) in bits 96..127.
            out.add(new EmbeddedIpv4("Teredo server, 2001::/32", ipv4(b[4], b[5], b[6], b[7])));
            out.add(new EmbeddedIpv4("Teredo client, 2001::/32",
                    ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15])));
        }
        // 64:ff9b:1::/48 (local-use NAT64) may place the IPv4 address at any RFC 6052 prefix
        // length the operator chose; the whole block is refused, so nothing is extracted here.
        return out;
    }

    /** The IPv4 address of an IPv4-mapped address ({@code ::ffff:a.b.c.d}), or null. */
    static byte[] mappedIpv4(byte[] b) {
        if (b.length == 16 && isZero(b, 0, 10) && ff(b[10]) && ff(b[11])) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        return null;
    }

    /** The IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) of an IPv4 address. */
    static byte[] mapped(byte[] ipv4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ipv4, 0, b, 12, 4);
        return b;
    }

    private static EmbeddedIpv4 last32(String form, byte[] b) {
        return new EmbeddedIpv4(form, ipv4(b[12], b[13], b[14], b[15]));
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ff(byte b) {
        return (b & 0xff) == 0xff;
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
