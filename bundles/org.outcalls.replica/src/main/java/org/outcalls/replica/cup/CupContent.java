package org.outcalls.replica.cup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * What a catch-up package certifies: after executing the finalized block {@code blockHash} at
 * {@code height}, the subnet's replicated state has {@code stateHash}, its checkpoint's chunks are
 * listed by the state manifest {@code manifestHash}, and the registry in that state has
 * {@code registryVersion}; {@code committee} are the replicas that ran consensus at that height
 * (index = replica number), whose n − f signatures make the package.
 *
 * <p>Signed bytes: {@link #SHARE_DOMAIN} prefix, then {@code bytes subnetId, i64 height, hash
 * block, hash state, hash manifest, i64 registryVersion, hash committee} where the committee hash
 * is SHA-256 over {@link #COMMITTEE_DOMAIN}'s prefix and {@code u32 n, n × 32-byte key}.
 */
public record CupContent(Hash subnetId, long height, Hash blockHash, Hash stateHash, Hash manifestHash,
                         long registryVersion, List<PublicKey> committee) {
    /** The domain of a replica's signature over a catch-up package's content. */
    public static final Domain SHARE_DOMAIN = Domain.of("outcalls/replica/cup-share", 1);
    /** The domain of the committee's hash inside the signed content. */
    public static final Domain COMMITTEE_DOMAIN = Domain.of("outcalls/replica/committee", 1);
    /** Largest committee a package may name. */
    public static final int MAX_COMMITTEE = 1024;

    public CupContent {
        Objects.requireNonNull(subnetId, "subnetId");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(stateHash, "stateHash");
        Objects.requireNonNull(manifestHash, "manifestHash");
        if (height < 1) {
            throw new IllegalArgumentException("height: a catch-up package is for a height of at least 1, got " + height);
        }
        if (registryVersion < 1) {
            throw new IllegalArgumentException("registryVersion: at least 1, got " + registryVersion);
        }
        committee = List.copyOf(committee);
        if (committee.isEmpty() || committee.size() > MAX_COMMITTEE) {
            throw new IllegalArgumentException("committee: 1.." + MAX_COMMITTEE + " members, got " + committee.size());
        }
        if (new HashSet<>(committee).size() != committee.size()) {
            throw new IllegalArgumentException("committee: a key is listed twice");
        }
    }

    /** n: the committee's size. */
    public int n() {
        return committee.size();
    }

    /** Signatures a package needs: n − f with f = ⌊(n − 1)/3⌋. */
    public int threshold() {
        return n() - (n() - 1) / 3;
    }

    /** SHA-256 over the committee's keys in index order (domain-separated). */
    public Hash committeeHash() {
        CanonicalWriter w = new CanonicalWriter(8 + 32 * committee.size());
        w.u32(committee.size());
        committee.forEach(k -> w.fixed(k.bytes()));
        return Hash.of(COMMITTEE_DOMAIN, w.toByteArray());
    }

    /** The bytes each replica signs (in {@link #SHARE_DOMAIN}). */
    public byte[] signedBody() {
        return new CanonicalWriter(256).bytes(subnetId.bytes()).i64(height).hash(blockHash).hash(stateHash)
                .hash(manifestHash).i64(registryVersion).hash(committeeHash()).toByteArray();
    }

    /** Writes the content with the committee's keys (not just their hash), as packages and shares carry it. */
    void write(CanonicalWriter w) {
        w.bytes(subnetId.bytes()).i64(height).hash(blockHash).hash(stateHash).hash(manifestHash).i64(registryVersion)
                .u32(committee.size());
        committee.forEach(k -> w.fixed(k.bytes()));
    }

    static CupContent read(CanonicalReader r) throws DecodeException {
        int at = r.offset();
        byte[] subnet = r.bytes(Hash.LENGTH, "subnet id");
        if (subnet.length != Hash.LENGTH) {
            throw new DecodeException(at, "subnet id: must be " + Hash.LENGTH + " bytes");
        }
        long height = r.i64(1, Long.MAX_VALUE, "height");
        Hash block = r.hash();
        Hash state = r.hash();
        Hash manifest = r.hash();
        long registryVersion = r.i64(1, Long.MAX_VALUE, "registry version");
        at = r.offset();
        int n = r.u32(MAX_COMMITTEE, "committee size");
        List<PublicKey> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(PublicKey.wrap(r.fixed(PublicKey.LENGTH)));
        }
        try {
            return new CupContent(Hash.wrap(subnet), height, block, state, manifest, registryVersion, keys);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(at, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "CupContent[h=" + height + ", block " + blockHash.shortHex() + ", state " + stateHash.shortHex()
                + ", registry v" + registryVersion + ", n=" + n() + "]";
    }
}
