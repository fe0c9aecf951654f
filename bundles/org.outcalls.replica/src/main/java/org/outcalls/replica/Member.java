package org.outcalls.replica;

import java.util.Objects;
import java.util.Optional;
import org.outcalls.crypto.PublicKey;

/**
 * One replica of the subnet as the registry lists it.
 *
 * @param index     its position in {@code [0, n)}; shares and committees name replicas by index
 * @param publicKey its Ed25519 node key
 * @param nodeId    its node id (by default {@link PublicKey#nodeId()})
 * @param hostPort  where peers reach it ({@code host:port}) in a multi-host subnet; empty in one JVM
 */
public record Member(int index, PublicKey publicKey, String nodeId, Optional<String> hostPort) {
    public static final int MAX_NODE_ID_CHARS = 128;
    public static final int MAX_HOST_PORT_CHARS = 261;

    public Member {
        if (index < 0) {
            throw new IllegalArgumentException("member index: must not be negative (was " + index + ")");
        }
        Objects.requireNonNull(publicKey, "member " + index + " public key");
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_CHARS) {
            throw new IllegalArgumentException("member " + index + " node id: 1 to " + MAX_NODE_ID_CHARS
                    + " characters");
        }
        Names.checkUnicode("member " + index + " node id", nodeId);
        hostPort = hostPort == null ? Optional.empty() : hostPort;
        hostPort.ifPresent(hp -> checkHostPort(index, hp));
    }

    /** A member whose node id is its key's {@link PublicKey#nodeId()}; {@code hostPort} may be null. */
    public static Member of(int index, PublicKey publicKey, String hostPort) {
        return new Member(index, publicKey, publicKey.nodeId(), Optional.ofNullable(hostPort));
    }

    private static void checkHostPort(int index, String hp) {
        int colon = hp.lastIndexOf(':');
        if (colon <= 0 || hp.length() > MAX_HOST_PORT_CHARS) {
            throw new IllegalArgumentException("member " + index + " address '" + hp + "': expected host:port");
        }
        for (int i = 0; i < hp.length(); i++) {
            if (hp.charAt(i) <= 0x20 || hp.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("member " + index + " address '" + hp
                        + "': space, control or non-ASCII character at index " + i);
            }
        }
        int port;
        try {
            port = Integer.parseInt(hp.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("member " + index + " address '" + hp
                    + "': port must be a number in 1..65535");
        }
    }

    @Override
    public String toString() {
        return "Member[" + index + ", " + nodeId + hostPort.map(h -> ", " + h).orElse("") + "]";
    }
}
