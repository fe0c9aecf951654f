package org.outcalls.consensus.outcall;

import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.Hash;

/**
 * The hash replicas compare: of the content together with the transform (name and version) that
 * produced it, so two replicas running different transform versions never look as if they agreed.
 */
public final class ContentHash {
    private ContentHash() {
    }

    /** @param transform {@code name@version}, or empty when the request names no transform */
    public static Hash of(String transform, byte[] content) {
        CanonicalWriter w = new CanonicalWriter(content.length + transform.length() + 16);
        w.string(transform);
        w.bytes(content);
        return Hash.of(OutcallDomains.CONTENT, w.toByteArray());
    }
}
