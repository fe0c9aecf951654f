package org.outcalls.transport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;
import org.outcalls.crypto.NodeCertificates;
import org.outcalls.crypto.PublicKey;

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
 *
 * <p>Made by {@link Transports#tcp}.
 */
@ProviderType
public interface TcpTransport extends Transport, AutoCloseable {
    /** A member of the subnet: its index, node key and where it listens. */
    record Peer(int index, PublicKey key, String host, int port) {
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
    record Settings(int maxQueuedFrames, long maxQueuedBytes, long maxPendingDeliveryBytes, Duration minBackoff,
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
    record PeerStatus(int index, boolean outbound, boolean inbound, long framesSent, long framesDropped,
                      long framesReceived, int connects, int queued, String lastError, int inboundConnections,
                      Backlog backlog, long connectionsReplaced) {
    }

    /** Member indices a transport can hold (the registry may grow up to it). */
    int MAX_MEMBERS = 64;

    /**
     * The registry's members changed: from now on exactly {@code next} (index order, this replica
     * included) are pinned. A removed or replaced key is refused from now on and its connections are
     * closed; a new member is dialled and admitted; a moved address is dialled anew. Any thread.
     */
    void updateMembers(List<Peer> next);

    /** The port this replica listens on. */
    int port();

    /** The protocol versions this replica speaks. */
    ProtocolVersions versions();

    /** The protocol version this replica speaks to {@code peer}, 0 while not connected or not agreed yet. */
    int protocolVersion(int peer);

    /** Every peer's connection state, in index order (this replica's own row is all zero). */
    List<PeerStatus> peerStatus();

    /** Closes the server, every connection and the queues; receivers are not called again. */
    @Override
    void close();
}
