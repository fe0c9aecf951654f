package org.outcalls.transport;

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
import org.outcalls.transport.internal.PeerInbox;
import org.outcalls.transport.internal.RateLimitedLog;
import org.outcalls.transport.internal.tcp.Frames;
import org.outcalls.transport.internal.tcp.InboundConnection;
import org.outcalls.transport.internal.tcp.LiveMembers;
import org.outcalls.transport.internal.tcp.MemberConnections;
import org.outcalls.transport.internal.tcp.MemberTrust;
import org.outcalls.transport.internal.tcp.OutboundLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's endpoint of a multi-host subnet: TCP with mutual TLS 1.3 on Vert.x. Every replica
 * listens on its registry address and dials every peer; a connection carries frames one way, from
 * the dialler to the listener, so there is no tie to break between two replicas dialling each
 * other at once.
 *
 * <ul>
 * <li>Identity: each side presents a self-signed certificate of its node key
 * ({@link NodeCertificates}); a connection is accepted only from a member of the registry, and a
 * dialled peer must present the key the registry pins at that address. Anything else is refused
 * and logged (rate-limited), with the peer's address.</li>
 * <li>Framing: {@code u32 length || record}; a length over {@link Transport#MAX_FRAME_BYTES} plus
 * the header closes the connection before the body is read.</li>
 * <li>Back-pressure: per peer at most {@link Settings#maxQueuedFrames()} frames and
 * {@link Settings#maxQueuedBytes()} bytes wait to be written (beyond that frames are dropped and
 * counted: channels are best effort). Per member at most {@link Settings#maxPendingDeliveryFrames()}
 * frames and {@link Settings#maxPendingDeliveryBytes()} bytes it sent wait for this replica's
 * protocol thread, summed over its connections and counted from a record's header on; when its
 * next record does not fit, its connection is paused (TCP flow control slows it, nothing is
 * dropped) until that backlog has drained to half.</li>
 * <li>One inbound connection per member: a newer one that said a valid hello (a restarted peer)
 * replaces the older; of connections still waiting to say it, a member has one too.</li>
 * <li>Reconnects with exponential back-off and jitter between {@link Settings#minBackoff()} and
 * {@link Settings#maxBackoff()}; pings keep idle connections honest.</li>
 * <li>Versions: two replicas speak the highest {@link ProtocolVersions protocol version} both speak
 * (the listener answers the dialler's hello with its versions, the dialler names the one chosen);
 * a peer with none in common is refused and logged on both sides.</li>
 * <li>Receivers run on the replica's protocol thread (the {@link Scheduler} given), as the
 * {@link Channel} contract requires; the same consensus code runs here as in one JVM.</li>
 * </ul>
 */
public final class TcpTransport implements Transport, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

    /** A member of the subnet: its index, node key and where it listens. */
    public record Peer(int index, PublicKey key, String host, int port) {
        public Peer {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("peer " + index + " port: must be 1..65535, got " + port);
            }
        }

        /** From {@code host:port} (IPv6 literals in brackets). */
        public static Peer of(int index, PublicKey key, String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("peer " + index + " address '" + hostPort + "': expected host:port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("peer " + index + " address '" + hostPort + "': port is not a number");
            }
            return new Peer(index, key, host, port);
        }
    }

    /**
     * @param maxQueuedFrames         frames waiting for one peer's connection, at most
     * @param maxQueuedBytes          bytes waiting for one peer's connection, at most (at least one largest frame)
     * @param maxPendingDeliveryBytes  bytes from one member waiting for this replica's protocol thread, at most (at least one largest frame)
     * @param minBackoff               first reconnect delay
     * @param maxBackoff               longest reconnect delay
     * @param connectTimeout           TCP connect timeout
     * @param pingInterval             a dialled connection sends a ping this often; three missed answers close it
     * @param maxPendingDeliveryFrames frames from one member waiting for this replica's protocol thread, at most
     */
    public record Settings(int maxQueuedFrames, long maxQueuedBytes, long maxPendingDeliveryBytes, Duration minBackoff,
                           Duration maxBackoff, Duration connectTimeout, Duration pingInterval,
                           int maxPendingDeliveryFrames) {
        /**
         * Per member 16 MiB (two of the largest frames) and 4096 frames wait for the protocol thread:
         * (n − 1) × 16 MiB at worst. A full backlog only pauses the sender, whose own queue holds on.
         */
        public static final Settings DEFAULT = new Settings(8192, 64L << 20, 16L << 20, Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2), 4096);

        /** With {@link #DEFAULT}'s {@code maxPendingDeliveryFrames}. */
        public Settings(int maxQueuedFrames, long maxQueuedBytes, long maxPendingDeliveryBytes, Duration minBackoff,
                        Duration maxBackoff, Duration connectTimeout, Duration pingInterval) {
            this(maxQueuedFrames, maxQueuedBytes, maxPendingDeliveryBytes, minBackoff, maxBackoff, connectTimeout,
                    pingInterval, 4096);
        }

        public Settings {
            if (maxQueuedFrames < 1 || maxPendingDeliveryFrames < 1) {
                throw new IllegalArgumentException("maxQueuedFrames and maxPendingDeliveryFrames: must be at least 1");
            }
            if (maxQueuedBytes < MAX_FRAME_BYTES + 1024 || maxPendingDeliveryBytes < MAX_FRAME_BYTES + 1024) {
                throw new IllegalArgumentException("maxQueuedBytes and maxPendingDeliveryBytes: at least one largest frame ("
                        + MAX_FRAME_BYTES + " bytes) and its header");
            }
            Objects.requireNonNull(minBackoff, "minBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(pingInterval, "pingInterval");
        }
    }

    /**
     * One peer's connections as this replica sees them, for status pages and metrics.
     *
     * @param inboundConnections  its connections to this replica not closed yet: one greeted and one not yet, at most
     *                            (a replaced one counts until its close completes)
     * @param backlog             what it sent that waits for this replica's protocol thread; {@code refused}: pauses
     * @param connectionsReplaced times a newer connection of it replaced an older one
     */
    public record PeerStatus(int index, boolean outbound, boolean inbound, long framesSent, long framesDropped,
                             long framesReceived, int connects, int queued, String lastError, int inboundConnections,
                             Backlog backlog, long connectionsReplaced) {
    }

    /** Member indices a transport can hold (the registry may grow up to it). */
    public static final int MAX_MEMBERS = 64;

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

    private TcpTransport(Vertx vertx, NodeKey key, int self, List<Peer> peers, String listenHost, int listenPort,
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

    /**
     * Listens and starts dialling the peers; returns once the server listens.
     *
     * @param vertx      the shared Vert.x instance
     * @param key        this replica's node key (its certificate is made from it)
     * @param self       this replica's index in {@code peers}
     * @param peers      every member in index order (this replica included), as the registry pins them
     * @param listenHost address to listen on (e.g. {@code 0.0.0.0})
     * @param listenPort port to listen on (0: any free port, see {@link #port()})
     * @param networkId  bytes every member must share (the subnet id): a peer of another subnet is refused
     * @param protocol   this replica's protocol thread: receivers run there
     * @throws Exception if the server cannot listen (the message names the address)
     */
    public static TcpTransport start(Vertx vertx, NodeKey key, int self, List<Peer> peers, String listenHost, int listenPort,
                                     byte[] networkId, Scheduler protocol, Settings settings) throws Exception {
        return start(vertx, key, self, peers, listenHost, listenPort, networkId, protocol, settings,
                ProtocolVersions.release());
    }

    /** As above, speaking {@code versions} instead of this release's (tests of mixed releases). */
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
            return new TcpTransport(vertx, key, self, peers, listenHost, listenPort, networkId.clone(), protocol, settings,
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

    /**
     * The registry's members changed: from now on exactly {@code next} (index order, this replica
     * included) are pinned. A removed or replaced key is refused from now on and its connections are
     * closed; a new member is dialled and admitted; a moved address is dialled anew. Any thread.
     */
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

    /** The port this replica listens on. */
    public int port() {
        return port;
    }

    /** The protocol versions this replica speaks. */
    public ProtocolVersions versions() {
        return versions;
    }

    /** The protocol version this replica speaks to {@code peer}, 0 while not connected or not agreed yet. */
    public int protocolVersion(int peer) {
        OutboundLink l = peer >= 0 && peer < links.size() ? links.get(peer) : null;
        return l == null ? 0 : l.version();
    }

    /** Every peer's connection state, in index order (this replica's own row is all zero). */
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

    /** Closes the server, every connection and the queues; receivers are not called again. */
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
