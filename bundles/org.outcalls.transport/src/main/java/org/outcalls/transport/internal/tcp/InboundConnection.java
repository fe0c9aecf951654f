package org.outcalls.transport.internal.tcp;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection a peer dialled to send to this replica. The peer is who its TLS certificate says
 * (the trust manager admitted members only); its hello must name the same index and this
 * subnet's network id. Frames go to the replica's protocol thread; while too many bytes wait
 * there, the socket is paused, so a fast sender is slowed by TCP flow control instead of filling
 * this replica's memory.
 */
public final class InboundConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InboundConnection.class);

    private final NetSocket socket;
    private final Context context;
    private final int self;
    private final List<PublicKey> members;
    private final byte[] networkId;
    private final Receivers receivers;
    private final long maxPendingBytes;
    private final RateLimitedLog log;
    private final AtomicLong pending = new AtomicLong();
    private final IntConsumer onIdentified;
    private final AtomicLong received;
    private final MemberMeter meter;
    private int peer = -1;
    private boolean greeted;
    private boolean refused;
    private boolean paused;

    public InboundConnection(NetSocket socket, Context context, int self, List<PublicKey> members, byte[] networkId,
                             Receivers receivers, long maxPendingBytes, RateLimitedLog log, IntConsumer onIdentified,
                             AtomicLong received, MemberMeter meter) {
        this.socket = socket;
        this.context = context;
        this.self = self;
        this.members = members;
        this.networkId = networkId;
        this.receivers = receivers;
        this.maxPendingBytes = maxPendingBytes;
        this.log = log;
        this.onIdentified = onIdentified;
        this.received = received;
        this.meter = meter;
    }

    public void start() {
        String remote = String.valueOf(socket.remoteAddress());
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
        socket.handler(new RecordReader(Frames.MAX_RECORD_BYTES, new RecordReader.Sink() {
            @Override
            public void record(Buffer record) {
                onRecord(record, remote);
            }

            @Override
            public void malformed(String why) {
                log.warn("malformed:" + peer, "replica {}: closed the connection from replica {} ({}): {}", self, peer,
                        remote, why);
                socket.close();
            }
        }));
        socket.exceptionHandler(e -> LOG.debug("replica {}: connection from replica {}: {}", self, peer, e.toString()));
    }

    private void onRecord(Buffer record, String remote) {
        if (refused) {
            return;
        }
        Frames.Record r;
        try {
            r = Frames.decode(record);
        } catch (IllegalArgumentException e) {
            log.warn("malformed:" + peer, "replica {}: closed the connection from replica {} ({}): {}", self, peer,
                    remote, e.getMessage());
            socket.close();
            return;
        }
        if (!greeted) {
            if (r.kind() != Frames.HELLO) {
                refuse(remote, "it did not start with a hello");
                return;
            }
            if (r.index() != peer) {
                refuse(remote, "its certificate is member " + peer + "'s but it says it is member " + r.index());
                return;
            }
            if (!Arrays.equals(r.networkId(), networkId)) {
                refuse(remote, "it belongs to another subnet (its configuration differs from this replica's)");
                return;
            }
            greeted = true;
            onIdentified.accept(peer);
            return;
        }
        switch (r.kind()) {
            case Frames.DATA -> {
                received.incrementAndGet();
                long size = r.payload().length;
                meter.added(peer, size);
                if (pending.addAndGet(size) > maxPendingBytes && !paused) {
                    paused = true;
                    meter.paused(peer);
                    socket.pause();
                }
                receivers.deliver(peer, r.channel(), r.payload(), () -> {
                    meter.handled(peer, size);
                    if (pending.addAndGet(-size) <= maxPendingBytes / 2) {
                        context.runOnContext(v -> {
                            if (paused && pending.get() <= maxPendingBytes / 2) {
                                paused = false;
                                socket.resume();
                            }
                        });
                    }
                });
            }
            case Frames.PING -> socket.write(Frames.pong());
            default -> {
                refuse(remote, "unexpected record kind " + r.kind());
            }
        }
    }

    private void refuse(String remote, String why) {
        refused = true;
        log.warn("refused:" + remote + why, "replica {}: refused a connection from {}: {}", self, remote, why);
        socket.close();
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
