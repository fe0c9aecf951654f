package org.outcalls.transport.internal.tcp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.outcalls.transport.Transport;

/**
 * What travels on a replica-to-replica TCP connection: {@code u32 length || u8 kind || body}.
 * HELLO (the lowest protocol version the dialler speaks, its index and the network id), DATA
 * (channel name and one channel frame), PING and PONG (liveness of an otherwise one-way
 * connection), and since protocol 2 the negotiation: VERSIONS (the listener's range, its answer
 * to a hello) and USE (the version the dialler chose, before its first frame). A release before
 * protocol 2 says 1 in its hello, never sends USE and ignores VERSIONS, so it still connects.
 */
public final class Frames {
    public static final int HELLO = 1;
    public static final int DATA = 2;
    public static final int PING = 3;
    public static final int PONG = 4;
    public static final int VERSIONS = 5;
    public static final int USE = 6;
    /** Largest record after the length prefix: a full channel frame plus kind and channel name. */
    public static final int MAX_RECORD_BYTES = Transport.MAX_FRAME_BYTES + 2 + 255;
    /** Largest hello record after the length prefix: kind, version, index, and a network id of 255 bytes. */
    public static final int MAX_HELLO_RECORD_BYTES = 1 + 1 + 4 + 1 + 255;

    private Frames() {
    }

    /** The hello of a dialler that speaks protocol 1 and up (what releases before negotiation sent). */
    public static Buffer hello(int self, byte[] networkId) {
        return hello(self, 1, networkId);
    }

    public static Buffer hello(int self, int lowestVersion, byte[] networkId) {
        Buffer b = Buffer.buffer(16 + networkId.length);
        b.appendInt(1 + 1 + 4 + 1 + networkId.length).appendByte((byte) HELLO).appendByte((byte) lowestVersion)
                .appendInt(self).appendByte((byte) networkId.length).appendBytes(networkId);
        return b;
    }

    /** The listener's answer to a hello: the versions it speaks. */
    public static Buffer versions(int lowest, int highest) {
        return Buffer.buffer(7).appendInt(3).appendByte((byte) VERSIONS).appendByte((byte) lowest).appendByte((byte) highest);
    }

    /** The dialler's choice, before its first frame. */
    public static Buffer use(int version) {
        return Buffer.buffer(6).appendInt(2).appendByte((byte) USE).appendByte((byte) version);
    }

    public static Buffer data(byte[] channelName, byte[] frame) {
        Buffer b = Buffer.buffer(4 + 2 + channelName.length + frame.length);
        b.appendInt(2 + channelName.length + frame.length).appendByte((byte) DATA).appendByte((byte) channelName.length)
                .appendBytes(channelName).appendBytes(frame);
        return b;
    }

    public static Buffer ping() {
        return Buffer.buffer(5).appendInt(1).appendByte((byte) PING);
    }

    public static Buffer pong() {
        return Buffer.buffer(5).appendInt(1).appendByte((byte) PONG);
    }

    public static byte[] channelName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 255) {
            throw new IllegalArgumentException("channel name: 1..255 bytes of UTF-8, got " + b.length);
        }
        return b;
    }

    /**
     * A decoded record; {@code low}/{@code high}: the versions a HELLO (its lowest), VERSIONS or USE
     * (both the chosen one) names.
     */
    public record Record(int kind, int index, byte[] networkId, String channel, byte[] payload, int low, int high) {
        Record(int kind, int index, byte[] networkId, String channel, byte[] payload) {
            this(kind, index, networkId, channel, payload, 0, 0);
        }
    }

    /** Decodes one record (without its length prefix); throws {@link IllegalArgumentException} naming the fault. */
    public static Record decode(Buffer r) {
        if (r.length() < 1) {
            throw new IllegalArgumentException("empty record");
        }
        int kind = r.getByte(0);
        switch (kind) {
            case HELLO -> {
                if (r.length() < 7) {
                    throw new IllegalArgumentException("hello: truncated");
                }
                int lowest = r.getUnsignedByte(1);
                if (lowest < 1) {
                    throw new IllegalArgumentException("hello: protocol version 0");
                }
                int index = r.getInt(2);
                int len = r.getUnsignedByte(6);
                if (r.length() != 7 + len) {
                    throw new IllegalArgumentException("hello: length mismatch");
                }
                return new Record(HELLO, index, r.getBytes(7, 7 + len), null, null, lowest, 0);
            }
            case VERSIONS -> {
                if (r.length() != 3 || r.getUnsignedByte(1) < 1 || r.getUnsignedByte(2) < r.getUnsignedByte(1)) {
                    throw new IllegalArgumentException("versions: malformed");
                }
                return new Record(VERSIONS, -1, null, null, null, r.getUnsignedByte(1), r.getUnsignedByte(2));
            }
            case USE -> {
                if (r.length() != 2 || r.getUnsignedByte(1) < 1) {
                    throw new IllegalArgumentException("use: malformed");
                }
                return new Record(USE, -1, null, null, null, r.getUnsignedByte(1), r.getUnsignedByte(1));
            }
            case DATA -> {
                if (r.length() < 2) {
                    throw new IllegalArgumentException("data: truncated");
                }
                int len = r.getUnsignedByte(1);
                if (len == 0 || r.length() < 2 + len) {
                    throw new IllegalArgumentException("data: bad channel name length " + len);
                }
                if (r.length() - 2 - len > Transport.MAX_FRAME_BYTES) {
                    throw new IllegalArgumentException("data: a frame of " + (r.length() - 2 - len) + " bytes, at most "
                            + Transport.MAX_FRAME_BYTES);
                }
                String name = new String(r.getBytes(2, 2 + len), StandardCharsets.UTF_8);
                return new Record(DATA, -1, null, name, r.getBytes(2 + len, r.length()));
            }
            case PING, PONG -> {
                if (r.length() != 1) {
                    throw new IllegalArgumentException("ping/pong: trailing bytes");
                }
                return new Record(kind, -1, null, null, null);
            }
            default -> throw new IllegalArgumentException("unknown record kind " + kind);
        }
    }
}
