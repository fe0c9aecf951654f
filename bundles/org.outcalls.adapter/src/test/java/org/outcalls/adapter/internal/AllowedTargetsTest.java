package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.outcalls.adapter.internal.SpecialPurposeAddressesTest.address;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allowed targets with and without a port, and host-scoped trust roots: what they exempt, and their errors. */
class AllowedTargetsTest {

    private static Destinations allow(String... entries) {
        return AllowedTargets.parse(List.of(entries));
    }

    @Test
    void aHostWithAPortExemptsThatHostAtThatPortOnly() throws Exception {
        Destinations d = allow("localhost:7443");
        assertNull(d.refusal("localhost", 7443, address("127.0.0.1")));
        assertNull(d.refusal("LOCALHOST", 7443, address("::1")), "any address the name resolves to");
        assertNotNull(d.refusal("localhost", 7444, address("127.0.0.1")), "another port");
        assertNotNull(d.refusal("127.0.0.1", 7443, address("127.0.0.1")), "the address by itself is not the host");
        assertNotNull(d.refusal("other.example", 7443, address("127.0.0.1")), "another host");
    }

    @Test
    void anAddressWithAPortExemptsThatAddressAtThatPortOnly() throws Exception {
        Destinations d = allow("127.0.0.1:7443", "[::1]:8443");
        assertNull(d.refusal("localhost", 7443, address("127.0.0.1")));
        assertNull(d.refusal("any.example", 7443, address("::ffff:127.0.0.1")), "its IPv4-mapped form");
        assertNotNull(d.refusal("localhost", 7444, address("127.0.0.1")), "another port");
        assertNotNull(d.refusal("localhost", 7443, address("127.0.0.2")), "another address");
        assertNull(d.refusal("localhost", 8443, address("0:0:0::1")));
        assertNotNull(d.refusal("localhost", 7443, address("::1")));
    }

    @Test
    void hostsAddressesAndRangesWithoutAPortExemptEveryPort() throws Exception {
        Destinations d = allow("intranet.example", "::1", "[fd00::]/8", "10.0.0.0/8", "::ffff:192.168.0.1");
        assertNull(d.refusal("intranet.example", 1, address("192.168.9.9")));
        assertNull(d.refusal("x", 22, address("::1")));
        assertNull(d.refusal("x", 22, address("fd00::5")));
        assertNull(d.refusal("x", 22, address("192.168.0.1")), "an IPv4-mapped entry is that IPv4 address");
        assertNotNull(d.refusal("x", 22, address("192.168.0.2")));
    }

    @Test
    void anIpv4RangeExemptsTheAddressesCarriedInsideIpv6OnlyWhereTheIpv6BlockIsReachable() throws Exception {
        Destinations d = allow("10.0.0.0/8");
        assertNull(d.refusal("x", 443, address("64:ff9b::10.0.0.1")), "NAT64: only the carried address was refused");
        assertNull(d.refusal("x", 443, address("2002:a00:1::1")), "6to4");
        assertNull(d.refusal("x", 443, address("::ffff:10.0.0.1")), "IPv4-mapped: the same host");
        assertNotNull(d.refusal("x", 443, address("64:ff9b:1::10.0.0.1")), "local-use NAT64 is refused as a block");
        assertNotNull(d.refusal("x", 443, address("::10.0.0.1")), "IPv4-compatible is refused as a block");
    }

    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost:           | has port ''; a port is a number from 1 to 65535
            localhost:0          | has port '0'; a port is a number from 1 to 65535
            localhost:65536      | has port '65536'; a port is a number from 1 to 65535
            localhost:https      | has port 'https'; a port is a number from 1 to 65535
            :443                 | has no host before ':443'
            [::1                 | opens an IPv6 address with '[' but never closes it
            [::1]x               | has 'x' after the IPv6 address
            [localhost]:443      | has 'localhost' in brackets, which is not an IPv6 address
            10.0.0.0/8:443       | has a port after a CIDR range
            300.1.1.1:443        | has '300.1.1.1', which is not an IPv4 address
            not a host!:443      | is not a host name, an IP address or a CIDR range
            10.0.0.0/33          | is not valid: '10.0.0.0/33' has prefix length 33; at most 32 for IPv4
            """)
    void aMalformedEntryIsNamedWithWhatIsWrong(String entry, String why) {
        String m = assertThrows(IllegalArgumentException.class, () -> allow(entry)).getMessage();
        assertTrue(m.startsWith("org.outcalls.adapter configuration: allowTargets = '" + entry + "' " + why), m);
    }

    @Test
    void aMalformedScopedTrustEntryIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        String m = assertThrows(IllegalArgumentException.class, () -> AdapterSettings.builder()
                .scopedTrustCa("localhost", missing.toString()).build()).getMessage();
        assertTrue(m.contains("scopedTrustCa = 'localhost=" + missing + "' cannot be read"), m);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        m = assertThrows(IllegalArgumentException.class, () -> AdapterSettings.builder()
                .scopedTrustCa("localhost", empty.toString()).build()).getMessage();
        assertTrue(m.contains("scopedTrustCa = 'localhost=" + empty + "' contains no certificate"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterSettings.builder()
                .scopedTrustCa("not a host", empty.toString()).build()).getMessage();
        assertTrue(m.contains("scopedTrustCa = 'not a host=" + empty + "' does not start with a host name"), m);
        m = assertThrows(IllegalArgumentException.class, () -> AdapterSettings.builder()
                .scopedTrustCa("localhost", " ").build()).getMessage();
        assertTrue(m.contains("scopedTrustCa = 'localhost= ' names no PEM file"), m);
    }
}
