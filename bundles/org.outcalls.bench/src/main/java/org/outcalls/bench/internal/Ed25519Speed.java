package org.outcalls.bench.internal;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Ed25519Work;
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
        long salt = System.nanoTime();
        byte[][] bodies = new byte[operations][];
        for (int i = 0; i < operations; i++) {
            bodies[i] = ByteBuffer.allocate(96).putLong(salt).putInt(i).array();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            key.sign(DOMAIN, bodies[i]);
        }
        long t1 = System.nanoTime();
        // What NodeKey.sign makes is remembered as valid and not checked on the curve in this JVM,
        // so the checks are timed on signatures made as a peer in another JVM makes them: every
        // body new, none remembered.
        byte[][] signatures = new byte[operations][];
        Ed25519PrivateKeyParameters peer = new Ed25519PrivateKeyParameters(new SecureRandom());
        PublicKey peerKey = PublicKey.wrap(peer.generatePublicKey().getEncoded());
        byte[] prefix = DOMAIN.prefix();
        for (int i = 0; i < operations; i++) {
            bodies[i][95] = 1; // not the bodies just signed here
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, peer);
            signer.update(prefix, 0, prefix.length);
            signer.update(bodies[i], 0, bodies[i].length);
            signatures[i] = signer.generateSignature();
        }
        Ed25519Work before = Ed25519Work.byThisThread();
        long t2 = System.nanoTime();
        for (int i = 0; i < operations; i++) {
            if (!peerKey.verify(DOMAIN, bodies[i], signatures[i])) {
                throw new IllegalStateException("a peer's signature did not verify");
            }
        }
        long t3 = System.nanoTime();
        long checked = Ed25519Work.byThisThread().minus(before).verifications();
        if (checked != operations) {
            throw new IllegalStateException(operations + " checks timed, but " + checked + " were made on the curve");
        }
        return new Ed25519Speed((t1 - t0) / 1e3 / operations, (t3 - t2) / 1e3 / operations);
    }
}
