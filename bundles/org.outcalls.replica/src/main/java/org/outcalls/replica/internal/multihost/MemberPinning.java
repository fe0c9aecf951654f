package org.outcalls.replica.internal.multihost;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembershipSchedule;
import org.outcalls.transport.TcpTransport;

/**
 * Which keys the TCP transport pins, as the executed registry says: the registry's members, and
 * while a change is pending the members it adds (at new indices) already, so that they can connect,
 * sync their state and be ready when the change takes effect. A replaced key (same index) or a
 * removed one stays pinned until the block that applies the change executes here: from then on
 * it is refused and its connections are closed.
 */
final class MemberPinning {
    private MemberPinning() {
    }

    static List<TcpTransport.Peer> peers(MembershipSchedule schedule) {
        List<Member> current = schedule.current();
        List<Member> pinned = new ArrayList<>(current);
        schedule.pending().ifPresent(p -> p.members().stream().filter(m -> m.index() >= current.size())
                .forEach(pinned::add));
        return peers(pinned);
    }

    static List<TcpTransport.Peer> peers(List<Member> members) {
        List<TcpTransport.Peer> peers = new ArrayList<>(members.size());
        for (Member m : members) {
            peers.add(TcpTransport.Peer.of(m.index(), m.publicKey(), m.hostPort().orElseThrow(() ->
                    new IllegalArgumentException("member " + m.index() + " has no address (host:port)"))));
        }
        return peers;
    }
}
