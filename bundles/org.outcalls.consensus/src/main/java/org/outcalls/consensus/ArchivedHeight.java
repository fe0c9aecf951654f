package org.outcalls.consensus;

import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;

/**
 * One finalized height as consensus archives it: the block's hash and the consensus frames that
 * prove it — the maker's signed proposal, the notarization, and the finalization (null when a
 * descendant's finalization made it final; catch-up then sends heights up to one that has one).
 * The frames are consensus wire frames, so a peer validates them like any other artifact.
 */
public record ArchivedHeight(long height, Hash hash, byte[] proposal, byte[] notarization, byte[] finalization) {
    private static final int VERSION = 1;
    // The consensus wire's frame header (internal.Wire, wire version 1): u8 version, u8 type. The
    // two frames decoded here are part of this record's contract, so they are read here, not there.
    private static final int WIRE_VERSION = 1;
    private static final int PROPOSAL = 1;
    private static final int NOTARIZATION = 4;
    private static final int FINALIZATION = 5;
    private static final int MAX_SIGNERS = 1 << 12;

    public ArchivedHeight {
        if (height < 1 || hash == null || proposal == null) {
            throw new IllegalArgumentException("archived height: height >= 1, hash and proposal required");
        }
    }

    /** The block (decoded from the proposal frame). */
    public Block block() throws DecodeException {
        CanonicalReader r = frame(proposal, "Proposal", PROPOSAL);
        Block b = Block.decode(r);
        r.fixed(PublicKey.SIGNATURE_LENGTH);
        r.expectEnd();
        return b;
    }

    /** The finality proof this height carries itself, or null. */
    public FinalityProof ownProof() throws DecodeException {
        if (finalization == null) {
            return null;
        }
        CanonicalReader r = frame(finalization, "Aggregate", FINALIZATION);
        FinalityProof proof = FinalityProof.read(r, 1, MAX_SIGNERS, "signers must be strictly increasing");
        r.expectEnd();
        return proof;
    }

    /** A reader past the header of a consensus frame that must be of {@code type}. */
    private static CanonicalReader frame(byte[] frame, String kind, int type) throws DecodeException {
        CanonicalReader r = new CanonicalReader(frame);
        int version = r.u8();
        if (version != WIRE_VERSION) {
            throw new DecodeException(0, "unknown wire version " + version);
        }
        int actual = r.u8();
        if (type == FINALIZATION && actual == NOTARIZATION) {
            throw new DecodeException(1, "expected a finalization, got a notarization");
        }
        if (actual != type) {
            throw new DecodeException(0, "expected a " + kind + " frame");
        }
        return r;
    }

    /** Canonical bytes for a store: {@code u8 version, i64 height, hash, bytes proposal, u8+bytes notarization, u8+bytes finalization}. */
    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(64 + proposal.length + (notarization == null ? 0 : notarization.length)
                + (finalization == null ? 0 : finalization.length));
        w.u8(VERSION).i64(height).hash(hash).bytes(proposal);
        w.optionalBytes(notarization);
        w.optionalBytes(finalization);
        return w.toByteArray();
    }

    public static ArchivedHeight decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        int v = r.u8();
        if (v != VERSION) {
            throw new DecodeException(0, "archived height: unknown version " + v);
        }
        long height = r.i64(1, Long.MAX_VALUE, "height");
        Hash hash = r.hash();
        byte[] proposal = r.bytes(Integer.MAX_VALUE, "proposal");
        byte[] notarization = r.optionalBytes(Integer.MAX_VALUE, "notarization");
        byte[] finalization = r.optionalBytes(Integer.MAX_VALUE, "finalization");
        r.expectEnd();
        return new ArchivedHeight(height, hash, proposal, notarization, finalization);
    }



    @Override
    public String toString() {
        return "ArchivedHeight[h=" + height + ", " + hash + (finalization == null ? "" : ", finalized") + "]";
    }
}
