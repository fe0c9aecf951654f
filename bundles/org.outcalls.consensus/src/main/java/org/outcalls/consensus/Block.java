package org.outcalls.consensus;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.outcalls.crypto.CanonicalReader;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Domain;
import org.outcalls.crypto.Hash;

/**
 * A block: its place in the chain, who made it at which rank and when, and one payload per
 * section (sections with nothing to say are absent, never empty). Its identity is
 * {@link #hash()}: SHA-256 over {@link Domain#BLOCK} and the canonical encoding.
 *
 * @param height  1 and up (0 is the genesis block, which nobody proposes)
 * @param parent  hash of the block at {@code height − 1}
 * @param rank    the maker's rank at this height
 * @param maker   the maker's replica index
 * @param time    the maker's clock when proposing, nanoseconds since the Unix epoch; strictly
 *                greater than the parent's time
 * @param payload section name → payload bytes, sorted by name
 */
public record Block(long height, Hash parent, int rank, int maker, long time, SortedMap<String, byte[]> payload) {
    /** Most bytes of payload (all sections together) one block may carry. */
    public static final int MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
    /** Most sections one block may carry. */
    public static final int MAX_SECTIONS = 32;
    private static final Pattern SECTION_NAME = Pattern.compile("[a-z0-9._-]{1,64}");

    public Block {
        if (height < 0) {
            throw new IllegalArgumentException("height: must not be negative");
        }
        if (parent == null) {
            throw new IllegalArgumentException("parent: required");
        }
        if (rank < 0 || maker < 0) {
            throw new IllegalArgumentException("rank and maker: must not be negative");
        }
        if (payload == null) {
            payload = new TreeMap<>();
        }
        if (payload.size() > MAX_SECTIONS) {
            throw new IllegalArgumentException("payload: at most " + MAX_SECTIONS + " sections");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, byte[]> e : payload.entrySet()) {
            if (!validSectionName(e.getKey())) {
                throw new IllegalArgumentException("payload: section name must be 1..64 characters of [a-z0-9._-], got "
                        + e.getKey());
            }
            if (e.getValue() == null || e.getValue().length == 0) {
                throw new IllegalArgumentException("payload: section " + e.getKey() + " is empty (leave it out)");
            }
            total += e.getValue().length;
            copy.put(e.getKey(), e.getValue().clone());
        }
        if (total > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload: " + total + " bytes, at most " + MAX_PAYLOAD_BYTES);
        }
        payload = Collections.unmodifiableSortedMap(copy);
    }

    /** Whether {@code name} is a valid payload section name. */
    public static boolean validSectionName(String name) {
        return name != null && SECTION_NAME.matcher(name).matches();
    }

    /** The genesis block of a subnet: height 0, parent = SHA-256 of the subnet id, time 0, no payload. */
    public static Block genesis(byte[] subnetId) {
        return new Block(0, Hash.sha256(subnetId), 0, 0, 0, new TreeMap<>());
    }

    /** The payload of {@code section}, or an empty array when the block has none. Do not modify it. */
    public byte[] payloadOf(String section) {
        byte[] p = payload.get(section);
        return p == null ? new byte[0] : p;
    }

    /** Total payload bytes. */
    public long payloadBytes() {
        long t = 0;
        for (byte[] b : payload.values()) {
            t += b.length;
        }
        return t;
    }

    /** SHA-256 over {@link Domain#BLOCK} and {@link #encode()}; computed on each call, so keep it. */
    public Hash hash() {
        return Hash.of(Domain.BLOCK, encode());
    }

    /** The canonical encoding. */
    public byte[] encode() {
        CanonicalWriter w = new CanonicalWriter(96 + (int) payloadBytes() + 72 * payload.size());
        encode(w);
        return w.toByteArray();
    }

    public void encode(CanonicalWriter w) {
        w.i64(height).hash(parent).u32(rank).u32(maker).i64(time).u32(payload.size());
        for (Map.Entry<String, byte[]> e : payload.entrySet()) {
            w.string(e.getKey()).bytes(e.getValue());
        }
    }

    /** Decodes and checks a block's canonical encoding (sections sorted, unique, non-empty, within limits). */
    public static Block decode(CanonicalReader r) throws DecodeException {
        long height = r.i64(0, Long.MAX_VALUE, "height");
        Hash parent = r.hash();
        int rank = r.u32(1 << 20, "rank");
        int maker = r.u32(1 << 20, "maker");
        long time = r.i64();
        int count = r.u32(MAX_SECTIONS, "section count");
        TreeMap<String, byte[]> payload = new TreeMap<>();
        String previous = null;
        long total = 0;
        for (int i = 0; i < count; i++) {
            int at = r.offset();
            String name = r.string(64, "section name");
            if (!validSectionName(name)) {
                throw new DecodeException(at, "invalid section name " + name);
            }
            if (previous != null && previous.compareTo(name) >= 0) {
                throw new DecodeException(at, "sections not strictly sorted by name: " + name + " after " + previous);
            }
            previous = name;
            int pat = r.offset();
            byte[] bytes = r.bytes(MAX_PAYLOAD_BYTES, "payload of " + name);
            if (bytes.length == 0) {
                throw new DecodeException(pat, "empty payload for section " + name);
            }
            total += bytes.length;
            if (total > MAX_PAYLOAD_BYTES) {
                throw new DecodeException(pat, "payload exceeds " + MAX_PAYLOAD_BYTES + " bytes");
            }
            payload.put(name, bytes);
        }
        return new Block(height, parent, rank, maker, time, payload);
    }

    public static Block decode(byte[] bytes) throws DecodeException {
        CanonicalReader r = new CanonicalReader(bytes);
        Block b = decode(r);
        r.expectEnd();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Block b) || height != b.height || rank != b.rank || maker != b.maker || time != b.time
                || !parent.equals(b.parent) || payload.size() != b.payload.size()) {
            return false;
        }
        List<Map.Entry<String, byte[]>> mine = List.copyOf(payload.entrySet());
        List<Map.Entry<String, byte[]>> theirs = List.copyOf(b.payload.entrySet());
        for (int i = 0; i < mine.size(); i++) {
            if (!mine.get(i).getKey().equals(theirs.get(i).getKey())
                    || !Arrays.equals(mine.get(i).getValue(), theirs.get(i).getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(height) * 31 + parent.hashCode() * 7 + maker;
    }

    @Override
    public String toString() {
        return "Block[h=" + height + ", rank=" + rank + ", maker=" + maker + ", parent=" + parent
                + ", sections=" + payload.keySet() + ", " + payloadBytes() + " bytes]";
    }
}
