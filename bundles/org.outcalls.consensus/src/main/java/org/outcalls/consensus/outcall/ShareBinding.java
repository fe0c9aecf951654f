package org.outcalls.consensus.outcall;

import org.outcalls.crypto.Hash;

/**
 * Whether a share answers exactly one request context: the same subnet, callback, context digest,
 * policy and registry version, and the transform at the version its context pins (or none: a reject
 * made before any transform ran). The one rule both a
 * replica admitting gossiped shares and a validator checking a payload item apply, so a share
 * that could never go into a valid item is never counted towards a decision either.
 */
public final class ShareBinding {
    private ShareBinding() {
    }

    /**
     * @param digest {@code context.digest()}, which callers keep (it hashes the whole request)
     * @return null if the share fits the context; else why not
     */
    public static String mismatch(ShareMetadata m, Hash subnetId, OutcallContextInfo context, Hash digest) {
        if (!m.subnetId().equals(subnetId)) {
            return "it is for subnet " + m.subnetId().shortHex();
        }
        if (m.callbackId() != context.callbackId() || !m.contextDigest().equals(digest)) {
            return "it answers another request";
        }
        if (!m.policy().equals(context.policy())) {
            return "it names policy " + m.policy() + ", but its request context has " + context.policy();
        }
        if (m.registryVersion() != context.registryVersion()) {
            return "it names registry version " + m.registryVersion() + ", but its request context has "
                    + context.registryVersion();
        }
        if (!m.transform().isEmpty() && !m.transform().equals(context.transform())) {
            return "it names transform '" + m.transform() + "', but its request context pins '" + context.transform() + "'";
        }
        return null;
    }

    /**
     * Null if {@code content} is what the share signed — its size and hash — and decodes as an
     * outcall content; else why not. A content that fails here can never go into a valid item, so
     * it is never kept beside its share either.
     */
    public static String contentMismatch(ShareMetadata m, byte[] content) {
        if (content.length != m.contentSize() || !ContentHash.of(m.transform(), content).equals(m.contentHash())) {
            return "its content does not have the signed size and hash";
        }
        try {
            OutcallCodec.decode(content);
            return null;
        } catch (org.outcalls.crypto.DecodeException e) {
            return "its content does not decode: " + e.getMessage();
        }
    }
}
