package org.outcalls.consensus.outcall;

import java.util.Objects;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/**
 * What a replica signs about its content for one request context (DESIGN.md "share").
 *
 * @param transform {@code name@version} of the transform applied, or empty for none
 * @param policy    {@code name@version} of the request's agreement policy
 */
public record ShareMetadata(Hash subnetId, long callbackId, Hash contextDigest, Hash contentHash, long contentSize,
                            boolean reject, String transform, String policy, long registryVersion) {
    static final int MAX_NAME_BYTES = 256;

    public ShareMetadata {
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(contextDigest, "contextDigest");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(policy, "policy");
        if (contentSize < 0 || callbackId < 0 || registryVersion < 0) {
            throw new IllegalArgumentException("share metadata: sizes, ids and versions must not be negative");
        }
    }

    public void write(CanonicalWriter w) {
        w.hash(subnetId).i64(callbackId).hash(contextDigest).hash(contentHash).i64(contentSize).bool(reject)
                .string(transform).string(policy).i64(registryVersion);
    }

    /** The bytes a replica signs (in {@link OutcallDomains#SHARE}). */
    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(256);
        write(w);
        return w.toByteArray();
    }

    public static ShareMetadata read(CanonicalReader in) throws DecodeException {
        Hash subnet = in.hash();
        long callback = in.i64(0, Long.MAX_VALUE, "callback id");
        Hash context = in.hash();
        Hash content = in.hash();
        long size = in.i64(0, OutcallCodec.MAX_CONTENT_BYTES, "content size");
        boolean reject = in.bool();
        String transform = in.string(MAX_NAME_BYTES, "transform");
        String policy = in.string(MAX_NAME_BYTES, "policy");
        long registryVersion = in.i64(0, Long.MAX_VALUE, "registry version");
        return new ShareMetadata(subnet, callback, context, content, size, reject, transform, policy, registryVersion);
    }

    /** Everything but the content fields: what all shares of one item must have in common. */
    boolean sameRequestAs(ShareMetadata o) {
        return subnetId.equals(o.subnetId) && callbackId == o.callbackId && contextDigest.equals(o.contextDigest)
                && policy.equals(o.policy) && registryVersion == o.registryVersion;
    }
}
