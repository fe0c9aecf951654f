package org.outcalls.transport;

import java.time.Duration;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How much a replica answers one peer's requests for data it holds (contents, blocks, catch-up):
 * per peer, replies and bytes come from token buckets (a burst, refilled at a steady rate), and
 * the same request is not answered twice within a replay window. A request over budget is
 * dropped, counted and logged (rate-limited); an honest requester asks again later, while a
 * flooding one cannot make this replica send more than its budget. Time is the caller's
 * ({@link Clock#nanos()}), so the same budget works in virtual time.
 *
 * <p>Not thread-safe: one instance per protocol, used on the replica's protocol thread.
 */
@ProviderType
public interface ServingBudget {
    /**
     * @param burstBytes         bytes a peer may be sent at once (at least one largest reply)
     * @param bytesPerSecond     refill of that allowance
     * @param burstReplies       replies a peer may be sent at once
     * @param repliesPerSecond   refill of that allowance
     * @param replayWindow       an identical request within this time after it was answered is not answered again
     * @param rememberedRequests requests remembered per peer for the replay check (the oldest are forgotten)
     */
    record Limits(long burstBytes, long bytesPerSecond, int burstReplies, int repliesPerSecond, Duration replayWindow,
                  int rememberedRequests) {
        public Limits {
            if (burstBytes < 1 || bytesPerSecond < 1 || burstReplies < 1 || repliesPerSecond < 1 || rememberedRequests < 1) {
                throw new IllegalArgumentException("serving limits: bursts, rates and remembered requests must be positive");
            }
            Objects.requireNonNull(replayWindow, "replayWindow");
        }
    }

    /** One peer's account: what it was sent and what it was refused. */
    record Stats(long replies, long bytes, long overBudget, long replays) {
    }

    /**
     * Whether to answer {@code peer}'s request now with a reply of {@code bytes} bytes (0 if the
     * reply is charged frame by frame with {@link #spend}). If so, one reply and the bytes are
     * charged and the request is remembered: the same {@code request} (by {@code equals}; null
     * never counts as a replay) is then not answered again within the replay window.
     */
    boolean admit(int peer, Object request, long bytes, long nowNanos);

    /**
     * Charges one more frame of an admitted reply; false if it would exceed the byte budget (counted
     * once per reply), and then for the rest of that reply too, so a reply is never sent with holes.
     */
    boolean spend(int peer, long bytes, long nowNanos);

    Stats stats(int peer);

    /** Requests and frames refused, all peers together. Any thread. */
    long refused();
}
