package org.outcalls.transport.internal.tcp;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Backlog;
import org.outcalls.transport.ProtocolVersions;
import org.outcalls.transport.internal.PeerInbox;
import org.outcalls.transport.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection a peer dialled to send to this replica. The peer is who its TLS certificate says
 * (the trust manager admitted members only); its first record must be a hello naming the same
 * index and this subnet's network id, and then it becomes the member's one connection (an older
 * one is closed: {@link MemberConnections}).
 *
 * <p>Versions: the hello names the lowest protocol version the peer speaks; this side answers with
 * the versions it speaks (VERSIONS), and the peer names the one both speak (USE) before its first
 * frame. A peer that sends frames without USE is of a release before negotiation: it speaks 1.
 *
 * <p>After the hello each record is counted in the member's lane of the {@link PeerInbox} from
 * its header on, before its body is read. When the lane has no room the socket is paused (TCP flow control slows
 * the sender) until the inbox says the lane has drained; nothing is dropped here. All state lives
 * on the connection's Vert.x context.
 */
public final class InboundConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InboundConnection.class);

    private final NetSocket socket;
    private final Context context;
    private final int self;
    private final List<PublicKey> members;
    private final byte[] networkId;
    private final PeerInbox inbox;
    private final MemberConnections connections;
    private final RateLimitedLog log;
    private final IntConsumer received;
    private final ProtocolVersions versions;
    private final String remote;
    /** The lowest version the peer's hello named. */
    private int peerLowest;
    /** The version the peer chose (USE), 0 while it has not. */
    private int version;
    private RecordReader reader;
    private int peer = -1;
    /** Bytes reserved in the inbox for the record being read (0: none). */
    private long reserved;
    private volatile boolean greeted;
    private boolean refused;
    private boolean paused;
    private boolean closed;

    /**
     * @param received told the member's index for every data frame taken in
     */
    public InboundConnection(NetSocket socket, Context context, int self, List<PublicKey> members, byte[] networkId,
                             PeerInbox inbox, MemberConnections connections, RateLimitedLog log, IntConsumer received,
                             ProtocolVersions versions) {
        this.socket = socket;
        this.context = context;
        this.self = self;
        this.members = members;
        this.networkId = networkId;
        this.inbox = inbox;
        this.connections = connections;
        this.log = log;
        this.received = received;
        this.versions = versions;
        this.remote = String.valueOf(socket.remoteAddress());
    }

    public void start() {
        PublicKey key;
        try {
            List<Certificate> certs = socket.peerCertificates();
            key = NodeCertificates.nodeKeyOf(certs.get(0).getEncoded());
        } catch (Exception e) {
            log.warn("nocert:" + remote, "replica {}: refused a connection from {}: no usable node certificate ({})", self,
                    remote, e.getMessage());
            socket.close();
            return;
        }
        int index = members.indexOf(key);
        if (index < 0 || index == self) {
            log.warn("notmember:" + remote, "replica {}: refused a connection from {}: node {} is {}", self, remote,
                    key.nodeId(), index < 0 ? "not a member" : "this replica itself");
            socket.close();
            return;
        }
        this.peer = index;
        socket.closeHandler(v -> closed());
        replace(connections.identified(peer, this));
        reader = new RecordReader(Frames.MAX_RECORD_BYTES, new RecordReader.Sink() {
            @Override
            public boolean admit(int length) {
                return reserve(length);
            }

            @Override
            public void record(Buffer record) {
                long size = reserved;
                reserved = 0;
                onRecord(record, size);
            }

            @Override
            public void malformed(String why) {
                log.warn("malformed:" + peer, "replica {}: closed the connection from replica {} ({}): {}", self, peer,
                        remote, why);
                socket.close();
            }
        });
        socket.handler(reader);
        socket.exceptionHandler(e -> LOG.debug("replica {}: connection from replica {}: {}", self, peer, e.toString()));
    }

    private void replace(InboundConnection older) {
        if (older != null) {
            log.warn("replaced:" + peer, "replica {}: replica {} opened a new connection from {}; its older one from {} is "
                    + "closed ({} replaced so far)", self, peer, remote, older.remote, connections.replaced(peer));
            older.close();
        }
    }

    /** Counts the next record in the member's lane, or pauses the socket until there is room. */
    private boolean reserve(int length) {
        if (!greeted) {
            if (length > Frames.MAX_HELLO_RECORD_BYTES) {
                refuse("its first record is " + length + " bytes, longer than any hello");
                return false;
            }
            return true; // a hello is read uncounted: it is small, and a member has one greeting connection at most
        }
        if (closed) {
            return false;
        }
        if (inbox.reserve(peer, length)) {
            reserved = length;
            return true;
        }
        if (!paused) {
            paused = true;
            socket.pause();
            Backlog b = inbox.backlog(peer);
            log.warn("paused:" + peer, "replica {}: paused reading replica {}: {} bytes in {} frames from it wait for the "
                    + "protocol thread ({} pauses so far)", self, peer, b.bytes(), b.frames(), b.refused());
        }
        return false;
    }

    /** The member's lane has drained after refusing this connection's record: read on. Any thread. */
    public void roomAgain() {
        context.runOnContext(v -> {
            if (closed || !paused) {
                return;
            }
            int waiting = reader.waitingLength();
            if (waiting >= 0) {
                if (!inbox.reserve(peer, waiting)) {
                    return; // taken meanwhile: the inbox says so again when there is room
                }
                reserved = waiting;
            }
            paused = false;
            socket.resume();
            reader.resume();
        });
    }

    /** {@code size}: the bytes reserved for it, 0 for a record read before the hello. */
    private void onRecord(Buffer record, long size) {
        if (refused) {
            giveBack(size);
            return;
        }
        Frames.Record r;
        try {
            r = Frames.decode(record);
        } catch (IllegalArgumentException e) {
            giveBack(size);
            log.warn("malformed:" + peer, "replica {}: closed the connection from replica {} ({}): {}", self, peer,
                    remote, e.getMessage());
            socket.close();
            return;
        }
        if (r.kind() == Frames.DATA && greeted && (version > 0 || versionOneOrRefuse())) {
            inbox.enqueue(peer, r.channel(), r.payload(), size); // the reservation goes with the frame
            received.accept(peer);
            return;
        }
        giveBack(size);
        if (!greeted) {
            greet(r);
            return;
        }
        if (r.kind() == Frames.PING) {
            if (!socket.writeQueueFull()) {
                socket.write(Frames.pong()); // a peer that does not read its pongs gets no more of them
            }
        } else if (r.kind() == Frames.USE && version == 0) {
            chose(r.low());
        } else if (r.kind() != Frames.DATA) {
            refuse("unexpected record kind " + r.kind());
        }
    }

    /**
     * A frame before USE: the peer is of a release that does not negotiate, so it speaks version 1;
     * refused unless this replica speaks 1 too.
     */
    private boolean versionOneOrRefuse() {
        if (versions.speaks(1)) {
            return true;
        }
        refuse("it speaks protocol version 1 only (a release before versions were negotiated), this replica speaks "
                + versions + ": no common version; upgrade replica " + peer);
        return false;
    }

    private void chose(int v) {
        if (!versions.speaks(v) || v < peerLowest) {
            refuse("it chose protocol version " + v + ", which this replica (" + versions + ") or its own hello (from "
                    + peerLowest + ") rules out");
            return;
        }
        version = v;
        LOG.info("replica {}: replica {} speaks protocol version {} to this replica (this replica speaks {})", self, peer,
                v, versions);
    }

    private void greet(Frames.Record r) {
        if (r.kind() != Frames.HELLO) {
            refuse("it did not start with a hello");
        } else if (r.index() != peer) {
            refuse("its certificate is member " + peer + "'s but it says it is member " + r.index());
        } else if (!Arrays.equals(r.networkId(), networkId)) {
            refuse("it belongs to another subnet (its configuration differs from this replica's)");
        } else if (r.low() > versions.highest()) {
            refuse("it speaks protocol versions from " + r.low() + " up, this replica speaks " + versions
                    + ": no common version; upgrade this replica");
        } else {
            greeted = true;
            peerLowest = r.low();
            replace(connections.greeted(peer, this));
            socket.write(Frames.versions(versions.lowest(), versions.highest()));
            LOG.debug("replica {}: replica {} connected from {}", self, peer, remote);
        }
    }

    private void giveBack(long size) {
        if (size > 0) {
            inbox.release(peer, size);
        }
    }

    private void refuse(String why) {
        refused = true;
        log.warn("refused:" + remote + why, "replica {}: refused a connection from {}: {}", self, remote, why);
        socket.close();
    }

    private void closed() {
        closed = true;
        giveBack(reserved); // a record cut off mid-way
        reserved = 0;
        connections.closed(peer, this);
    }

    public int peer() {
        return peer;
    }

    /** Whether the peer said a valid hello (the connection counts as up). */
    public boolean greeted() {
        return greeted;
    }

    /** The protocol version the peer speaks on this connection: what it chose, else 1 (it does not negotiate). */
    public int version() {
        return version > 0 ? version : 1;
    }

    public void close() {
        socket.close();
    }
}
