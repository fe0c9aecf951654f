package org.outcalls.gateway.internal;

import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.SubnetNode;

/**
 * Whose call an unsigned request becomes: the gateway's own identity ({@link SubnetNode#submit}
 * signs with the node's gateway key), or the custodial key of an API key, signed here.
 */
abstract sealed class Signer {
    /** How long a message the gateway signs stays valid: within the replicas' 5 minutes. */
    private static final long EXPIRY_MILLIS = 4 * 60_000L;
    private static final SecureRandom NONCES = new SecureRandom();

    /** The gateway's own key: the development identity of loopback callers. */
    static final Signer GATEWAY = new Gateway();

    static Signer custodial(NodeKey key, SubnetIds subnet) {
        return new Custodial(key, subnet);
    }

    /**
     * @param caller the remote address the call came from: who a call the gateway signs with its own
     *               key counts against in the front replica's admission (a custodial key's call counts
     *               against its principal)
     */
    abstract CompletionStage<String> submit(Vertx vertx, SubnetNode node, String canisterId, String method, byte[] argument,
                                            String caller);

    private static final class Gateway extends Signer {
        @Override
        CompletionStage<String> submit(Vertx vertx, SubnetNode node, String canisterId, String method, byte[] argument,
                                       String caller) {
            return node.submit(canisterId, method, argument, caller);
        }
    }

    private static final class Custodial extends Signer {
        private final NodeKey key;
        private final SubnetIds subnet;

        Custodial(NodeKey key, SubnetIds subnet) {
            this.key = key;
            this.subnet = subnet;
        }

        /** Signs on a worker: a 2 MB argument takes milliseconds to hash and sign. */
        @Override
        CompletionStage<String> submit(Vertx vertx, SubnetNode node, String canisterId, String method, byte[] argument,
                                       String caller) {
            return vertx.executeBlocking(() -> IngressMessage.sign(subnet.of(node), canisterId, method, argument,
                            NONCES.nextLong() & Long.MAX_VALUE, System.currentTimeMillis() + EXPIRY_MILLIS, key).encode(), false)
                    .toCompletionStage().thenCompose(node::submitSigned);
        }
    }

    /** The subnet id a node serves, read once from its status (it never changes for a node). */
    static final class SubnetIds {
        private final AtomicReference<Hash> id = new AtomicReference<>();

        Hash of(SubnetNode node) {
            Hash h = id.get();
            if (h == null) {
                h = Hash.fromHex(node.status().subnetId());
                id.set(h);
            }
            return h;
        }
    }
}
