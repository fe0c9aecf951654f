package org.outcalls.adapter.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which resolved addresses the adapter may connect to. An address is refused when the most
 * specific block of {@link SpecialPurposeAddresses} that holds it is not globally reachable, or
 * when an IPv4 address it carries ({@link EmbeddedIpv4}: IPv4-mapped, -translated, -compatible,
 * NAT64, 6to4, Teredo) is refused. Allowed targets ({@code --allow-target}) exempt a host name
 * (any port), a host name at one port, an address at one port, or a range of addresses.
 */
final class Destinations {
    /** A host name or a normalised IP address, with a port. */
    record Endpoint(String host, int port) {
    }

    /** One reason to refuse, and the address an allowed range must hold to lift it. */
    private record Refusal(InetAddress subject, String reason) {
    }

    private final List<Cidr> allowedRanges;
    private final Set<String> allowedHosts;
    private final Set<Endpoint> allowedHostPorts;
    private final Set<Endpoint> allowedAddressPorts;

    Destinations(List<Cidr> allowedRanges, Set<String> allowedHosts) {
        this(allowedRanges, allowedHosts, Set.of(), Set.of());
    }

    Destinations(List<Cidr> allowedRanges, Set<String> allowedHosts, Set<Endpoint> allowedHostPorts,
            Set<Endpoint> allowedAddressPorts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.allowedHostPorts = Set.copyOf(allowedHostPorts);
        this.allowedAddressPorts = Set.copyOf(allowedAddressPorts);
    }

    /**
     * Null if the adapter may connect to {@code address} for a URL with this host and port; else
     * why not. The reason names the blocks and never depends on whether anything listens there.
     */
    String refusal(String urlHost, int port, InetAddress address) {
        String host = urlHost.toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(host) || allowedHostPorts.contains(new Endpoint(host, port))
                || allowedAddressPorts.contains(new Endpoint(normalised(address), port))) {
            return null;
        }
        List<Refusal> refusals = refusals(address);
        refusals.removeIf(r -> allowedRanges.stream().anyMatch(c -> c.contains(r.subject())));
        return describe(refusals);
    }

    /** As {@link #refusal(String, int, InetAddress)} for no port in particular: exemptions naming a port do not apply. */
    String refusal(String urlHost, InetAddress address) {
        return refusal(urlHost, -1, address);
    }

    /** Null for a globally reachable address; else the blocks that make it not so. */
    static String nonPublicReason(InetAddress address) {
        return describe(refusals(address));
    }

    /** The text form allowed address endpoints are kept in: an IPv4-mapped address as its IPv4 address. */
    static String normalised(InetAddress address) {
        byte[] v4 = EmbeddedIpv4.mappedIpv4(address.getAddress());
        try {
            return v4 != null ? InetAddress.getByAddress(v4).getHostAddress() : InetAddress.getByAddress(address.getAddress())
                    .getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Refusal> refusals(InetAddress address) {
        List<Refusal> out = new ArrayList<>(2);
        AddressBlock block = SpecialPurposeAddresses.mostSpecific(address);
        if (block != null && block.refused()) {
            out.add(new Refusal(address, "which is in " + block.describe() + ", " + whyRefused(block)));
        }
        for (EmbeddedIpv4 e : EmbeddedIpv4.in(address)) {
            AddressBlock inner = SpecialPurposeAddresses.mostSpecific(e.ipv4());
            if (inner != null && inner.refused()) {
                out.add(new Refusal(e.ipv4(), "which carries the IPv4 address " + e.ipv4().getHostAddress() + " ("
                        + e.form() + ") in " + inner.describe() + ", " + whyRefused(inner)));
            }
        }
        return out;
    }

    private static String whyRefused(AddressBlock block) {
        return block.globallyReachable() == AddressBlock.Reachable.EMPTY_DEPRECATED ? "a deprecated block"
                : "not globally reachable";
    }

    private static String describe(List<Refusal> refusals) {
        return refusals.isEmpty() ? null : refusals.stream().map(Refusal::reason).collect(Collectors.joining(", and "));
    }
}
