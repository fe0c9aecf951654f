package org.outcalls.transport.internal.tcp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.crypto.NodeCertificate;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.transport.Backlog;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;
import org.outcalls.transport.ProtocolVersions;
import org.outcalls.transport.Scheduler;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.internal.PeerInbox;
import org.outcalls.transport.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TcpTransport} on Vert.x: what its Javadoc promises, and how. */
public final class VertxTcpTransport implements TcpTransport {
    // the logger keeps the name operators know
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

    private final Vertx vertx;
    private final int self;
    private volatile List<Peer> peers;
    private final LiveMembers members;
    private final int capacity;
    private final byte[] networkId;
    private final Settings settings;
    private final ProtocolVersions versions;
    private final RateLimitedLog log;
    private final Scheduler protocol;
    private final NetServer server;
    private final NetClient client;
    private final List<OutboundLink> links = new CopyOnWriteArrayList<>();
    private final Map<String, TcpChannel> channels = new ConcurrentHashMap<>();
    private final MemberConnections inbound;
    private final PeerInbox inbox;
    private final List<AtomicLong> received = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile boolean closed;

    private VertxTcpTransport(Vertx vertx, NodeKey key, int self, List<Peer> peers, String listenHost, int listenPort,
                         byte[] networkId, Scheduler protocol, Settings settings, ProtocolVersions versions)
            throws Exception {
        this.vertx = vertx;
        this.versions = versions;
        this.self = self;
        this.peers = List.copyOf(peers);
        this.capacity = Math.max(peers.size(), MAX_MEMBERS);
        this.members = new LiveMembers(capacity, this.peers.stream().map(Peer::key).toList());
        this.networkId = networkId;
        this.settings = settings;
        this.protocol = protocol;
        this.inbound = new MemberConnections(capacity);
        this.inbox = new PeerInbox(capacity, settings.maxPendingDeliveryFrames(), settings.maxPendingDeliveryBytes(),
                protocol, this::deliver, this::roomAgain);
        for (int i = 0; i < capacity; i++) {
            received.add(new AtomicLong());
        }
        RateLimitedLog log = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(30));
        this.log = log;
        char[] password = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(18)).toCharArray();
        NodeCertificate cert = NodeCertificates.selfSigned(key, Duration.ofDays(3650));
        PfxOptions keyCert = new PfxOptions().setValue(Buffer.buffer(cert.pkcs12(password))).setPassword(new String(password));
        TrustOptions trust = TrustOptions.wrap(new MemberTrust(members.trustManager(), log, self));
        int idleSeconds = (int) Math.max(1, settings.pingInterval().toSeconds() * 3);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Vertx.class.getClassLoader());
        try {
            this.server = vertx.createNetServer(new NetServerOptions().setHost(listenHost).setPort(listenPort).setSsl(true)
                    .setClientAuth(ClientAuth.REQUIRED).setKeyCertOptions(keyCert).setTrustOptions(trust)
                    .setEnabledSecureTransportProtocols(Set.of("TLSv1.3")).setReadIdleTimeout(idleSeconds)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS));
            this.client = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
                    .setKeyCertOptions(keyCert).setTrustOptions(trust).setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                    .setConnectTimeout((int) settings.connectTimeout().toMillis()).setReadIdleTimeout(idleSeconds)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS));
            server.exceptionHandler(e -> log.warn("handshake:" + e.getMessage(),
                    "replica {}: refused a connection: {}", self, String.valueOf(e.getMessage())));
            server.connectHandler(sock -> {
                InboundConnection c = new InboundConnection(sock, vertx.getOrCreateContext(), self, members, networkId,
                        inbox, inbound, log, peer -> received.get(peer).incrementAndGet(), versions);
                c.start();
            });
            this.port = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
        } finally {
            Thread.currentThread().setContextClassLoader(tccl);
        }
        for (int i = 0; i < capacity; i++) {
            links.add(i < this.peers.size() && i != self ? link(this.peers.get(i)) : null);
        }
        links.stream().filter(Objects::nonNull).forEach(OutboundLink::start);
        LOG.info("replica {}: listening on {}:{} (mutual TLS, {} members, protocol versions {})", self, listenHost, port,
                peers.size(), versions);
    }

    /** See {@link org.outcalls.transport.Transports#tcp}. */
    public static TcpTransport start(Vertx vertx, NodeKey key, int self, List<Peer> peers, String listenHost, int listenPort,
                                     byte[] networkId, Scheduler protocol, Settings settings, ProtocolVersions versions)
            throws Exception {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(versions, "versions");
        if (self < 0 || self >= peers.size()) {
            throw new IllegalArgumentException("self: must be 0.." + (peers.size() - 1) + ", got " + self);
        }
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).index() != i) {
                throw new IllegalArgumentException("peers: index " + peers.get(i).index() + " at position " + i);
            }
        }
        if (!peers.get(self).key().equals(key.publicKey())) {
            throw new IllegalArgumentException("key: the node key is not member " + self + "'s key in the registry (node "
                    + key.publicKey().nodeId() + " vs " + peers.get(self).key().nodeId() + ")");
        }
        if (networkId.length > 255) {
            throw new IllegalArgumentException("networkId: at most 255 bytes");
        }
        try {
            return new VertxTcpTransport(vertx, key, self, peers, listenHost, listenPort, networkId.clone(), protocol, settings,
                    versions);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("replica " + self + " cannot listen on " + listenHost + ":" + listenPort + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private OutboundLink link(Peer p) {
        return new OutboundLink(vertx, client, self, p.index(), members, p.host(), p.port(), networkId,
                settings.maxQueuedFrames(), settings.maxQueuedBytes(), settings.minBackoff(), settings.maxBackoff(),
                settings.pingInterval(), log, versions);
    }

    @Override
    public synchronized void updateMembers(List<Peer> next) {
        if (closed || next.equals(peers)) {
            return;
        }
        if (next.size() > capacity) {
            throw new IllegalArgumentException("peers: at most " + capacity + " members, got " + next.size());
        }
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).index() != i) {
                throw new IllegalArgumentException("peers: index " + next.get(i).index() + " at position " + i);
            }
        }
        List<Peer> old = peers;
        PublicKey[] keys = new PublicKey[capacity];
        next.forEach(p -> keys[p.index()] = p.key());
        members.set(keys); // the trust manager refuses a removed key from here on
        peers = List.copyOf(next);
        for (int i = 0; i < capacity; i++) {
            Peer was = i < old.size() ? old.get(i) : null;
            Peer now = i < next.size() ? next.get(i) : null;
            if (i == self || Objects.equals(was, now)) {
                continue;
            }
            OutboundLink l = links.get(i);
            if (l != null) {
                l.close();
            }
            if (was != null && (now == null || !now.key().equals(was.key()))) {
                inbound.closeMember(i);
            }
            OutboundLink fresh = now == null ? null : link(now);
            links.set(i, fresh);
            if (fresh != null) {
                fresh.start();
            }
            LOG.info("replica {}: member {} {}", self, i, now == null ? "removed: its key is refused from now on"
                    : was == null ? "added: node " + now.key().nodeId() + " at " + now.host() + ":" + now.port()
                    : "now node " + now.key().nodeId() + " at " + now.host() + ":" + now.port());
        }
    }

    /** On the protocol thread, from the inbox. */
    private void deliver(int peer, String channel, byte[] frame) {
        if (closed) {
            return;
        }
        TcpChannel c = channels.get(channel);
        FrameReceiver r = c == null ? null : c.receiver;
        if (r != null) {
            try {
                r.onFrame(peer, frame);
            } catch (RuntimeException e) {
                LOG.warn("replica {}: receiver of channel {} failed on a frame from {}", self, channel, peer, e);
            }
        }
    }

    /** The member's backlog drained after its connection was paused: read it again. */
    private void roomAgain(int peer) {
        InboundConnection c = inbound.current(peer);
        if (c != null) {
            c.roomAgain();
        }
    }

    @Override
    public int self() {
        return self;
    }

    @Override
    public int size() {
        return peers.size();
    }

    @Override
    public Channel channel(String name) {
        return channels.computeIfAbsent(name, TcpChannel::new);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public ProtocolVersions versions() {
        return versions;
    }

    @Override
    public int protocolVersion(int peer) {
        OutboundLink l = peer >= 0 && peer < links.size() ? links.get(peer) : null;
        return l == null ? 0 : l.version();
    }

    @Override
    public List<PeerStatus> peerStatus() {
        List<PeerStatus> out = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            OutboundLink l = links.get(i);
            if (l == null && i != self) {
                out.add(new PeerStatus(i, false, false, 0, 0, 0, 0, 0, "not connected yet", 0, Backlog.NONE, 0));
                continue;
            }
            if (l == null) {
                out.add(new PeerStatus(i, false, false, 0, 0, 0, 0, 0, "", 0, Backlog.NONE, 0));
            } else {
                InboundConnection c = inbound.current(i);
                out.add(new PeerStatus(i, l.connected(), c != null && c.greeted(), l.sent(), l.dropped(),
                        received.get(i).get(), l.connects(), l.queued(), l.lastError(), inbound.open(i),
                        inbox.backlog(i), inbound.replaced(i)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        links.stream().filter(Objects::nonNull).forEach(OutboundLink::close);
        inbound.closeAll();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("replica {}: closing the transport: {}", self, e.toString());
        }
        LOG.info("replica {}: transport closed", self);
    }

    private final class TcpChannel implements Channel {
        private final byte[] name;
        private volatile FrameReceiver receiver;

        TcpChannel(String name) {
            this.name = Frames.channelName(name);
        }

        @Override
        public void send(int peer, byte[] frame) {
            if (peer < 0 || peer >= capacity) {
                throw new IllegalArgumentException("peer: must be 0.." + (capacity - 1) + ", got " + peer);
            }
            if (frame.length > MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("frame: " + frame.length + " bytes, at most " + MAX_FRAME_BYTES);
            }
            OutboundLink link = links.get(peer);
            if (peer == self || closed || link == null) {
                return; // no member there (any more): nothing to send it
            }
            link.offer(Frames.data(name, frame));
        }

        @Override
        public void broadcast(byte[] frame) {
            if (frame.length > MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("frame: " + frame.length + " bytes, at most " + MAX_FRAME_BYTES);
            }
            if (closed) {
                return;
            }
            Buffer record = null;
            for (OutboundLink link : links) {
                if (link != null) {
                    if (record == null) {
                        record = Frames.data(name, frame);
                    }
                    link.offer(record.copy());
                }
            }
        }

        @Override
        public void receiver(FrameReceiver receiver) {
            this.receiver = receiver;
        }
    }
}
