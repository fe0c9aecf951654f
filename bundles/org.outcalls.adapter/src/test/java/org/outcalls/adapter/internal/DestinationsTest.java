package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationsTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    /** 16 bytes as written, so Java does not turn an IPv4-mapped address into an Inet4Address. */
    private static InetAddress v6(String literal) throws Exception {
        return java.net.Inet6Address.getByAddress(null, InetAddress.getByName(literal).getAddress().length == 16
                ? InetAddress.getByName(literal).getAddress() : mapped(InetAddress.getByName(literal).getAddress()), null);
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    @Test
    void refusesEveryNonPublicRange() throws Exception {
        for (String a : List.of("127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1",
                "240.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
                "fec0::1", "::127.0.0.1", "64:ff9b::10.0.0.1", "2002:c0a8:0101::1")) {
            assertNotNull(Destinations.nonPublicReason(ip(a)), a);
        }
        assertNotNull(Destinations.nonPublicReason(v6("127.0.0.1")), "IPv4-mapped loopback");
        assertTrue(Destinations.nonPublicReason(v6("10.1.2.3")).contains("RFC 1918"));
    }

    @Test
    void allowsPublicAddresses() throws Exception {
        for (String a : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "100.63.255.255",
                "169.253.1.1", "192.169.0.1", "2001:4860:4860::8888", "2606:4700::1111", "64:ff9b::8.8.8.8")) {
            assertNull(Destinations.nonPublicReason(ip(a)), a);
        }
        // ::ffff:0:0/96 is not globally reachable in the IANA registry, whatever it carries. (A URL
        // or DNS answer spelling ::ffff:8.8.8.8 reaches the adapter as the IPv4 address 8.8.8.8:
        // Java converts it.)
        assertTrue(Destinations.nonPublicReason(v6("8.8.8.8")).contains("::ffff:0:0/96"), "IPv4-mapped public");
        assertNull(Destinations.nonPublicReason(ip("::ffff:8.8.8.8")), "Java's own IPv4 form of it");
    }

    @Test
    void allowedTargetsExemptRangesAndHostNames() throws Exception {
        Destinations d = new Destinations(List.of(Cidr.parseOrNull("10.0.0.0/8"), Cidr.parseOrNull("fd00::/8")),
                Set.of("internal.example"));
        assertNull(d.refusal("x.example", ip("10.9.9.9")));
        assertNull(d.refusal("x.example", v6("10.9.9.9")), "the mapped form of an allowed IPv4 address");
        assertNull(d.refusal("x.example", ip("fd00::5")));
        assertNotNull(d.refusal("x.example", ip("192.168.0.1")));
        assertNull(d.refusal("internal.example", ip("192.168.0.1")));
        assertNull(d.refusal("x.example", ip("8.8.8.8")));
    }

    @Test
    void parsesRangesAndRejectsMalformedOnes() {
        assertEquals("10.0.0.0/8", Cidr.parseOrNull("10.1.2.3/8").toString());
        assertEquals("127.0.0.1/32", Cidr.parseOrNull("127.0.0.1").toString());
        assertEquals(128, Cidr.parseOrNull("[::1]").prefix());
        assertNull(Cidr.parseOrNull("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("300.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("10.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("fd00::/129"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("host/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parseOrNull("10.0.0.0/x"));
    }
}
