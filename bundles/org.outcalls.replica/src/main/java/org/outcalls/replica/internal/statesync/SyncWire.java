package org.outcalls.replica.internal.statesync;

import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.transport.Transport;

/**
 * Frames of the {@code statesync} channel: {@code u8 version (1), u8 type, body}. Requests are
 * small; replies carry what the replica has (a flag says whether it has it). Decoding is exact,
 * lengths are bounded before allocation, and anything else is a {@link DecodeException}.
 */
public final class SyncWire {
    public static final String CHANNEL = "statesync";
    static final int VERSION = 1;

    /** One decoded frame. */
    public sealed interface Msg permits CupRequest, CupReply, ManifestRequest, ManifestReply, ChunkRequest, ChunkReply,
            HeightRequest, HeightReply {
    }

    /** What is your newest catch-up package? */
    public record CupRequest() implements Msg {
    }

    /**
     * @param finalized      the replier's finalized height
     * @param lowestRetained the lowest finalized height it can serve a peer that is behind (−1: none)
     * @param cup            its newest catch-up package whose checkpoint it still has, or null
     */
    public record CupReply(long finalized, long lowestRetained, byte[] cup) implements Msg {
    }

    public record ManifestRequest(long height) implements Msg {
    }

    /** @param manifest null if the replier has no checkpoint at that height */
    public record ManifestReply(long height, byte[] manifest) implements Msg {
    }

    public record ChunkRequest(long height, int index) implements Msg {
    }

    /** @param chunk null if the replier has no checkpoint at that height */
    public record ChunkReply(long height, int index, byte[] chunk) implements Msg {
    }

    /** A finalized height (block and proof frames), for the ancestry below a synced checkpoint. */
    public record HeightRequest(long height) implements Msg {
    }

    /** @param archived the {@code ArchivedHeight} encoding, or null if not kept */
    public record HeightReply(long height, byte[] archived) implements Msg {
    }

    private static final int CUP_REQUEST = 1;
    private static final int CUP_REPLY = 2;
    private static final int MANIFEST_REQUEST = 3;
    private static final int MANIFEST_REPLY = 4;
    private static final int CHUNK_REQUEST = 5;
    private static final int CHUNK_REPLY = 6;
    private static final int HEIGHT_REQUEST = 7;
    private static final int HEIGHT_REPLY = 8;
    private static final int MAX_BYTES = Transport.MAX_FRAME_BYTES - 64;

    private SyncWire() {
    }

    public static byte[] encode(Msg m) {
        CanonicalWriter w = new CanonicalWriter(64);
        w.u8(VERSION);
        if (m instanceof CupRequest) {
            w.u8(CUP_REQUEST);
        } else if (m instanceof CupReply r) {
            w.u8(CUP_REPLY).i64(r.finalized()).i64(r.lowestRetained()).optionalBytes(r.cup());
        } else if (m instanceof ManifestRequest r) {
            w.u8(MANIFEST_REQUEST).i64(r.height());
        } else if (m instanceof ManifestReply r) {
            w.u8(MANIFEST_REPLY).i64(r.height()).optionalBytes(r.manifest());
        } else if (m instanceof ChunkRequest r) {
            w.u8(CHUNK_REQUEST).i64(r.height()).u32(r.index());
        } else if (m instanceof ChunkReply r) {
            w.u8(CHUNK_REPLY).i64(r.height()).u32(r.index()).optionalBytes(r.chunk());
        } else if (m instanceof HeightRequest r) {
            w.u8(HEIGHT_REQUEST).i64(r.height());
        } else if (m instanceof HeightReply r) {
            w.u8(HEIGHT_REPLY).i64(r.height()).optionalBytes(r.archived());
        }
        return w.toByteArray();
    }

    public static Msg decode(byte[] frame) throws DecodeException {
        CanonicalReader r = new CanonicalReader(frame);
        int version = r.u8();
        if (version != VERSION) {
            throw new DecodeException(0, "state sync frame version " + version + ", this replica speaks " + VERSION);
        }
        int type = r.u8();
        Msg m = switch (type) {
            case CUP_REQUEST -> new CupRequest();
            case CUP_REPLY -> new CupReply(r.i64(0, Long.MAX_VALUE, "finalized"), r.i64(-1, Long.MAX_VALUE, "lowest"),
                    r.optionalBytes(MAX_BYTES, "cup"));
            case MANIFEST_REQUEST -> new ManifestRequest(r.i64(1, Long.MAX_VALUE, "height"));
            case MANIFEST_REPLY -> new ManifestReply(r.i64(1, Long.MAX_VALUE, "height"), r.optionalBytes(MAX_BYTES, "manifest"));
            case CHUNK_REQUEST -> new ChunkRequest(r.i64(1, Long.MAX_VALUE, "height"),
                    r.u32(StateManifest.MAX_CHUNKS, "index"));
            case CHUNK_REPLY -> new ChunkReply(r.i64(1, Long.MAX_VALUE, "height"), r.u32(StateManifest.MAX_CHUNKS, "index"),
                    r.optionalBytes(MAX_BYTES, "chunk"));
            case HEIGHT_REQUEST -> new HeightRequest(r.i64(1, Long.MAX_VALUE, "height"));
            case HEIGHT_REPLY -> new HeightReply(r.i64(1, Long.MAX_VALUE, "height"), r.optionalBytes(MAX_BYTES, "archived height"));
            default -> throw new DecodeException(1, "unknown state sync frame type " + type);
        };
        r.expectEnd();
        return m;
    }


}
