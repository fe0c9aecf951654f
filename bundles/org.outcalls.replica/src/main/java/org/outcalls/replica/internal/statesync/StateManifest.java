package org.outcalls.replica.internal.statesync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Transport;

/**
 * The chunks of one checkpoint: its canonical bytes cut into {@link #CHUNK_BYTES} pieces, each
 * listed by its hash. A catch-up package signs the manifest's hash, so a replica fetching a state
 * checks every chunk on arrival, from whichever peer, against a list n − f replicas signed.
 *
 * <p>Encoding: {@code i64 height, i64 total bytes, u32 chunk bytes, u32 count, count × hash};
 * hashed in {@link #DOMAIN}. A chunk's hash is SHA-256 in {@link #CHUNK_DOMAIN} over its bytes.
 */
public record StateManifest(long height, long totalBytes, int chunkBytes, List<Hash> chunks) {
    public static final Domain DOMAIN = Domain.of("outcalls/replica/state-manifest", 1);
    public static final Domain CHUNK_DOMAIN = Domain.of("outcalls/replica/state-chunk", 1);
    /** Fixed for every replica: the manifest (hence the signed hash) depends on it. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** The manifest travels in one frame. */
    static final int MAX_CHUNKS = (Transport.MAX_FRAME_BYTES - 1024) / Hash.LENGTH;

    public StateManifest {
        chunks = List.copyOf(chunks);
        if (chunkBytes < 1 || totalBytes < 0 || chunks.size() != chunkCount(totalBytes, chunkBytes)) {
            throw new IllegalArgumentException("manifest: " + chunks.size() + " chunks do not cut " + totalBytes
                    + " bytes into pieces of " + chunkBytes);
        }
    }

    private static int chunkCount(long total, int chunkBytes) {
        return (int) Math.max(1, (total + chunkBytes - 1) / chunkBytes);
    }

    /** The manifest of a checkpoint's bytes. */
    public static StateManifest of(long height, byte[] checkpoint) {
        List<Hash> hashes = new ArrayList<>();
        int count = chunkCount(checkpoint.length, CHUNK_BYTES);
        for (int i = 0; i < count; i++) {
            hashes.add(chunkHash(slice(checkpoint, i, CHUNK_BYTES)));
        }
        return new StateManifest(height, checkpoint.length, CHUNK_BYTES, hashes);
    }

    /** Chunk {@code index} of {@code bytes} cut into {@code chunkBytes} pieces. */
    public static byte[] slice(byte[] bytes, int index, int chunkBytes) {
        int from = (int) Math.min(bytes.length, (long) index * chunkBytes);
        return Arrays.copyOfRange(bytes, from, (int) Math.min(bytes.length, (long) from + chunkBytes));
    }

    public static Hash chunkHash(byte[] chunk) {
        return Hash.of(CHUNK_DOMAIN, chunk);
    }

    public int count() {
        return chunks.size();
    }

    /** How long chunk {@code index} is. */
    public int chunkLength(int index) {
        long from = (long) index * chunkBytes;
        return (int) Math.max(0, Math.min(chunkBytes, totalBytes - from));
    }

    /** Whether {@code chunk} is chunk {@code index} of this manifest. */
    public boolean matches(int index, byte[] chunk) {
        return index >= 0 && index < chunks.size() && chunk.length == chunkLength(index)
                && chunkHash(chunk).equals(chunks.get(index));
    }

    public Hash hash() {
        return Hash.of(DOMAIN, encode());
    }

    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(32 + Hash.LENGTH * chunks.size());
        w.i64(height).i64(totalBytes).u32(chunkBytes).u32(chunks.size());
        chunks.forEach(w::hash);
        return w.toByteArray();
    }

    public static StateManifest decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        long height = r.i64(1, Long.MAX_VALUE, "height");
        long total = r.i64(0, (long) MAX_CHUNKS * CHUNK_BYTES, "total bytes");
        int chunkBytes = r.u32(Transport.MAX_FRAME_BYTES / 2, "chunk bytes");
        int count = r.u32(MAX_CHUNKS, "chunk count");
        List<Hash> hashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hashes.add(r.hash());
        }
        r.expectEnd();
        try {
            return new StateManifest(height, total, chunkBytes, hashes);
        } catch (IllegalArgumentException e) {
            throw new DecodeException(0, e.getMessage());
        }
    }
}
