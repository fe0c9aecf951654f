package org.outcalls.transport.internal.tcp;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.outcalls.transport.Transport;

/**
 * What travels on a replica-to-replica TCP connection: {@code u32 length || u8 kind || body}.
 * HELLO (the dialling replica's index and the network id), DATA (channel name and one channel
 * frame), PING and PONG (liveness of an otherwise one-way connection).
 */
public final class Frames {
    public static final int HELLO = 1;
    public static final int DATA = 2;
    public static final int PING = 3;
    public static final int PONG = 4;
    public static final int PROTOCOL_VERSION = 1;
    /** Largest record after the length prefix: a full channel frame plus kind and channel name. */
    public static final int MAX_RECORD_BYTES = Transport.MAX_FRAME_BYTES + 2 + 255;
    /** Largest hello record after the length prefix: kind, version, index, and a network id of 255 bytes. */
    public static final int MAX_HELLO_RECORD_BYTES = 1 + 1 + 4 + 1 + 255;

    private Frames() {
    }

    public static Buffer hello(int self, byte[] networkId) {
        Buffer b = Buffer.buffer(16 + networkId.length);
        b.appendInt(1 + 1 + 4 + 1 + networkId.length).appendByte((byte) HELLO).appendByte((byte) PROTOCOL_VERSION)
                .appendInt(self).appendByte((byte) networkId.length).appendBytes(networkId);
        return b;
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

    /** A decoded record. */
    public record Record(int kind, int index, byte[] networkId, String channel, byte[] payload) {
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
                int version = r.getUnsignedByte(1);
                if (version != PROTOCOL_VERSION) {
                    throw new IllegalArgumentException("hello: protocol version " + version + ", this replica speaks "
                            + PROTOCOL_VERSION);
                }
                int index = r.getInt(2);
                int len = r.getUnsignedByte(6);
                if (r.length() != 7 + len) {
                    throw new IllegalArgumentException("hello: length mismatch");
                }
                return new Record(HELLO, index, r.getBytes(7, 7 + len), null, null);
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
