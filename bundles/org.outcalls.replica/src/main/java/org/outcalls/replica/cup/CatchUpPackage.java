package org.outcalls.replica.cup;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * A catch-up package: a {@link CupContent} with the signatures of at least n − f of its committee.
 *
 * <p>File format (what {@code GET /api/v1/subnet/cup} serves and {@code outcalls verify-cup}
 * reads): {@link #FILE_DOMAIN}'s prefix (so a file says what it is and which version of the
 * format), the content ({@code bytes subnetId, i64 height, hash block, hash state, hash manifest,
 * i64 registryVersion, u32 n, n × 32-byte key}), {@code u32 count}, then {@code count × (u32
 * signer, 64-byte Ed25519 signature)} with signers strictly increasing. Big-endian; nothing after.
 */
public record CatchUpPackage(CupContent content, SortedMap<Integer, byte[]> signatures) {
    /** The prefix of a package's canonical bytes (and its format version). */
    public static final Domain FILE_DOMAIN = Domain.of("outcalls/replica/cup", 1);

    public CatchUpPackage {
        Objects.requireNonNull(content, "content");
        TreeMap<Integer, byte[]> copy = new TreeMap<>();
        signatures.forEach((k, v) -> copy.put(k, v.clone()));
        signatures = Collections.unmodifiableSortedMap(copy);
    }

    /** The package made of shares that all carry {@code content} (their signatures are not checked here). */
    public static CatchUpPackage of(CupContent content, Map<Integer, byte[]> signatures) {
        return new CatchUpPackage(content, new TreeMap<>(signatures));
    }

    public long height() {
        return content.height();
    }

    /**
     * Why this package is not genuine by itself, or empty: every signer is a committee member whose
     * key signed the content, and at least n − f of them did.
     */
    public Optional<String> problem() {
        byte[] body = content.signedBody();
        List<PublicKey> committee = content.committee();
        for (Map.Entry<Integer, byte[]> e : signatures.entrySet()) {
            int signer = e.getKey();
            if (signer < 0 || signer >= committee.size()) {
                return Optional.of("signer " + signer + " is not in the committee of " + committee.size());
            }
            if (!committee.get(signer).verify(CupContent.SHARE_DOMAIN, body, e.getValue())) {
                return Optional.of("the signature of committee member " + signer + " (node "
                        + committee.get(signer).nodeId() + ") does not verify");
            }
        }
        if (signatures.size() < content.threshold()) {
            return Optional.of("signed by " + signatures.size() + " of " + content.n() + " replicas; it needs "
                    + content.threshold() + " (n - f)");
        }
        return Optional.empty();
    }

    /**
     * Why this package is not genuine for the subnet {@code subnetId} whose registry at version
     * {@code registryVersion} makes {@code committee} the replicas at the package's height, or empty.
     */
    public Optional<String> problemAgainst(Hash subnetId, long registryVersion, List<PublicKey> committee) {
        if (!content.subnetId().equals(subnetId)) {
            return Optional.of("it is for subnet " + content.subnetId().hex() + ", not " + subnetId.hex());
        }
        if (content.registryVersion() != registryVersion) {
            return Optional.of("it names registry version " + content.registryVersion() + ", the registry given is at "
                    + "version " + registryVersion);
        }
        if (!content.committee().equals(committee)) {
            return Optional.of("its committee (" + content.n() + " keys) is not the registry's members at height "
                    + content.height() + " (" + committee.size() + " keys)");
        }
        return problem();
    }

    /** How many signers' keys are in {@code trusted} (a replica's idea of the members). */
    public int signersAmong(java.util.Collection<PublicKey> trusted) {
        int count = 0;
        for (int signer : signatures.keySet()) {
            if (signer < content.n() && trusted.contains(content.committee().get(signer))) {
                count++;
            }
        }
        return count;
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(512 + 32 * content.n() + 68 * signatures.size());
        w.fixed(FILE_DOMAIN.prefix());
        content.write(w);
        w.u32(signatures.size());
        signatures.forEach((k, v) -> w.u32(k).fixed(v));
        return w.toByteArray();
    }

    /** @throws DecodeException naming the field if the bytes are not one canonical package of this format */
    public static CatchUpPackage decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        byte[] prefix = FILE_DOMAIN.prefix();
        if (!Arrays.equals(r.fixed(Math.min(prefix.length, bytes.length)), prefix)) {
            throw new DecodeException(0, "not a catch-up package (expected the prefix of " + FILE_DOMAIN + ")");
        }
        CupContent content = CupContent.read(r);
        int count = r.u32(content.n(), "signature count");
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int at = r.offset();
            int signer = r.u32(content.n() - 1, "signer");
            if (signer <= previous) {
                throw new DecodeException(at, "signers not strictly increasing");
            }
            previous = signer;
            sigs.put(signer, r.fixed(PublicKey.SIGNATURE_LENGTH));
        }
        r.expectEnd();
        return new CatchUpPackage(content, sigs);
    }

    @Override
    public String toString() {
        return "CatchUpPackage[" + content + ", signers " + signatures.keySet() + "]";
    }
}
