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
    private final String remote;
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
                             PeerInbox inbox, MemberConnections connections, RateLimitedLog log, IntConsumer received) {
        this.socket = socket;
        this.context = context;
        this.self = self;
        this.members = members;
        this.networkId = networkId;
        this.inbox = inbox;
        this.connections = connections;
        this.log = log;
        this.received = received;
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
        if (r.kind() == Frames.DATA && greeted) {
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
        } else {
            refuse("unexpected record kind " + r.kind());
        }
    }

    private void greet(Frames.Record r) {
        if (r.kind() != Frames.HELLO) {
            refuse("it did not start with a hello");
        } else if (r.index() != peer) {
            refuse("its certificate is member " + peer + "'s but it says it is member " + r.index());
        } else if (!Arrays.equals(r.networkId(), networkId)) {
            refuse("it belongs to another subnet (its configuration differs from this replica's)");
        } else {
            greeted = true;
            replace(connections.greeted(peer, this));
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

    public void close() {
        socket.close();
    }
}
