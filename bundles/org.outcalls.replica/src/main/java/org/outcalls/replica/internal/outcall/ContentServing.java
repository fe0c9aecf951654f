package org.outcalls.replica.internal.outcall;

import java.time.Duration;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.outcalls.transport.ServingBudget;
import org.outcalls.transport.Transports;

/**
 * Answers peers' content requests (up to 2 MB each) within each peer's serving budget: a burst of
 * 16 MiB and 64 replies, refilled at 8 MiB and 32 replies a second, and the same request answered
 * once per 400 ms. Only a block maker asks honestly, again for the same content after 500 ms and
 * possibly of another holder, so a dropped request only delays it; a flooding peer cannot make
 * this replica send more than its budget. Confined to the replica's protocol thread.
 */
final class ContentServing {
    static final ServingBudget.Limits LIMITS = new ServingBudget.Limits(16L << 20, 8L << 20, 64, 32,
            Duration.ofMillis(400), 256);

    private record Request(long callbackId, Hash contentHash) {
    }

    private final ServingBudget budget;
    private final Channel channel;

    ContentServing(int self, int members, Channel channel) {
        this.budget = Transports.servingBudget("content", self, members, LIMITS);
        this.channel = channel;
    }

    /** Sends {@code content} (null: this replica does not hold it) to the peer that asked, if its budget allows. */
    void answer(int peer, long callbackId, Hash contentHash, byte[] content, long nowNanos) {
        if (content != null && budget.admit(peer, new Request(callbackId, contentHash), content.length, nowNanos)) {
            channel.send(peer, OutcallFrames.content(callbackId, contentHash, content));
        }
    }

    /** Content requests not answered: over a peer's budget, or the same request again too soon. Any thread. */
    long refused() {
        return budget.refused();
    }
}
