package org.outcalls.api.policy;

import java.util.Arrays;

/**
 * What a policy sees of one replica's signed share (the signature was already checked).
 *
 * @param signer      the replica's index in {@code [0, n)}
 * @param contentHash SHA-256 of the replica's transformed response or reject
 * @param contentSize size of that content in bytes
 * @param reject      whether the content is a reject rather than a response
 * @param content     the content itself, if known (always, for policies that
 *                    {@linkplain AgreementPolicy#carriesShareContents() carry share contents});
 *                    {@code null} otherwise. For a response share it is the transformed response's
 *                    body alone (not its status or headers); for a reject share it is the reject's
 *                    message text in UTF-8. An aggregating policy such as {@code median} reads its
 *                    values from it.
 */
public record ShareView(int signer, byte[] contentHash, long contentSize, boolean reject, byte[] content) {
    public ShareView {
        if (signer < 0) {
            throw new IllegalArgumentException("signer: must not be negative");
        }
        if (contentHash == null || contentHash.length == 0) {
            throw new IllegalArgumentException("contentHash: must not be empty");
        }
        contentHash = contentHash.clone();
        content = content == null ? null : content.clone();
    }

    @Override
    public byte[] contentHash() {
        return contentHash.clone();
    }

    @Override
    public byte[] content() {
        return content == null ? null : content.clone();
    }

    /** Lower-case hex of the first bytes of the content hash, for messages. */
    public String shortHash() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(4, contentHash.length); i++) {
            b.append(String.format("%02x", contentHash[i]));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareView s && signer == s.signer && contentSize == s.contentSize && reject == s.reject
                && Arrays.equals(contentHash, s.contentHash) && Arrays.equals(content, s.content);
    }

    @Override
    public int hashCode() {
        return 31 * signer + Arrays.hashCode(contentHash);
    }

    @Override
    public String toString() {
        return "ShareView[signer " + signer + ", " + shortHash() + ", " + contentSize + " bytes"
                + (reject ? ", reject" : "") + "]";
    }
}
