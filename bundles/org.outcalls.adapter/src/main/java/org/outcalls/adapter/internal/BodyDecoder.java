package org.outcalls.adapter.internal;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns the body bytes as received into the body as delivered: as they are, or decompressed
 * ({@code Content-Encoding: gzip} or {@code deflate}) a few KiB at a time, so that a small
 * compressed body that inflates to gigabytes is cut as soon as its output passes the allowance.
 */
abstract class BodyDecoder {
    /** Output per inflate step: the most the adapter holds beyond the allowance while decoding. */
    static final int STEP = 8 * 1024;

    /** Thrown when the body is not what its encoding says. */
    static final class MalformedBody extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedBody(String message) {
            super(message);
        }
    }

    /** Feeds received bytes; returns false as soon as the decoded body exceeds its allowance. */
    abstract boolean write(byte[] chunk) throws MalformedBody;

    /** The body has ended: checks the encoding is complete. */
    abstract void finish() throws MalformedBody;

    /** Frees native resources; safe to call more than once. */
    void close() {
    }

    /** The decoder for a {@code Content-Encoding} header value (null: none). */
    static BodyDecoder forEncoding(String contentEncoding, BoundedBody sink) {
        String e = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (e) {
            case "gzip", "x-gzip" -> new Gzip(sink);
            case "deflate" -> new Deflate(sink);
            default -> new Identity(sink);
        };
    }

    /** Whether the adapter decodes this encoding (and so cannot trust Content-Length for size). */
    static boolean decodes(String contentEncoding) {
        String e = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(java.util.Locale.ROOT);
        return e.equals("gzip") || e.equals("x-gzip") || e.equals("deflate");
    }

    private static final class Identity extends BodyDecoder {
        private final BoundedBody sink;

        Identity(BoundedBody sink) {
            this.sink = sink;
        }

        @Override
        boolean write(byte[] chunk) {
            return sink.append(chunk, 0, chunk.length);
        }

        @Override
        void finish() {
        }
    }

    /** Inflates into the sink in {@link #STEP}-sized pieces; shared by deflate and gzip. */
    private abstract static class Inflating extends BodyDecoder {
        final BoundedBody sink;
        final byte[] out = new byte[STEP];
        Inflater inflater;

        Inflating(BoundedBody sink) {
            this.sink = sink;
        }

        /**
         * Inflates {@code in[off..off+len)}; returns the count of input bytes left after the
         * stream's end (0 if it has not ended), or -1 if the output passed the allowance.
         */
        int inflate(byte[] in, int off, int len, CRC32 crc) throws MalformedBody {
            inflater.setInput(in, off, len);
            try {
                while (true) {
                    int n = inflater.inflate(out);
                    if (n > 0) {
                        if (crc != null) {
                            crc.update(out, 0, n);
                        }
                        if (!sink.append(out, 0, n)) {
                            return -1;
                        }
                        continue;
                    }
                    if (inflater.finished()) {
                        return inflater.getRemaining();
                    }
                    if (inflater.needsDictionary()) {
                        throw new MalformedBody("the compressed body needs a preset dictionary, which HTTP does not provide");
                    }
                    if (inflater.needsInput()) {
                        return 0;
                    }
                }
            } catch (DataFormatException e) {
                throw new MalformedBody("the compressed body is corrupt: " + e.getMessage());
            }
        }

        @Override
        void close() {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /** {@code deflate}: a zlib stream (RFC 1950), or raw deflate as some servers send it. */
    private static final class Deflate extends Inflating {
        private boolean ended;

        Deflate(BoundedBody sink) {
            super(sink);
        }

        @Override
        boolean write(byte[] chunk) throws MalformedBody {
            if (chunk.length == 0 || ended) {
                return true;
            }
            if (inflater == null) {
                int cmf = chunk[0] & 0xff;
                boolean zlib = (cmf & 0x0f) == 8 && (chunk.length < 2 || (cmf * 256 + (chunk[1] & 0xff)) % 31 == 0);
                inflater = new Inflater(!zlib);
            }
            int left = inflate(chunk, 0, chunk.length, null);
            if (left < 0) {
                return false;
            }
            ended = inflater.finished();
            return true;
        }

        @Override
        void finish() throws MalformedBody {
            if (inflater != null && !inflater.finished()) {
                throw new MalformedBody("the deflate body ends before its compressed stream does (truncated)");
            }
        }
    }

    /** {@code gzip} (RFC 1952): header, raw deflate, CRC-32 and size trailer; members may repeat. */
    private static final class Gzip extends Inflating {
        private static final int MAX_HEADER = 64 * 1024 + 1024;
        private enum State { HEADER, BODY, TRAILER }

        private State state = State.HEADER;
        private byte[] pending = new byte[0];
        private final CRC32 crc = new CRC32();
        private long memberBytes;
        private boolean sawMember;

        Gzip(BoundedBody sink) {
            super(sink);
        }

        @Override
        boolean write(byte[] chunk) throws MalformedBody {
            byte[] data = chunk;
            int off = 0;
            while (off < data.length) {
                switch (state) {
                    case HEADER -> {
                        byte[] joined = concat(pending, data, off);
                        int headerLength = headerLength(joined);
                        if (headerLength < 0) {
                            if (joined.length > MAX_HEADER) {
                                throw new MalformedBody("the gzip header is longer than " + MAX_HEADER + " bytes");
                            }
                            pending = joined;
                            return true;
                        }
                        pending = new byte[0];
                        data = joined;
                        off = headerLength;
                        if (inflater == null) {
                            inflater = new Inflater(true);
                        } else {
                            inflater.reset();
                        }
                        crc.reset();
                        memberBytes = sink.size();
                        sawMember = true;
                        state = State.BODY;
                    }
                    case BODY -> {
                        int left = inflate(data, off, data.length - off, crc);
                        if (left < 0) {
                            return false;
                        }
                        if (!inflater.finished()) {
                            return true;
                        }
                        off = data.length - left;
                        state = State.TRAILER;
                    }
                    case TRAILER -> {
                        byte[] joined = concat(pending, data, off);
                        if (joined.length < 8) {
                            pending = joined;
                            return true;
                        }
                        long expectedCrc = le32(joined, 0);
                        long expectedSize = le32(joined, 4);
                        if (expectedCrc != crc.getValue()) {
                            throw new MalformedBody("the gzip body fails its CRC-32 check");
                        }
                        if (expectedSize != ((sink.size() - memberBytes) & 0xffffffffL)) {
                            throw new MalformedBody("the gzip body's size trailer does not match its content");
                        }
                        pending = new byte[0];
                        data = joined;
                        off = 8;
                        state = State.HEADER;
                    }
                    default -> throw new IllegalStateException();
                }
            }
            return true;
        }

        @Override
        void finish() throws MalformedBody {
            if (state == State.HEADER && pending.length == 0) {
                return;
            }
            if (!sawMember && state == State.HEADER) {
                throw new MalformedBody("the body says Content-Encoding gzip but is not gzip data");
            }
            throw new MalformedBody("the gzip body is truncated");
        }

        /** Length of a complete gzip member header at the start of b, or -1 if more bytes are needed. */
        private static int headerLength(byte[] b) throws MalformedBody {
            if (b.length >= 1 && (b[0] & 0xff) != 0x1f || b.length >= 2 && (b[1] & 0xff) != 0x8b) {
                throw new MalformedBody("the body says Content-Encoding gzip but does not start with the gzip magic bytes");
            }
            if (b.length >= 3 && b[2] != 8) {
                throw new MalformedBody("the gzip body uses compression method " + (b[2] & 0xff) + "; only deflate (8) exists");
            }
            if (b.length < 10) {
                return -1;
            }
            int flags = b[3] & 0xff;
            int pos = 10;
            if ((flags & 4) != 0) {
                if (b.length < pos + 2) {
                    return -1;
                }
                pos += 2 + ((b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8);
            }
            for (int flag : new int[] {8, 16}) {
                if ((flags & flag) != 0) {
                    while (pos < b.length && b[pos] != 0) {
                        pos++;
                    }
                    if (pos >= b.length) {
                        return -1;
                    }
                    pos++;
                }
            }
            if ((flags & 2) != 0) {
                pos += 2;
            }
            return pos <= b.length ? pos : -1;
        }

        private static long le32(byte[] b, int at) {
            return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
        }

        private static byte[] concat(byte[] a, byte[] b, int off) {
            byte[] out = new byte[a.length + b.length - off];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, off, out, a.length, b.length - off);
            return out;
        }
    }
}
