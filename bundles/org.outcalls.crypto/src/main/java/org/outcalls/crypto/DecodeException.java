package org.outcalls.crypto;

/**
 * Malformed canonical bytes (from a peer, a file, a client). Carries the offset of the first byte
 * that could not be decoded, so a log line points at the problem.
 */
public final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public DecodeException(int offset, String message) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Offset into the decoded bytes at which decoding failed. */
    public int offset() {
        return offset;
    }
}
