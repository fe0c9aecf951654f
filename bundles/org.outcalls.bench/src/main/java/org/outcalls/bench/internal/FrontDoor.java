package org.outcalls.bench.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.internal.ingress.Ingress;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.Principals;
import org.outcalls.replica.internal.node.ReplicaNode;

/**
 * How the benchmark submits to a front replica it runs itself, the way a gateway does
 * ({@code Submissions}): the ingress gate first (a busy refusal costs no signature), then a message
 * signed with a gateway key, the pool, and a wake-up of the block maker.
 */
final class FrontDoor {
    /** What became of one submission. */
    enum Outcome { ACCEPTED, BUSY, REFUSED }

    private static final long INGRESS_TTL_MILLIS = 4 * 60_000L;

    private final ReplicaNode front;
    private final Hash subnetId;
    private final NodeKey gatewayKey = NodeKey.generate();
    private final String caller = Principals.ofKey(gatewayKey.publicKey());
    private final AtomicLong nonce = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);

    FrontDoor(ReplicaNode front, Hash subnetId) {
        this.front = front;
        this.subnetId = subnetId;
    }

    Outcome submit(long tag, String url) {
        if (front.ingress().busy(caller).isPresent()) {
            return Outcome.BUSY;
        }
        IngressMessage m = IngressMessage.sign(subnetId, BenchCanister.ID, BenchCanister.METHOD, BenchCanister.argument(tag, url),
                nonce.incrementAndGet(), System.currentTimeMillis() + INGRESS_TTL_MILLIS, gatewayKey);
        IngressAdmission a = front.ingress().submit(m, caller);
        if (a.busy()) {
            return Outcome.BUSY;
        }
        if (a.state() == IngressAdmission.State.REJECTED) {
            return Outcome.REFUSED;
        }
        front.consensus().workAvailable();
        return Outcome.ACCEPTED;
    }
}
