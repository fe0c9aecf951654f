package org.outcalls.bench.internal;

import java.nio.ByteBuffer;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * How fast one thread of this machine makes and checks an Ed25519 signature (the replicas' own
 * code, warmed up: the fastest of five rounds): the unit the signature work per outcall is priced
 * in, measured in the run it prices.
 */
record Ed25519Speed(double signMicros, double verifyMicros) {
    private static final Domain DOMAIN = Domain.of("outcalls/bench/speed", 1);

    static Ed25519Speed measure(int operations) {
        NodeKey key = NodeKey.generate();
        Ed25519Speed best = once(key, operations);
        for (int round = 1; round < 5; round++) {
            Ed25519Speed s = once(key, operations);
            best = new Ed25519Speed(Math.min(best.signMicros, s.signMicros), Math.min(best.verifyMicros, s.verifyMicros));
        }
        return best;
    }

    private static Ed25519Speed once(NodeKey key, int operations) {
        // every body is new, so no check is answered by the memory of verified signatures
        long salt = System.nanoTime();
        byte[][] bodies = new byte[operations][];
        byte[][] signatures = new byte[operations][];
        for (int i = 0; i < operations; i++) {
            bodies[i] = ByteBuffer.allocate(96).putLong(salt).putInt(i).array();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            signatures[i] = key.sign(DOMAIN, bodies[i]);
        }
        long t1 = System.nanoTime();
        PublicKey pub = key.publicKey();
        for (int i = 0; i < operations; i++) {
            if (!pub.verify(DOMAIN, bodies[i], signatures[i])) {
                throw new IllegalStateException("a signature made here did not verify");
            }
        }
        long t2 = System.nanoTime();
        return new Ed25519Speed((t1 - t0) / 1e3 / operations, (t2 - t1) / 1e3 / operations);
    }
}
