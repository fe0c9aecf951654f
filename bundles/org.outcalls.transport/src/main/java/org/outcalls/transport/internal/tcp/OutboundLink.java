package org.outcalls.transport.internal.tcp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.ProtocolVersions;
import org.outcalls.transport.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's connection to one peer, used for sending only: dials the peer's address, checks
 * that the TLS peer is the member pinned at that index, says hello, and writes frames. Frames wait
 * in a bounded queue while the socket's write queue is full (Vert.x back-pressure) or the peer is
 * unreachable; beyond the bound new frames are dropped (channels are best effort, protocols
 * retransmit). Reconnects with exponential back-off and jitter. All state but the queue counters
 * lives on one Vert.x context.
 *
 * <p>Versions: after its hello it sends a ping and writes no frame until it knows which protocol
 * version to speak. A listener that negotiates answers the hello with its versions (VERSIONS), before
 * the pong; this side then names the highest version both speak (USE), or, with none in common,
 * logs why and closes. A pong first means a listener of a release before negotiation: version 1.
 */
public final class OutboundLink {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundLink.class);

    private final Vertx vertx;
    private final Context context;
    private final NetClient client;
    private final int self;
    private final int peer;
    private final PublicKey expected;
    private final List<PublicKey> members;
    private final String host;
    private final int port;
    private final byte[] networkId;
    private final int maxFrames;
    private final long maxBytes;
    private final long minBackoff;
    private final long maxBackoff;
    private final long pingInterval;
    private final RateLimitedLog log;
    private final ProtocolVersions versions;

    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile NetSocket socket;
    /** The version spoken on {@link #socket}, 0 while not negotiated yet (nothing is written then). */
    private volatile int version;
    private volatile String lastError = "";
    /** The connection refused for want of a common protocol version, until it is closed. Event loop. */
    private NetSocket refused;
    /** The connection whose own problem {@link #lastError} says, until it is closed. Event loop. */
    private NetSocket explained;
    private volatile boolean closed;
    private int failures;
    /** Frames at the head of the queue that were already waiting when the attempt under way began. */
    private int waitingSinceAttempt;
    private long pingTimer = -1;

    public OutboundLink(Vertx vertx, NetClient client, int self, int peer, List<PublicKey> members, String host, int port,
                        byte[] networkId, int maxFrames, long maxBytes, Duration minBackoff, Duration maxBackoff,
                        Duration pingInterval, RateLimitedLog log, ProtocolVersions versions) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.self = self;
        this.peer = peer;
        this.members = members;
        this.expected = members.get(peer);
        this.host = host;
        this.port = port;
        this.networkId = networkId;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.minBackoff = minBackoff.toMillis();
        this.maxBackoff = maxBackoff.toMillis();
        this.pingInterval = pingInterval.toMillis();
        this.log = log;
        this.versions = versions;
    }

    public void start() {
        context.runOnContext(v -> connect());
    }

    /** Queues a record for the peer; false (and counted) if the queue is full. Any thread. */
    public boolean offer(Buffer record) {
        if (closed) {
            return false;
        }
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(record.length());
        if (frames > maxFrames || bytes > maxBytes) {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-record.length());
            dropped.incrementAndGet();
            return false;
        }
        context.runOnContext(v -> {
            queue.addLast(record);
            flush();
        });
        return true;
    }

    private void flush() {
        NetSocket s = socket;
        while (s != null && version > 0 && !queue.isEmpty() && !s.writeQueueFull()) {
            Buffer b = queue.pollFirst();
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-b.length());
            s.write(b);
            sent.incrementAndGet();
        }
    }

    private void discardQueue() {
        discard(queue.size());
    }

    private void discard(int frames) {
        for (int i = 0; i < frames && !queue.isEmpty(); i++) {
            Buffer b = queue.pollFirst();
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-b.length());
            dropped.incrementAndGet();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        waitingSinceAttempt = queue.size();
        client.connect(port, host).onComplete(ar -> {
            if (closed) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            if (ar.failed()) {
                failed("cannot connect to " + host + ":" + port + ": " + ar.cause().getMessage());
                return;
            }
            NetSocket s = ar.result();
            String problem = checkPeer(s);
            if (problem != null) {
                lastError = problem;
                LOG.error("replica {}: refused the server at {}:{}: {}", self, host, port, problem);
                s.close();
                failures = Math.max(failures, 6); // a misconfiguration: retry, but slowly
                retryLater();
                return;
            }
            opened(s);
        });
    }

    /** Null if the TLS peer is the member pinned at this index, else why not. */
    private String checkPeer(NetSocket s) {
        PublicKey key;
        try {
            List<Certificate> certs = s.peerCertificates();
            if (certs == null || certs.isEmpty()) {
                return "it presented no certificate";
            }
            key = NodeCertificates.nodeKeyOf(certs.get(0).getEncoded());
        } catch (DecodeException e) {
            return "its certificate is not a node certificate: " + e.getMessage();
        } catch (Exception e) {
            return "its certificate cannot be read: " + e;
        }
        if (!key.equals(expected)) {
            int actual = members.indexOf(key);
            return "it presented node " + key.nodeId() + (actual >= 0 ? " (member " + actual + ")" : " (not a member)")
                    + ", but the registry pins member " + peer + " (node " + expected.nodeId() + ") at this address";
        }
        return null;
    }

    private void opened(NetSocket s) {
        failures = 0;
        connects.incrementAndGet();
        LOG.info("replica {}: connected to replica {} at {}:{}", self, peer, host, port);
        version = 0;
        s.write(Frames.hello(self, versions.lowest(), networkId));
        s.write(Frames.ping()); // its pong tells a listener that does not negotiate from one that does
        s.handler(new RecordReader(16, new RecordReader.Sink() {
            @Override
            public void record(Buffer record) {
                // PONGs keep the read-idle timeout away; before the version is known, they and VERSIONS settle it
                if (version == 0 && socket == s && s != refused) {
                    negotiate(s, record);
                }
            }

            @Override
            public void malformed(String why) {
                LOG.warn("replica {}: replica {} sent a malformed record: {}", self, peer, why);
                explain(s, "it sent a malformed record: " + why);
                s.close();
            }
        }));
        s.drainHandler(v -> flush());
        s.exceptionHandler(e -> {
            if (socket == s) {
                explain(s, e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage());
            }
        });
        s.closeHandler(v -> {
            if (refused == s) {
                refused = null;
            }
            if (socket == s) {
                socket = null;
                cancelPing();
                if (version == 0 && explained != s) {
                    // the peer's listener refused the hello (network, index, versions) or went silent
                    lastError = "the connection closed before a protocol version was agreed";
                }
                explained = null;
                if (!closed) {
                    LOG.info("replica {}: connection to replica {} closed{}", self, peer,
                            lastError.isEmpty() ? "" : ": " + lastError);
                    retryLater();
                }
            }
        });
        socket = s;
        pingTimer = vertx.setPeriodic(pingInterval, id -> {
            if (socket == s && !s.writeQueueFull()) {
                s.write(Frames.ping());
            }
        });
        flush();
    }

    private void explain(NetSocket s, String why) {
        lastError = why;
        explained = s;
    }

    private void negotiate(NetSocket s, Buffer record) {
        Frames.Record r;
        try {
            r = Frames.decode(record);
        } catch (IllegalArgumentException e) {
            LOG.warn("replica {}: replica {} sent a malformed record: {}", self, peer, e.getMessage());
            explain(s, "it sent a malformed record: " + e.getMessage());
            s.close();
            return;
        }
        ProtocolVersions theirs;
        if (r.kind() == Frames.VERSIONS) {
            theirs = new ProtocolVersions(r.low(), r.high());
        } else if (r.kind() == Frames.PONG) {
            theirs = new ProtocolVersions(1, 1); // a pong before any VERSIONS: a release before negotiation
        } else {
            return;
        }
        java.util.OptionalInt common = versions.common(theirs);
        if (common.isEmpty()) {
            explain(s, "no common protocol version: it speaks " + theirs + ", this replica " + versions);
            log.warn("noversion:" + peer, "replica {}: refused replica {} at {}:{}: it speaks protocol versions {}, this "
                    + "replica speaks {}: no common version; upgrade {}", self, peer, host, port, theirs, versions,
                    theirs.highest() < versions.lowest() ? "replica " + peer : "this replica");
            failures = Math.max(failures, 6); // it will not change until one of us is upgraded: retry slowly
            refused = s; // the pong to this replica's ping may still come: it must not pass for a version-1 peer
            s.close();
            return;
        }
        if (r.kind() == Frames.VERSIONS) {
            s.write(Frames.use(common.getAsInt()));
        }
        version = common.getAsInt();
        lastError = ""; // only now can the peer be spoken with: a retry that fails to negotiate keeps the reason
        LOG.info("replica {}: speaking protocol version {} to replica {} (it speaks {}, this replica {})", self, version,
                peer, theirs, versions);
        flush();
    }

    private void failed(String why) {
        lastError = why;
        failures++;
        if (failures == 5) {
            log.warn("unreachable:" + peer, "replica {}: replica {} is unreachable ({}); retrying with back-off", self,
                    peer, why);
        }
        if (failures >= 3) {
            // The peer is down: what waited through this attempt is stale, and it will catch up instead. A
            // frame offered while the attempt was under way is not: the peer may have come up meanwhile.
            discard(waitingSinceAttempt);
        }
        retryLater();
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long base = Math.min(maxBackoff, minBackoff << Math.min(20, Math.max(0, failures - 1)));
        long delay = Math.max(1, base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        vertx.setTimer(delay, id -> context.runOnContext(v -> connect()));
    }

    private void cancelPing() {
        if (pingTimer >= 0) {
            vertx.cancelTimer(pingTimer);
            pingTimer = -1;
        }
    }

    public void close() {
        closed = true;
        context.runOnContext(v -> {
            cancelPing();
            NetSocket s = socket;
            socket = null;
            if (s != null) {
                s.close();
            }
            discardQueue();
        });
    }

    /** Connected and agreed on a protocol version. */
    public boolean connected() {
        return socket != null && version > 0;
    }

    /** The protocol version spoken to the peer, 0 while not connected or not agreed yet. */
    public int version() {
        return socket != null ? version : 0;
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int connects() {
        return connects.get();
    }

    public int queued() {
        return queuedFrames.get();
    }

    public String lastError() {
        return lastError;
    }
}
