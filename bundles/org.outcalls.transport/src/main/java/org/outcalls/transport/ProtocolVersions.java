package org.outcalls.transport;

import java.util.OptionalInt;

/**
 * The replica-to-replica wire protocol versions a replica speaks, {@code lowest..highest}. Two
 * replicas speak the highest version both speak; with none in common the connection is refused
 * and logged on both sides.
 *
 * <ul>
 * <li>1: the hello says version 1 and nothing is negotiated (releases before versions were).</li>
 * <li>2: the hello names the dialler's lowest version; the listener answers with its range, and
 * the dialler confirms the version both then speak before any frame. Records are encoded as in 1.</li>
 * </ul>
 *
 * <p>A new version may change how records are encoded, never what replicated execution computes:
 * a subnet of mixed releases must reach the same state hashes.
 */
public record ProtocolVersions(int lowest, int highest) {
    public ProtocolVersions {
        if (lowest < 1 || highest < lowest || highest > 255) {
            throw new IllegalArgumentException("protocol versions: 1 <= lowest <= highest <= 255, got " + lowest + ".."
                    + highest);
        }
    }

    /**
     * What this release speaks. A method, not a constant, so no other class inlines it: the upgrade
     * test recompiles this one class with a bumped range to make "the next release".
     */
    public static ProtocolVersions release() {
        return new ProtocolVersions(1, 2);
    }

    /** The highest version both speak, if any. */
    public OptionalInt common(ProtocolVersions other) {
        int v = Math.min(highest, other.highest);
        return v >= Math.max(lowest, other.lowest) ? OptionalInt.of(v) : OptionalInt.empty();
    }

    public boolean speaks(int version) {
        return version >= lowest && version <= highest;
    }

    @Override
    public String toString() {
        return lowest == highest ? String.valueOf(lowest) : lowest + ".." + highest;
    }
}
