package org.outcalls.replica;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.outcalls.replica.internal.crypto.Ed25519;

/**
 * One replica of the subnet as the registry lists it.
 *
 * @param index     its position in {@code [0, n)}; shares and committees name replicas by index
 * @param publicKey its Ed25519 node key (32 bytes)
 * @param nodeId    its node id (by default {@link Principals#ofKey} of the key)
 * @param hostPort  where peers reach it ({@code host:port}) in a multi-host subnet; empty in one JVM
 */
public record Member(int index, byte[] publicKey, String nodeId, Optional<String> hostPort) {
    public static final int MAX_NODE_ID_CHARS = 128;
    public static final int MAX_HOST_PORT_CHARS = 261;

    public Member {
        if (index < 0) {
            throw new IllegalArgumentException("member index: must not be negative (was " + index + ")");
        }
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("member " + index + " public key: " + publicKey.length
                    + " bytes; an Ed25519 key has " + Ed25519.PUBLIC_KEY_BYTES);
        }
        publicKey = publicKey.clone();
        if (nodeId == null || nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_CHARS) {
            throw new IllegalArgumentException("member " + index + " node id: 1 to " + MAX_NODE_ID_CHARS
                    + " characters");
        }
        org.outcalls.replica.internal.Names.checkUnicode("member " + index + " node id", nodeId);
        hostPort = hostPort == null ? Optional.empty() : hostPort;
        hostPort.ifPresent(hp -> checkHostPort(index, hp));
    }

    /** A member whose node id is the principal of its key. */
    public static Member of(int index, byte[] publicKey, String hostPort) {
        return new Member(index, publicKey, Principals.ofKey(publicKey), Optional.ofNullable(hostPort));
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    private static void checkHostPort(int index, String hp) {
        int colon = hp.lastIndexOf(':');
        if (colon <= 0 || hp.length() > MAX_HOST_PORT_CHARS) {
            throw new IllegalArgumentException("member " + index + " address '" + hp + "': expected host:port");
        }
        try {
            int port = Integer.parseInt(hp.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member " + index + " address '" + hp
                    + "': port must be a number in 1..65535");
        }
        for (int i = 0; i < hp.length(); i++) {
            if (hp.charAt(i) <= 0x20 || hp.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("member " + index + " address '" + hp
                        + "': space, control or non-ASCII character at index " + i);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && index == m.index && Arrays.equals(publicKey, m.publicKey)
                && nodeId.equals(m.nodeId) && hostPort.equals(m.hostPort);
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "Member[" + index + ", " + nodeId + hostPort.map(h -> ", " + h).orElse("") + "]";
    }
}
