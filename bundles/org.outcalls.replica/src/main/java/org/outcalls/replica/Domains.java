package org.outcalls.replica;

import org.outcalls.crypto.Domain;

/**
 * The domains of everything this bundle hashes or signs, so no two kinds of bytes ever collide.
 * Exported because they are part of what the exported messages, principals and genesis hash or sign.
 */
public final class Domains {
    public static final Domain INGRESS = Domain.of("outcalls/replica/ingress", 1);
    public static final Domain PRINCIPAL = Domain.of("outcalls/replica/principal", 1);
    public static final Domain GENESIS = Domain.of("outcalls/replica/genesis", 1);
    public static final Domain REGISTRY = Domain.of("outcalls/replica/registry", 1);
    public static final Domain STATE = Domain.of("outcalls/replica/state", 1);
    public static final Domain CHECKPOINT = Domain.of("outcalls/replica/checkpoint", 1);
    public static final Domain CANISTER = Domain.of("outcalls/replica/canister", 1);
    public static final Domain REQUEST_CONTEXT = Domain.of("outcalls/replica/request-context", 1);
    public static final Domain DELIVERY = Domain.of("outcalls/replica/outcall-delivery", 1);
    public static final Domain INGRESS_PAYLOAD = Domain.of("outcalls/replica/ingress-payload", 1);

    private Domains() {
    }
}
