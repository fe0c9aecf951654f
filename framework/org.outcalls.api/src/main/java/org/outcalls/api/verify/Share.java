package org.outcalls.api.verify;

/**
 * One replica's signed share in a certificate: what it signed about its content for one request
 * context (as {@code org.outcalls.consensus.outcall.ShareMetadata} encodes it), who signed it, and
 * the batch signature.
 *
 * @param subnetId       the subnet the share is for (hex)
 * @param contextDigest  the digest of the request context the share answers (hex; see {@link SignedContext#digest()})
 * @param contentHash    the hash of the replica's transformed content with its transform (hex)
 * @param contentSize    the content's size in bytes
 * @param reject         whether the content is a reject
 * @param transform      {@code name@version} of the transform applied, or empty for none
 * @param policy         {@code name@version} of the request's agreement policy
 * @param signer         the replica's index in the subnet
 * @param signedMetadata the exact bytes signed (in {@link Domains#share()})
 */
public record Share(String subnetId, long callbackId, String contextDigest, String contentHash, long contentSize,
                    boolean reject, String transform, String policy, long registryVersion, int signer, BatchProof proof,
                    byte[] signedMetadata) {
    /** Largest subnet whose shares are read (replica indexes 0..1023). */
    public static final int MAX_SIGNER = 1023;
    static final int MAX_NAME_BYTES = 256;

    public Share {
        signedMetadata = signedMetadata.clone();
    }

    @Override
    public byte[] signedMetadata() {
        return signedMetadata.clone();
    }

    /** True if the replica holding {@code publicKey} signed this share. */
    public boolean signedBy(byte[] publicKey) {
        return proof.verify(publicKey, Domains.share(), signedMetadata);
    }

    /** Everything but the content: what all shares of one certificate have in common. */
    public boolean sameRequestAs(Share o) {
        return subnetId.equals(o.subnetId) && callbackId == o.callbackId && contextDigest.equals(o.contextDigest)
                && policy.equals(o.policy) && registryVersion == o.registryVersion;
    }

    static Share read(CanonicalInput in) throws DocumentException {
        int start = in.offset();
        String subnet = in.hash();
        long callback = in.i64(0, Long.MAX_VALUE, "callback id");
        String context = in.hash();
        String content = in.hash();
        long size = in.i64(0, Certificate.MAX_CONTENT_BYTES, "content size");
        boolean reject = in.bool();
        String transform = in.string(MAX_NAME_BYTES, "transform");
        String policy = in.string(MAX_NAME_BYTES, "policy");
        long registryVersion = in.i64(0, Long.MAX_VALUE, "registry version");
        byte[] signed = in.since(start);
        int signer = in.u16();
        if (signer > MAX_SIGNER) {
            throw in.error(in.offset(), "signer " + signer + " exceeds " + MAX_SIGNER);
        }
        return new Share(subnet, callback, context, content, size, reject, transform, policy, registryVersion, signer,
                BatchProof.read(in), signed);
    }
}
