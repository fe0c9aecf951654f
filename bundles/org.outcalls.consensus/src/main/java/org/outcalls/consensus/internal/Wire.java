package org.outcalls.consensus.internal;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.FinalityProof;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.pool.PoolArtifact;

/**
 * The consensus channel's frames: {@code u8 wire version (1) || u8 type || body}, canonical and
 * exact (no trailing bytes). Signed artifacts are pool artifacts identified by the SHA-256 of
 * their frame. Public only for the fault modes in {@code internal.byzantine}, which forge frames.
 */
public final class Wire {
    public static final int VERSION = 1;
    public static final int PROPOSAL = 1;
    public static final int NOTARIZATION_SHARE = 2;
    public static final int FINALIZATION_SHARE = 3;
    public static final int NOTARIZATION = 4;
    public static final int FINALIZATION = 5;
    public static final int STATUS = 6;
    public static final int REQUEST = 7;
    public static final int MAX_SIGNERS = 1 << 12;

    private Wire() {
    }

    /** Any message of the consensus channel. */
    public sealed interface Msg permits Signed, Status, Request {
    }

    /** A signed artifact (goes through the pool). */
    public sealed interface Signed extends Msg, PoolArtifact permits Proposal, Share, Aggregate {
        byte[] frame();
    }

    /** A block and its maker's signature. */
    public record Proposal(Block block, Hash hash, byte[] signature, byte[] frame, Hash id) implements Signed {
        @Override
        public long height() {
            return block.height();
        }

        @Override
        public int sizeBytes() {
            return frame.length + 256;
        }

        int maker() {
            return block.maker();
        }

        int rank() {
            return block.rank();
        }
    }

    /** One replica's notarization or finalization share. */
    public record Share(int type, long height, Hash hash, int signer, byte[] signature, byte[] frame, Hash id) implements Signed {
        boolean notarization() {
            return type == NOTARIZATION_SHARE;
        }

        @Override
        public int sizeBytes() {
            return frame.length + 160;
        }
    }

    /** A notarization or finalization: threshold many shares' signatures over one block hash. */
    public record Aggregate(int type, long height, Hash hash, SortedMap<Integer, byte[]> signatures, byte[] frame, Hash id)
            implements Signed {
        boolean notarization() {
            return type == NOTARIZATION;
        }

        @Override
        public int sizeBytes() {
            return frame.length + 160 + 48 * signatures.size();
        }

        FinalityProof proof() {
            return new FinalityProof(height, hash, signatures);
        }
    }

    /** What the sender has: its finalized and notarized heights (unsigned; only ever triggers help). */
    public record Status(long finalized, long notarized) implements Msg {
    }

    /** Please send the proposal of this block if you have it. */
    public record Request(long height, Hash hash) implements Msg {
    }

    // ---------------------------------------------------------------- signed bodies

    public static byte[] proposalBody(byte[] subnetId, long height, Hash blockHash) {
        return new CanonicalWriter(96).bytes(subnetId).i64(height).hash(blockHash).toByteArray();
    }

    public static byte[] notarizationBody(byte[] subnetId, long height, Hash blockHash) {
        return new CanonicalWriter(96).bytes(subnetId).i64(height).hash(blockHash).toByteArray();
    }

    public static byte[] finalizationBody(byte[] subnetId, long height, Hash blockHash) {
        return FinalityProof.signedBody(subnetId, height, blockHash);
    }

    public static Domain shareDomain(int type) {
        return (type == NOTARIZATION_SHARE || type == NOTARIZATION) ? Domain.NOTARIZATION_SHARE : Domain.FINALIZATION_SHARE;
    }

    public static byte[] shareBody(int type, byte[] subnetId, long height, Hash hash) {
        return (type == NOTARIZATION_SHARE || type == NOTARIZATION) ? notarizationBody(subnetId, height, hash)
                : finalizationBody(subnetId, height, hash);
    }

    // ---------------------------------------------------------------- encoders

    private static CanonicalWriter header(int type, int size) {
        return new CanonicalWriter(size).u8(VERSION).u8(type);
    }

    public static Proposal proposal(Block block, Hash hash, byte[] signature) {
        CanonicalWriter w = header(PROPOSAL, 128 + (int) block.payloadBytes());
        block.encode(w);
        w.fixed(signature);
        byte[] frame = w.toByteArray();
        return new Proposal(block, hash, signature, frame, Hash.sha256(frame));
    }

    public static Share share(int type, long height, Hash hash, int signer, byte[] signature) {
        byte[] frame = header(type, 120).i64(height).hash(hash).u32(signer).fixed(signature).toByteArray();
        return new Share(type, height, hash, signer, signature, frame, Hash.sha256(frame));
    }

    public static Aggregate aggregate(int type, long height, Hash hash, SortedMap<Integer, byte[]> signatures) {
        CanonicalWriter w = header(type, 64 + 68 * signatures.size()).i64(height).hash(hash).u32(signatures.size());
        for (Map.Entry<Integer, byte[]> e : signatures.entrySet()) {
            w.u32(e.getKey()).fixed(e.getValue());
        }
        byte[] frame = w.toByteArray();
        TreeMap<Integer, byte[]> copy = new TreeMap<>(signatures);
        return new Aggregate(type, height, hash, Collections.unmodifiableSortedMap(copy), frame, Hash.sha256(frame));
    }

    public static byte[] status(long finalized, long notarized) {
        return header(STATUS, 24).i64(finalized).i64(notarized).toByteArray();
    }

    public static byte[] request(long height, Hash hash) {
        return header(REQUEST, 48).i64(height).hash(hash).toByteArray();
    }

    // ---------------------------------------------------------------- decoder

    /** Decodes a frame from a peer; any malformation is a {@link DecodeException}. */
    public static Msg decode(byte[] frame) throws DecodeException {
        CanonicalReader r = new CanonicalReader(frame);
        int version = r.u8();
        if (version != VERSION) {
            throw new DecodeException(0, "unknown wire version " + version);
        }
        int type = r.u8();
        Msg m;
        switch (type) {
            case PROPOSAL -> {
                Block b = Block.decode(r);
                byte[] sig = r.fixed(PublicKey.SIGNATURE_LENGTH);
                r.expectEnd();
                m = new Proposal(b, b.hash(), sig, frame, Hash.sha256(frame));
            }
            case NOTARIZATION_SHARE, FINALIZATION_SHARE -> {
                long h = r.i64(1, Long.MAX_VALUE, "height");
                Hash hash = r.hash();
                int signer = r.u32(MAX_SIGNERS, "signer");
                byte[] sig = r.fixed(PublicKey.SIGNATURE_LENGTH);
                r.expectEnd();
                m = new Share(type, h, hash, signer, sig, frame, Hash.sha256(frame));
            }
            case NOTARIZATION, FINALIZATION -> {
                long h = r.i64(1, Long.MAX_VALUE, "height");
                Hash hash = r.hash();
                int count = r.u32(MAX_SIGNERS, "signature count");
                TreeMap<Integer, byte[]> sigs = new TreeMap<>();
                int previous = -1;
                for (int i = 0; i < count; i++) {
                    int at = r.offset();
                    int signer = r.u32(MAX_SIGNERS, "signer");
                    if (signer <= previous) {
                        throw new DecodeException(at, "signers must be strictly increasing");
                    }
                    previous = signer;
                    sigs.put(signer, r.fixed(PublicKey.SIGNATURE_LENGTH));
                }
                r.expectEnd();
                m = new Aggregate(type, h, hash, Collections.unmodifiableSortedMap(sigs), frame, Hash.sha256(frame));
            }
            case STATUS -> {
                long fin = r.i64(0, Long.MAX_VALUE, "finalized height");
                long not = r.i64(0, Long.MAX_VALUE, "notarized height");
                r.expectEnd();
                m = new Status(fin, not);
            }
            case REQUEST -> {
                long h = r.i64(1, Long.MAX_VALUE, "height");
                Hash hash = r.hash();
                r.expectEnd();
                m = new Request(h, hash);
            }
            default -> throw new DecodeException(1, "unknown message type " + type);
        }
        return m;
    }

    /** Decodes a frame that must be of {@code type}. */
    static Msg decodeAs(byte[] frame, Class<? extends Msg> type) throws DecodeException {
        Msg m = decode(frame);
        if (!type.isInstance(m)) {
            throw new DecodeException(0, "expected a " + type.getSimpleName() + " frame");
        }
        return m;
    }
}
