package org.outcalls.consensus.outcall;

import org.outcalls.crypto.Domain;

/** Signing and hashing domains of outcall artifacts. */
public final class OutcallDomains {
    /** A replica's transformed response or reject, with the transform that produced it. */
    public static final Domain CONTENT = Domain.of("outcalls/outcall/content", 1);
    /**
     * The immutable facts of a request context, as replicated state holds them. Version 2 covers
     * the request body's SHA-256 instead of the body, so a result document can show (and a
     * verifier recompute) the digest without the body; {@link OutcallContextInfo#digest()}.
     */
    public static final Domain CONTEXT = Domain.of("outcalls/outcall/context", 2);
    /** A replica's signed share: the metadata of its content for one context. */
    public static final Domain SHARE = Domain.of("outcalls/outcall/share", 1);

    private OutcallDomains() {
    }
}
