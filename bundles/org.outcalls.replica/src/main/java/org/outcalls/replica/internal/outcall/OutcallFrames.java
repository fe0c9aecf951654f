package org.outcalls.replica.internal.outcall;

import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/** Frames of the {@code outcalls} gossip channel: shares (with small contents), content requests and contents. */
final class OutcallFrames {
    static final int SHARE = 1;
    static final int CONTENT_REQUEST = 2;
    static final int CONTENT = 3;
    /** Contents up to this size travel with their share; larger ones on request from the block maker. */
    static final int INLINE_CONTENT_BYTES = 4096;

    private OutcallFrames() {
    }

    static byte[] share(SignedShare share, byte[] contentOrNull) {
        CanonicalWriter w = new CanonicalWriter(512 + (contentOrNull == null ? 0 : contentOrNull.length));
        w.u8(SHARE);
        share.write(w);
        w.bool(contentOrNull != null);
        if (contentOrNull != null) {
            w.bytes(contentOrNull);
        }
        return w.toByteArray();
    }

    static byte[] contentRequest(long callbackId, Hash contentHash) {
        return new CanonicalWriter(48).u8(CONTENT_REQUEST).i64(callbackId).hash(contentHash).toByteArray();
    }

    static byte[] content(long callbackId, Hash contentHash, byte[] content) {
        return new CanonicalWriter(content.length + 64).u8(CONTENT).i64(callbackId).hash(contentHash).bytes(content).toByteArray();
    }

    /** A decoded frame: its type and the fields that type has. */
    record Frame(int type, SignedShare share, byte[] content, long callbackId, Hash contentHash) {
    }

    static Frame decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        int type = in.u8();
        Frame f = switch (type) {
            case SHARE -> {
                SignedShare s = SignedShare.read(in);
                byte[] content = in.bool() ? in.bytes(OutcallCodec.MAX_CONTENT_BYTES, "content") : null;
                yield new Frame(type, s, content, s.metadata().callbackId(), s.metadata().contentHash());
            }
            case CONTENT_REQUEST -> new Frame(type, null, null, in.i64(0, Long.MAX_VALUE, "callback id"), in.hash());
            case CONTENT -> {
                long cb = in.i64(0, Long.MAX_VALUE, "callback id");
                Hash h = in.hash();
                yield new Frame(type, null, in.bytes(OutcallCodec.MAX_CONTENT_BYTES, "content"), cb, h);
            }
            default -> throw new DecodeException(0, "unknown outcalls frame type " + type);
        };
        in.expectEnd();
        return f;
    }
}
