package org.outcalls.adapter.internal;

/**
 * One entry of an address table: the block as written, its name and RFC, and whether the IANA
 * registries call it globally reachable.
 */
record AddressBlock(String written, Cidr range, String name, String rfc, Reachable globallyReachable) {

    /** The registries' "Globally Reachable" column, as it reads there. */
    enum Reachable {
        /** "True": allowed, unless an IPv4 address carried inside it is refused. */
        TRUE,
        /** "False": refused. */
        FALSE,
        /** "N/A" (6to4, Teredo): the block carries IPv4 addresses, and those decide. */
        NOT_APPLICABLE,
        /** Left empty because the block is deprecated (its allocation ended): refused. */
        EMPTY_DEPRECATED
    }

    static AddressBlock of(String written, String name, String rfc, Reachable globallyReachable) {
        return new AddressBlock(written, Cidr.of(written), name, rfc, globallyReachable);
    }

    /** True if a fetch may not connect to an address in this block, whatever it carries. */
    boolean refused() {
        return globallyReachable == Reachable.FALSE || globallyReachable == Reachable.EMPTY_DEPRECATED;
    }

    /** For messages: {@code 10.0.0.0/8 (Private-Use, RFC 1918)}. */
    String describe() {
        return written + " (" + name + ", " + rfc + ")";
    }
}
