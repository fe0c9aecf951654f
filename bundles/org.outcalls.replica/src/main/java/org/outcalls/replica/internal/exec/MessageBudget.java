package org.outcalls.replica.internal.exec;

import java.util.Optional;
import org.outcalls.api.canister.MessageLimits;

/**
 * What one canister call has used of {@link MessageLimits}: bytes written to state, key writes and
 * outcalls, counted from the call's own requests only, so every replica counts the same. The first
 * request past a bound is refused with an exception and remembered: the call then traps even if
 * the canister catches the exception, so a limit can never be worked around.
 */
final class MessageBudget {
    private final long maxWrittenBytes;
    private final int maxKeyWrites;
    private final int maxOutcalls;
    private long writtenBytes;
    private int keyWrites;
    private int outcalls;
    private String trap;

    MessageBudget() {
        this(MessageLimits.MAX_WRITTEN_BYTES, MessageLimits.MAX_KEY_WRITES, MessageLimits.MAX_OUTCALLS);
    }

    MessageBudget(long maxWrittenBytes, int maxKeyWrites, int maxOutcalls) {
        this.maxWrittenBytes = maxWrittenBytes;
        this.maxKeyWrites = maxKeyWrites;
        this.maxOutcalls = maxOutcalls;
    }

    /** A put or a delete of {@code bytes} (key plus value). */
    void write(long bytes) {
        if (keyWrites + 1 > maxKeyWrites) {
            throw exceeded("made more than " + maxKeyWrites + " puts and deletes in one call");
        }
        if (writtenBytes + bytes > maxWrittenBytes) {
            throw exceeded("wrote " + (writtenBytes + bytes) + " bytes to state in one call; at most " + maxWrittenBytes
                    + " are allowed");
        }
        keyWrites++;
        writtenBytes += bytes;
    }

    void outcall() {
        if (outcalls + 1 > maxOutcalls) {
            throw exceeded("made more than " + maxOutcalls + " outcalls in one call");
        }
        outcalls++;
    }

    /** Why the call traps, if it went past a bound. */
    Optional<String> trap() {
        return Optional.ofNullable(trap);
    }

    private LimitExceeded exceeded(String why) {
        if (trap == null) {
            trap = why;
        }
        return new LimitExceeded(trap);
    }

    /** Thrown into the canister; the call traps whatever the canister does with it. */
    static final class LimitExceeded extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(String message) {
            super(message);
        }
    }
}
