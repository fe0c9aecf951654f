package org.outcalls.adapter.internal;

import static org.outcalls.adapter.internal.AddressBlock.Reachable.EMPTY_DEPRECATED;
import static org.outcalls.adapter.internal.AddressBlock.Reachable.FALSE;
import static org.outcalls.adapter.internal.AddressBlock.Reachable.NOT_APPLICABLE;
import static org.outcalls.adapter.internal.AddressBlock.Reachable.TRUE;

import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;

/**
 * The address blocks the private-destination block is made of: the IANA IPv4 and IPv6
 * Special-Purpose Address Registries entry by entry, in the registries' order and words (so a
 * reviewer can hold one beside the other; a name the registry abbreviates gets its purpose in
 * brackets), then the few blocks outside those registries that are not globally reachable either. An address is judged by the most specific block that holds
 * it, as the registries' notes ask ("unless allowed by a more specific allocation").
 */
final class SpecialPurposeAddresses {

    /** IANA IPv4 Special-Purpose Address Registry (iana-ipv4-special-registry). */
    static final List<AddressBlock> IPV4_REGISTRY = List.of(
            AddressBlock.of("0.0.0.0/8", "\"This network\"", "RFC 791, Section 3.2", FALSE),
            AddressBlock.of("0.0.0.0/32", "\"This host on this network\"", "RFC 1122, Section 3.2.1.3", FALSE),
            AddressBlock.of("10.0.0.0/8", "Private-Use", "RFC 1918", FALSE),
            AddressBlock.of("100.64.0.0/10", "Shared Address Space", "RFC 6598", FALSE),
            AddressBlock.of("127.0.0.0/8", "Loopback", "RFC 1122, Section 3.2.1.3", FALSE),
            AddressBlock.of("169.254.0.0/16", "Link Local", "RFC 3927", FALSE),
            AddressBlock.of("172.16.0.0/12", "Private-Use", "RFC 1918", FALSE),
            AddressBlock.of("192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890, Section 2.1", FALSE),
            AddressBlock.of("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", FALSE),
            AddressBlock.of("192.0.0.8/32", "IPv4 dummy address", "RFC 7600", FALSE),
            AddressBlock.of("192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", TRUE),
            AddressBlock.of("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", TRUE),
            // One registry entry for both addresses.
            AddressBlock.of("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 Section 2.2", FALSE),
            AddressBlock.of("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 Section 2.2", FALSE),
            AddressBlock.of("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", FALSE),
            AddressBlock.of("192.31.196.0/24", "AS112-v4", "RFC 7535", TRUE),
            AddressBlock.of("192.52.193.0/24", "AMT", "RFC 7450", TRUE),
            AddressBlock.of("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", EMPTY_DEPRECATED),
            AddressBlock.of("192.88.99.2/32", "6a44-relay anycast address", "RFC 6751", FALSE),
            AddressBlock.of("192.168.0.0/16", "Private-Use", "RFC 1918", FALSE),
            AddressBlock.of("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", TRUE),
            AddressBlock.of("198.18.0.0/15", "Benchmarking", "RFC 2544", FALSE),
            AddressBlock.of("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", FALSE),
            AddressBlock.of("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", FALSE),
            AddressBlock.of("240.0.0.0/4", "Reserved", "RFC 1112, Section 4", FALSE),
            AddressBlock.of("255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919 Section 7", FALSE));

    /** IANA IPv6 Special-Purpose Address Registry (iana-ipv6-special-registry). */
    static final List<AddressBlock> IPV6_REGISTRY = List.of(
            AddressBlock.of("::1/128", "Loopback Address", "RFC 4291", FALSE),
            AddressBlock.of("::/128", "Unspecified Address", "RFC 4291", FALSE),
            AddressBlock.of("::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", FALSE),
            AddressBlock.of("64:ff9b::/96", "IPv4-IPv6 Translat. (NAT64 well-known prefix)", "RFC 6052", TRUE),
            AddressBlock.of("64:ff9b:1::/48", "IPv4-IPv6 Translat. (local-use NAT64)", "RFC 8215", FALSE),
            AddressBlock.of("100::/64", "Discard-Only Address Block", "RFC 6666", FALSE),
            AddressBlock.of("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", FALSE),
            AddressBlock.of("2001::/23", "IETF Protocol Assignments", "RFC 2928", FALSE),
            AddressBlock.of("2001::/32", "TEREDO", "RFC 4380, RFC 8190", NOT_APPLICABLE),
            AddressBlock.of("2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", TRUE),
            AddressBlock.of("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", TRUE),
            AddressBlock.of("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", TRUE),
            AddressBlock.of("2001:2::/48", "Benchmarking", "RFC 5180, RFC Errata 1752", FALSE),
            AddressBlock.of("2001:3::/32", "AMT", "RFC 7450", TRUE),
            AddressBlock.of("2001:4:112::/48", "AS112-v6", "RFC 7535", TRUE),
            AddressBlock.of("2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", EMPTY_DEPRECATED),
            AddressBlock.of("2001:20::/28", "ORCHIDv2", "RFC 7343", TRUE),
            AddressBlock.of("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", TRUE),
            AddressBlock.of("2001:db8::/32", "Documentation", "RFC 3849", FALSE),
            AddressBlock.of("2002::/16", "6to4", "RFC 3056", NOT_APPLICABLE),
            AddressBlock.of("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", TRUE),
            AddressBlock.of("3fff::/20", "Documentation", "RFC 9637", FALSE),
            AddressBlock.of("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", FALSE),
            AddressBlock.of("fc00::/7", "Unique-Local", "RFC 4193, RFC 8190", FALSE),
            AddressBlock.of("fe80::/10", "Link-Local Unicast", "RFC 4291", FALSE));

    /**
     * Not in the special-purpose registries, and not globally reachable either: multicast (its
     * own registries), deprecated IPv6 forms that carry an IPv4 address, deprecated site-local,
     * and IPv6 outside 2000::/3, the only block IANA allocates as global unicast (the rest of the
     * IPv6 Address Space registry is reserved by the IETF, apart from the entries above).
     */
    static final List<AddressBlock> BEYOND_THE_REGISTRIES = List.of(
            AddressBlock.of("224.0.0.0/4", "Multicast", "RFC 5771", FALSE),
            AddressBlock.of("::/96", "IPv4-compatible Address, deprecated", "RFC 4291, Section 2.5.5.1", FALSE),
            AddressBlock.of("::ffff:0:0:0/96", "IPv4-translated Address (SIIT)", "RFC 2765, Section 2.1", FALSE),
            AddressBlock.of("::/3", "Reserved by IETF, outside Global Unicast 2000::/3", "RFC 4291, Section 2.4", FALSE),
            AddressBlock.of("4000::/2", "Reserved by IETF, outside Global Unicast 2000::/3", "RFC 4291, Section 2.4", FALSE),
            AddressBlock.of("8000::/1", "Reserved by IETF, outside Global Unicast 2000::/3", "RFC 4291, Section 2.4", FALSE),
            AddressBlock.of("fec0::/10", "Site-Local, deprecated", "RFC 3879", FALSE),
            AddressBlock.of("ff00::/8", "Multicast", "RFC 4291, Section 2.7", FALSE));

    private static final List<AddressBlock> ALL = Stream.of(IPV4_REGISTRY, IPV6_REGISTRY, BEYOND_THE_REGISTRIES)
            .flatMap(List::stream).toList();

    private SpecialPurposeAddresses() {
    }

    /** The most specific block that holds the address (same family only), or null: a global address. */
    static AddressBlock mostSpecific(InetAddress address) {
        byte[] bytes = address.getAddress();
        AddressBlock best = null;
        for (AddressBlock b : ALL) {
            if (b.range().covers(bytes) && (best == null || b.range().prefix() > best.range().prefix())) {
                best = b;
            }
        }
        return best;
    }
}
