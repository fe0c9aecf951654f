package org.outcalls.replica;

import java.util.Objects;

/**
 * Why a replica stopped executing, and where: a local fault (it ran out of memory, a finalized block
 * it holds does not decode, a stored height is missing) after which its state can no longer be
 * trusted to match the others'. Shown per replica as {@code halted} in {@code GET /api/v1/subnet}
 * and on the dashboard (Jackson writes it as {@code {height, reason}}); the replica executes nothing
 * more until it is restarted.
 *
 * @param height the height whose execution failed
 * @param reason what failed, for a person
 */
public record Halt(long height, String reason) {
    /** Longest reason kept. */
    public static final int MAX_REASON_CHARS = 2048;

    public Halt {
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS - 3) + "...";
        }
    }
}
