package org.outcalls.gateway.internal;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Who a caller is, for the per-caller limits (rate, long polls): an IPv4 address, or the /64 an
 * IPv6 address lies in. One host or one network is usually given a whole /64, so counting IPv6
 * callers per address would let one of them appear as 2^64 callers. Forwarding headers are not
 * trusted: the gateway has no proxy in front of it.
 */
final class Callers {
    static final String UNKNOWN = "unknown";

    private Callers() {
    }

    /** The caller's key: {@code 192.0.2.7}, or {@code 2001:db8:1:2::/64} for any address in that /64. */
    static String key(InetAddress address) {
        if (address == null) {
            return UNKNOWN;
        }
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int group = 0; group < 4; group++) {
            prefix.append(Integer.toHexString(((b[2 * group] & 0xff) << 8) | (b[2 * group + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** The key of the caller of this request. */
    static String key(RoutingContext rc) {
        return key(address(rc));
    }

    /**
     * The remote IP address, read from the connection's channel: Vert.x 5.1's
     * {@code remoteAddress()} checks for a QUIC channel and fails with NoClassDefFoundError when
     * Netty's QUIC classes are absent, as they are here. Null if there is none.
     */
    static InetAddress address(RoutingContext rc) {
        HttpConnection c = rc.request().connection();
        if (c instanceof ConnectionBase base && base.channel() != null
                && base.channel().remoteAddress() instanceof InetSocketAddress a) {
            return a.getAddress();
        }
        return null;
    }
}
