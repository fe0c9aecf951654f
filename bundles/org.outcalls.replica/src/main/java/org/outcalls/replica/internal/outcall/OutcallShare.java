package org.outcalls.replica.internal.outcall;

import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;
import org.outcalls.pool.PoolArtifact;

/**
 * A signed outcall share as the artifact pool holds it, with its content once known. Its height
 * is the request's callback id: shares are judged, decided and freed per request.
 *
 * @param content null until this replica has the content the share signed
 */
record OutcallShare(SignedShare share, byte[] content, Hash id) implements PoolArtifact {
    static OutcallShare of(SignedShare share, byte[] content) {
        return new OutcallShare(share, content, Hash.sha256(share.encode()));
    }

    OutcallShare withContent(byte[] known) {
        return new OutcallShare(share, known, id);
    }

    int signer() {
        return share.signer();
    }

    @Override
    public long height() {
        return share.metadata().callbackId();
    }

    @Override
    public int sizeBytes() {
        return 512 + (content == null ? 0 : content.length);
    }
}
