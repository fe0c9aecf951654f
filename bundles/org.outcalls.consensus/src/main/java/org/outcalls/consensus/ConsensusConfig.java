package org.outcalls.consensus;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * One replica's consensus configuration. Everything but {@code self}, {@code key} and
 * {@code faultMode} must be identical on every replica of the subnet.
 *
 * @param subnetId       the subnet's id (1..64 bytes), bound into every signature
 * @param members        the replicas' public keys; index = replica number (n = size, at least 1)
 * @param self           this replica's index in {@code members}
 * @param key            this replica's signing key; its public key must be {@code members.get(self)}
 * @param rankDelay      Δ: the rank-r block maker proposes r·Δ after the round starts, and
 *                       replicas notarization-share a rank-r block no earlier than that
 * @param heartbeat      with no work, the rank-0 maker proposes this long after the round
 *                       starts (an empty block), so time advances on an idle subnet
 * @param clockTolerance how far in the future (by the validator's clock) a block's time may be
 * @param ancestryDepth  how many ancestors' payloads payload validation may look at (0..1024)
 * @param faultMode      {@link FaultMode#NONE} unless testing Byzantine behaviour
 */
public record ConsensusConfig(byte[] subnetId, List<PublicKey> members, int self, NodeKey key,
        Duration rankDelay, Duration heartbeat, Duration clockTolerance, int ancestryDepth,
        FaultMode faultMode) {
    public static final int MAX_ANCESTRY_DEPTH = 1024;

    public ConsensusConfig {
        if (subnetId == null || subnetId.length < 1 || subnetId.length > 64) {
            throw new IllegalArgumentException("subnetId: must be 1..64 bytes");
        }
        subnetId = subnetId.clone();
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("members: must list at least one public key");
        }
        members = List.copyOf(members);
        if (new HashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("members: every public key must appear once");
        }
        if (self < 0 || self >= members.size()) {
            throw new IllegalArgumentException("self: must be 0.." + (members.size() - 1) + ", got " + self);
        }
        if (key == null || !key.publicKey().equals(members.get(self))) {
            throw new IllegalArgumentException("key: its public key must be members[" + self + "]");
        }
        requirePositive(rankDelay, "rankDelay");
        requirePositive(heartbeat, "heartbeat");
        if (clockTolerance == null || clockTolerance.isNegative()) {
            throw new IllegalArgumentException("clockTolerance: must be zero or positive");
        }
        if (ancestryDepth < 0 || ancestryDepth > MAX_ANCESTRY_DEPTH) {
            throw new IllegalArgumentException("ancestryDepth: must be 0.." + MAX_ANCESTRY_DEPTH + ", got " + ancestryDepth);
        }
        if (faultMode == null) {
            faultMode = FaultMode.NONE;
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
    }

    /** A config like this one with another fault mode. */
    public ConsensusConfig withFaultMode(FaultMode mode) {
        return new ConsensusConfig(subnetId, members, self, key, rankDelay, heartbeat, clockTolerance, ancestryDepth, mode);
    }

    @Override
    public byte[] subnetId() {
        return subnetId.clone();
    }

    /** Number of replicas. */
    public int n() {
        return members.size();
    }

    /** Faulty replicas tolerated: ⌊(n−1)/3⌋. */
    public int f() {
        return (n() - 1) / 3;
    }

    /** Signatures a notarization or finalization needs: n − f. */
    public int threshold() {
        return n() - f();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsensusConfig c && Arrays.equals(subnetId, c.subnetId) && members.equals(c.members)
                && self == c.self && key == c.key && rankDelay.equals(c.rankDelay) && heartbeat.equals(c.heartbeat)
                && clockTolerance.equals(c.clockTolerance) && ancestryDepth == c.ancestryDepth
                && faultMode == c.faultMode;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(subnetId) * 31 + members.hashCode() * 7 + self;
    }

    @Override
    public String toString() {
        return "ConsensusConfig[n=" + n() + ", self=" + self + ", Δ=" + rankDelay + ", heartbeat=" + heartbeat
                + ", tolerance=" + clockTolerance + ", ancestryDepth=" + ancestryDepth + ", fault=" + faultMode + "]";
    }
}
