package org.outcalls.replica.internal.outcall;

import java.util.ArrayList;
import java.util.List;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;

/**
 * Frames of the {@code outcalls} gossip channel: shares (with small contents), one or a batch per
 * frame; content requests and contents.
 */
final class OutcallFrames {
    static final int SHARE = 1;
    static final int CONTENT_REQUEST = 2;
    static final int CONTENT = 3;
    /** Several shares of one signer (a signed batch), each with its content if small. */
    static final int SHARES = 4;
    /** A frame of {@link #SHARES} stops growing past this many bytes (far below the transport's limit). */
    static final int MAX_SHARES_FRAME_BYTES = 1 << 20;
    /** Most shares one {@link #SHARES} frame may carry. */
    static final int MAX_SHARES_PER_FRAME = 4096;
    /** Contents up to this size travel with their share; larger ones on request from the block maker. */
    static final int INLINE_CONTENT_BYTES = 4096;

    private OutcallFrames() {
    }

    /** A share and, if small enough to travel with it, its content. */
    record Carried(SignedShare share, byte[] content) {
        static Carried of(SignedShare share, byte[] content) {
            return new Carried(share, content != null && content.length <= INLINE_CONTENT_BYTES ? content : null);
        }
    }

    /** The shares as {@link #SHARES} frames, each under {@link #MAX_SHARES_FRAME_BYTES} (a share alone may exceed it). */
    static List<byte[]> shares(List<Carried> shares) {
        List<byte[]> frames = new ArrayList<>();
        int i = 0;
        while (i < shares.size()) {
            List<byte[]> encoded = new ArrayList<>();
            int bytes = 0;
            while (i < shares.size() && encoded.size() < MAX_SHARES_PER_FRAME
                    && (encoded.isEmpty() || bytes < MAX_SHARES_FRAME_BYTES)) {
                Carried c = shares.get(i++);
                CanonicalWriter w = new CanonicalWriter(512 + (c.content() == null ? 0 : c.content().length));
                c.share().write(w);
                w.bool(c.content() != null);
                if (c.content() != null) {
                    w.bytes(c.content());
                }
                byte[] one = w.toByteArray();
                encoded.add(one);
                bytes += one.length;
            }
            CanonicalWriter w = new CanonicalWriter(bytes + 16);
            w.u8(SHARES);
            w.u32(encoded.size());
            encoded.forEach(w::fixed);
            frames.add(w.toByteArray());
        }
        return frames;
    }

    static byte[] contentRequest(long callbackId, Hash contentHash) {
        return new CanonicalWriter(48).u8(CONTENT_REQUEST).i64(callbackId).hash(contentHash).toByteArray();
    }

    static byte[] content(long callbackId, Hash contentHash, byte[] content) {
        return new CanonicalWriter(content.length + 64).u8(CONTENT).i64(callbackId).hash(contentHash).bytes(content).toByteArray();
    }

    /** A decoded frame: its type and the fields that type has ({@code shares} for both share types). */
    record Frame(int type, List<Carried> shares, byte[] content, long callbackId, Hash contentHash) {
    }

    static Frame decode(byte[] bytes) throws DecodeException {
        CanonicalReader in = new CanonicalReader(bytes);
        int type = in.u8();
        Frame f = switch (type) {
            case SHARE -> new Frame(type, List.of(carried(in)), null, -1, null);
            case SHARES -> {
                int count = in.u32(MAX_SHARES_PER_FRAME, "share count");
                if (count == 0) {
                    throw new DecodeException(0, "a shares frame carries no share");
                }
                List<Carried> shares = new ArrayList<>(Math.min(count, 64));
                for (int i = 0; i < count; i++) {
                    shares.add(carried(in));
                }
                yield new Frame(type, shares, null, -1, null);
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

    private static Carried carried(CanonicalReader in) throws DecodeException {
        SignedShare s = SignedShare.read(in);
        byte[] content = in.bool() ? in.bytes(OutcallCodec.MAX_CONTENT_BYTES, "content") : null;
        return new Carried(s, content);
    }
}
