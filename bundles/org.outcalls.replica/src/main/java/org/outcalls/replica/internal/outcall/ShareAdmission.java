package org.outcalls.replica.internal.outcall;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.ShareBinding;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.consensus.outcall.OutcallCommittees;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step "admit" of the way of a share: a peer's share is held only if that peer signed it, it
 * fits its open request exactly ({@link ShareBinding}, the rule validators apply to items) and its
 * signature verifies; a content travels with it only if it is what the share signed. Shares for
 * requests not open here yet wait in the pool within the peer's quota and are judged when the
 * request opens. Protocol thread only.
 */
final class ShareAdmission {
    private static final Logger LOG = LoggerFactory.getLogger(ShareAdmission.class);

    /** What admission needs to know of an open request; the digest is computed once, by {@link #of}. */
    record OpenRequest(OutcallContextInfo info, Hash digest) {
        static OpenRequest of(OutcallContextInfo info) {
            return new OpenRequest(info, info.digest());
        }
    }

    private final Hash subnetId;
    private final OutcallCommittees committees;
    private final BatchVerifier verifier;
    private final SharePool pool;
    private final LongFunction<OpenRequest> open;
    /** A share was added for an open request: whether it is decidable now is asked next. */
    private final java.util.function.Consumer<OpenRequest> added;
    private long highestOpened = -1;

    ShareAdmission(Hash subnetId, List<PublicKey> members, BatchVerifier verifier, SharePool pool,
                   LongFunction<OpenRequest> open, java.util.function.Consumer<OpenRequest> added) {
        this(subnetId, OutcallCommittees.fixed(members), verifier, pool, open, added);
    }

    /** @param committees the members that answer a request, by the registry version it was opened at */
    ShareAdmission(Hash subnetId, OutcallCommittees committees, BatchVerifier verifier, SharePool pool,
                   LongFunction<OpenRequest> open, java.util.function.Consumer<OpenRequest> added) {
        this.subnetId = subnetId;
        this.committees = committees;
        this.verifier = verifier;
        this.pool = pool;
        this.open = open;
        this.added = added;
    }

    /** A share as it arrived from {@code from} (its content too, if small enough to travel with it). */
    void onShare(int from, SignedShare share, byte[] content) {
        if (share.signer() != from || from >= SharePool.PEER_CAPACITY) {
            LOG.debug("replica {} sent a share signed as {}; only own shares are accepted", from, share.signer());
            return;
        }
        long cb = share.metadata().callbackId();
        OpenRequest request = open.apply(cb);
        if (request != null) {
            admit(request, share, content);
        } else if (cb > highestOpened) {
            pool.keepEarly(from, share, content); // over the peer's quota it is dropped: the peer resends while it is open
        }
    }

    /** A request opened here: judges the shares that came before it. */
    void opened(OpenRequest request) {
        highestOpened = Math.max(highestOpened, request.info().callbackId());
        for (OutcallShare early : pool.takeEarly(request.info().callbackId())) {
            admit(request, early.share(), early.content());
        }
    }

    /** Holds a checked share; false if it does not fit, does not verify, or its signer already has one. */
    boolean admit(OpenRequest request, SignedShare share, byte[] content) {
        ShareMetadata m = share.metadata();
        String mismatch = ShareBinding.mismatch(m, subnetId, request.info(), request.digest());
        if (mismatch != null) {
            LOG.debug("replica {} sent a share for callback {} that does not fit the context here: {}", share.signer(),
                    m.callbackId(), mismatch);
            return false;
        }
        if (content != null) {
            content = checkedContent(m, content);
        }
        // a request is answered by the members of its registry version: a share by a later member, or
        // by a key replaced since, does not verify against them
        List<PublicKey> members = committees.at(request.info().registryVersion());
        if (share.signer() >= members.size() || !share.verify(members.get(share.signer()), verifier)) {
            LOG.warn("replica {} sent a share with a bad signature for callback {}", share.signer(), m.callbackId());
            return false;
        }
        if (!pool.add(share, content)) {
            return false;
        }
        added.accept(request);
        return true;
    }

    /**
     * The content if it is what the share signed, else null. Bytes equal to a content already
     * checked for the same hash and transform are that content (kept once, not hashed again).
     */
    private byte[] checkedContent(ShareMetadata m, byte[] content) {
        byte[] known = pool.checkedContent(m);
        if (known != null) {
            return content.length == m.contentSize() && Arrays.equals(known, content) ? known : null;
        }
        return ShareBinding.contentMismatch(m, content) == null ? content : null;
    }
}
