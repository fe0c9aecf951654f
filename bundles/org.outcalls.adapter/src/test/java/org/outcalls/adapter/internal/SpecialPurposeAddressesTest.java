package org.outcalls.adapter.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries, and the blocks beyond
 * them: an address inside each block, judged as the registry says (refused, naming the block,
 * or allowed where the entry is globally reachable), and one just outside where that means
 * something (allowed, or refused by the enclosing block named there).
 */
class SpecialPurposeAddressesTest {
    private static final String PUBLIC = "public";

    /** 16 bytes as written, so Java does not turn an IPv4-mapped address into an IPv4 one. */
    static InetAddress address(String literal) throws Exception {
        byte[] b = InetAddress.getByName(literal).getAddress();
        if (literal.indexOf(':') < 0) {
            return InetAddress.getByAddress(b);
        }
        return Inet6Address.getByAddress(null, b.length == 16 ? b : EmbeddedIpv4.mapped(b), null);
    }

    /** Asserts the verdict: {@code public}, or refused by exactly this block (named, with its purpose). */
    static void assertVerdict(String literal, String verdict) throws Exception {
        String reason = Destinations.nonPublicReason(address(literal));
        if (verdict.equals(PUBLIC)) {
            assertNull(reason, literal + " should be allowed");
            return;
        }
        AddressBlock block = Stream.of(SpecialPurposeAddresses.IPV4_REGISTRY, SpecialPurposeAddresses.IPV6_REGISTRY,
                SpecialPurposeAddresses.BEYOND_THE_REGISTRIES).flatMap(java.util.List::stream).filter(b -> b.written().equals(verdict))
                .findFirst().orElseThrow(() -> new AssertionError("no block " + verdict + " in the tables"));
        assertTrue(reason != null && reason.startsWith("which is in " + verdict + " (" + block.name() + ", " + block.rfc()
                + "), "), () -> literal + " should be refused as in " + verdict + ", was: " + reason);
    }

    @ParameterizedTest(name = "{0}: {1} is {2}; just outside, {3} is {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # IANA IPv4 Special-Purpose Address Registry, row by row
            0.0.0.0/8          | 0.255.255.255   | 0.0.0.0/8          | 1.0.0.0         | public
            0.0.0.0/32         | 0.0.0.0         | 0.0.0.0/32         | 0.0.0.1         | 0.0.0.0/8
            10.0.0.0/8         | 10.255.255.255  | 10.0.0.0/8         | 11.0.0.0        | public
            100.64.0.0/10      | 100.127.255.255 | 100.64.0.0/10      | 100.128.0.0     | public
            127.0.0.0/8        | 127.255.255.254 | 127.0.0.0/8        | 128.0.0.0       | public
            169.254.0.0/16     | 169.254.169.254 | 169.254.0.0/16     | 169.255.0.0     | public
            172.16.0.0/12      | 172.31.255.255  | 172.16.0.0/12      | 172.32.0.0      | public
            192.0.0.0/24       | 192.0.0.255     | 192.0.0.0/24       | 192.0.1.0       | public
            192.0.0.0/29       | 192.0.0.7       | 192.0.0.0/29       | 192.0.0.11      | 192.0.0.0/24
            192.0.0.8/32       | 192.0.0.8       | 192.0.0.8/32       | 192.0.0.11      | 192.0.0.0/24
            192.0.0.9/32       | 192.0.0.9       | public             | 192.0.0.11      | 192.0.0.0/24
            192.0.0.10/32      | 192.0.0.10      | public             | 192.0.0.11      | 192.0.0.0/24
            192.0.0.170/32     | 192.0.0.170     | 192.0.0.170/32     | 192.0.0.169     | 192.0.0.0/24
            192.0.0.171/32     | 192.0.0.171     | 192.0.0.171/32     | 192.0.0.172     | 192.0.0.0/24
            192.0.2.0/24       | 192.0.2.1       | 192.0.2.0/24       | 192.0.3.0       | public
            192.31.196.0/24    | 192.31.196.1    | public             | -               | -
            192.52.193.0/24    | 192.52.193.1    | public             | -               | -
            192.88.99.0/24     | 192.88.99.1     | 192.88.99.0/24     | 192.88.100.0    | public
            192.88.99.2/32     | 192.88.99.2     | 192.88.99.2/32     | 192.88.99.3     | 192.88.99.0/24
            192.168.0.0/16     | 192.168.255.255 | 192.168.0.0/16     | 192.169.0.0     | public
            192.175.48.0/24    | 192.175.48.1    | public             | -               | -
            198.18.0.0/15      | 198.19.255.255  | 198.18.0.0/15      | 198.20.0.0      | public
            198.51.100.0/24    | 198.51.100.1    | 198.51.100.0/24    | 198.51.101.0    | public
            203.0.113.0/24     | 203.0.113.255   | 203.0.113.0/24     | 203.0.114.0     | public
            240.0.0.0/4        | 240.0.0.1       | 240.0.0.0/4        | 239.255.255.255 | 224.0.0.0/4
            255.255.255.255/32 | 255.255.255.255 | 255.255.255.255/32 | 255.255.255.254 | 240.0.0.0/4
            # IANA IPv6 Special-Purpose Address Registry, row by row
            ::1/128            | ::1                     | ::1/128            | ::2               | ::/96
            ::/128             | ::                      | ::/128             | ::1               | ::1/128
            ::ffff:0:0/96      | ::ffff:8.8.8.8          | ::ffff:0:0/96      | ::fffe:0:0        | ::/3
            64:ff9b::/96       | 64:ff9b::8.8.8.8        | public             | 64:ff9b:0:0:1::   | ::/3
            64:ff9b:1::/48     | 64:ff9b:1::8.8.8.8      | 64:ff9b:1::/48     | 64:ff9b:2::       | ::/3
            100::/64           | 100::1                  | 100::/64           | 100:0:0:2::       | ::/3
            100:0:0:1::/64     | 100:0:0:1::1            | 100:0:0:1::/64     | 100:0:0:2::       | ::/3
            2001::/23          | 2001:100::1             | 2001::/23          | 2001:200::       | public
            2001::/32          | 2001:0:808:808::f7f7:f7f7 | public           | 2001:1::4         | 2001::/23
            2001:1::1/128      | 2001:1::1               | public             | 2001:1::4         | 2001::/23
            2001:1::2/128      | 2001:1::2               | public             | 2001:1::4         | 2001::/23
            2001:1::3/128      | 2001:1::3               | public             | 2001:1::4         | 2001::/23
            2001:2::/48        | 2001:2::1               | 2001:2::/48        | 2001:2:1::        | 2001::/23
            2001:3::/32        | 2001:3::1               | public             | 2001:4::1         | 2001::/23
            2001:4:112::/48    | 2001:4:112::1           | public             | 2001:4:113::      | 2001::/23
            2001:10::/28       | 2001:10::1              | 2001:10::/28       | 2001:f:ffff::     | 2001::/23
            2001:20::/28       | 2001:20::1              | public             | 2001:1f:ffff::    | 2001:10::/28
            2001:30::/28       | 2001:30::1              | public             | 2001:40::         | 2001::/23
            2001:db8::/32      | 2001:db8::1             | 2001:db8::/32      | 2001:db9::        | public
            2002::/16          | 2002:808:808::1         | public             | 2003::            | public
            2620:4f:8000::/48  | 2620:4f:8000::1         | public             | -                 | -
            3fff::/20          | 3fff::1                 | 3fff::/20          | 3fff:1000::       | public
            5f00::/16          | 5f00::1                 | 5f00::/16          | 5f01::            | 4000::/2
            fc00::/7           | fd12:3456::1            | fc00::/7           | fe00::            | 8000::/1
            fe80::/10          | fe80::1                 | fe80::/10          | fec0::1           | fec0::/10
            # Beyond the registries
            224.0.0.0/4        | 224.0.0.1               | 224.0.0.0/4        | 223.255.255.255   | public
            ::/96              | ::8.8.8.8               | ::/96              | ::1:0:0           | ::/3
            ::ffff:0:0:0/96    | ::ffff:0:8.8.8.8        | ::ffff:0:0:0/96    | ::ffff:1:0:0      | ::/3
            ::/3               | 1fff::1                 | ::/3               | 2000::1           | public
            4000::/2           | 4000::1                 | 4000::/2           | 3fff:ffff::       | public
            8000::/1           | 8000::1                 | 8000::/1           | 7fff:ffff::       | 4000::/2
            fec0::/10          | fec0::1                 | fec0::/10          | ff00::1           | ff00::/8
            ff00::/8           | ff02::1                 | ff00::/8           | feff::            | fec0::/10
            """)
    void everyBlockIsJudgedAsItsEntrySays(String block, String inside, String insideVerdict, String outside,
            String outsideVerdict) throws Exception {
        assertVerdict(inside, insideVerdict.equals(PUBLIC) ? PUBLIC : block);
        if (outside != null) {
            assertVerdict(outside, outsideVerdict);
        }
    }

    /** The test above lists every block of the tables, so a new table row needs a new test row. */
    @Test
    void theTestCoversEveryRowOfTheTables() throws Exception {
        CsvSource rows = getClass().getDeclaredMethod("everyBlockIsJudgedAsItsEntrySays", String.class, String.class,
                String.class, String.class, String.class).getAnnotation(CsvSource.class);
        Set<String> tested = rows.textBlock().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('|')).strip()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inTables = Stream.of(SpecialPurposeAddresses.IPV4_REGISTRY, SpecialPurposeAddresses.IPV6_REGISTRY,
                SpecialPurposeAddresses.BEYOND_THE_REGISTRIES).flatMap(java.util.List::stream).map(AddressBlock::written)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inTables, tested);
        assertEquals(26, SpecialPurposeAddresses.IPV4_REGISTRY.size(), "IPv4 registry rows (192.0.0.170 and .171 as two)");
        assertEquals(25, SpecialPurposeAddresses.IPV6_REGISTRY.size(), "IPv6 registry rows");
    }
}
