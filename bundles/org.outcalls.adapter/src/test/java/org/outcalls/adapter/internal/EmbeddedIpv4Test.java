package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.SpecialPurposeAddressesTest.address;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each way an IPv6 address carries an IPv4 address: the carried address is found where that form
 * puts it, and a private one is refused with the form and the IPv4 block named; where the IPv6
 * block itself is globally reachable (NAT64 64:ff9b::/96) or "N/A" (6to4, Teredo), a public
 * carried address is allowed.
 */
class EmbeddedIpv4Test {

    @ParameterizedTest(name = "{0} carries {2} as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:10.0.0.1            | IPv4-mapped, ::ffff:0:0/96              | 10.0.0.1
            ::ffff:0:10.0.0.1          | IPv4-translated (SIIT), ::ffff:0:0:0/96 | 10.0.0.1
            ::10.0.0.1                 | IPv4-compatible, ::/96                  | 10.0.0.1
            64:ff9b::10.0.0.1          | NAT64, 64:ff9b::/96                     | 10.0.0.1
            64:ff9b::127.0.0.1         | NAT64, 64:ff9b::/96                     | 127.0.0.1
            64:ff9b::169.254.169.254   | NAT64, 64:ff9b::/96                     | 169.254.169.254
            2002:a00:1::1              | 6to4, 2002::/16                         | 10.0.0.1
            2002:c0a8:101::1           | 6to4, 2002::/16                         | 192.168.1.1
            2001:0:a00:1::f7f7:f7f7    | Teredo server, 2001::/32                | 10.0.0.1
            2001:0:808:808::f5ff:fffe  | Teredo client, 2001::/32                | 10.0.0.1
            2001:0:808:808::80ff:fffe  | Teredo client, 2001::/32                | 127.0.0.1
            """)
    void aPrivateCarriedAddressIsFoundAndRefused(String ipv6, String form, String ipv4) throws Exception {
        List<EmbeddedIpv4> carried = EmbeddedIpv4.in(address(ipv6));
        assertTrue(carried.stream().anyMatch(e -> e.form().equals(form) && e.ipv4().getHostAddress().equals(ipv4)),
                () -> ipv6 + " carries " + carried);
        String reason = Destinations.nonPublicReason(address(ipv6));
        assertTrue(reason != null && reason.contains("carries the IPv4 address " + ipv4 + " (" + form + ") in "),
                () -> ipv6 + ": " + reason);
    }

    @ParameterizedTest(name = "{0} carries public {1} and is allowed")
    @CsvSource(delimiter = '|', textBlock = """
            64:ff9b::8.8.8.8           | 8.8.8.8
            2002:808:808::1            | 8.8.8.8
            2001:0:808:808::fefe:fefe  | 8.8.8.8, 1.1.1.1
            """)
    void aPublicCarriedAddressInAReachableBlockIsAllowed(String ipv6, String ipv4s) throws Exception {
        assertEquals(List.of(ipv4s.split(", ")), EmbeddedIpv4.in(address(ipv6)).stream()
                .map(e -> e.ipv4().getHostAddress()).toList());
        assertNull(Destinations.nonPublicReason(address(ipv6)));
    }

    @ParameterizedTest(name = "{0} is refused by its own block {1} whatever it carries")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:8.8.8.8           | ::ffff:0:0/96
            ::ffff:0:8.8.8.8         | ::ffff:0:0:0/96
            ::8.8.8.8                | ::/96
            64:ff9b:1::8.8.8.8       | 64:ff9b:1::/48
            64:ff9b:1:808:8:800::    | 64:ff9b:1::/48
            """)
    void aBlockThatIsNotReachableIsRefusedEvenCarryingAPublicAddress(String ipv6, String block) throws Exception {
        String reason = Destinations.nonPublicReason(address(ipv6));
        assertTrue(reason != null && reason.startsWith("which is in " + block + " ("), () -> ipv6 + ": " + reason);
    }
}
