package org.outcalls.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.transport.internal.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class ServingBudget {
    private static final Logger LOG = LoggerFactory.getLogger(ServingBudget.class);
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(30));

    /**
     * @param burstBytes         bytes a peer may be sent at once (at least one largest reply)
     * @param bytesPerSecond     refill of that allowance
     * @param burstReplies       replies a peer may be sent at once
     * @param repliesPerSecond   refill of that allowance
     * @param replayWindow       an identical request within this time after it was answered is not answered again
     * @param rememberedRequests requests remembered per peer for the replay check (the oldest are forgotten)
     */
    public record Limits(long burstBytes, long bytesPerSecond, int burstReplies, int repliesPerSecond, Duration replayWindow,
                         int rememberedRequests) {
        public Limits {
            if (burstBytes < 1 || bytesPerSecond < 1 || burstReplies < 1 || repliesPerSecond < 1 || rememberedRequests < 1) {
                throw new IllegalArgumentException("serving limits: bursts, rates and remembered requests must be positive");
            }
            Objects.requireNonNull(replayWindow, "replayWindow");
        }
    }

    /** One peer's account: what it was sent and what it was refused. */
    public record Stats(long replies, long bytes, long overBudget, long replays) {
    }

    private final String what;
    private final int self;
    private final Limits limits;
    private final Peer[] peers;
    private final AtomicLong refused = new AtomicLong();

    private final class Peer {
        double byteTokens = limits.burstBytes();
        double replyTokens = limits.burstReplies();
        long refilledAt = Long.MIN_VALUE;
        long replies;
        long bytes;
        long overBudget;
        long replays;
        /** A frame of the current reply was refused: the rest of that reply is too. */
        boolean cutOff;
        final Map<Object, Long> answered = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Long> eldest) {
                return size() > limits.rememberedRequests();
            }
        };

        void refill(long now) {
            if (refilledAt != Long.MIN_VALUE && now > refilledAt) {
                double seconds = (now - refilledAt) / 1e9;
                byteTokens = Math.min(limits.burstBytes(), byteTokens + seconds * limits.bytesPerSecond());
                replyTokens = Math.min(limits.burstReplies(), replyTokens + seconds * limits.repliesPerSecond());
            }
            refilledAt = refilledAt == Long.MIN_VALUE ? now : Math.max(refilledAt, now);
        }
    }

    /**
     * @param what  what is served, for log lines ("content", "catch-up")
     * @param self  this replica's index, for log lines
     * @param peers number of peers (indices {@code 0..peers-1})
     */
    public ServingBudget(String what, int self, int peers, Limits limits) {
        this.what = Objects.requireNonNull(what, "what");
        this.self = self;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.peers = new Peer[peers];
        for (int i = 0; i < peers; i++) {
            this.peers[i] = new Peer();
        }
    }

    /**
     * Whether to answer {@code peer}'s request now with a reply of {@code bytes} bytes (0 if the
     * reply is charged frame by frame with {@link #spend}). If so, one reply and the bytes are
     * charged and the request is remembered: the same {@code request} (by {@code equals}; null
     * never counts as a replay) is then not answered again within the replay window.
     */
    public boolean admit(int peer, Object request, long bytes, long nowNanos) {
        Peer p = peers[peer];
        p.refill(nowNanos);
        if (request != null) {
            Long at = p.answered.get(request);
            if (at != null && nowNanos - at < limits.replayWindow().toNanos()) {
                p.replays++;
                refuse(peer, p);
                return false;
            }
        }
        if (p.replyTokens < 1 || p.byteTokens < bytes) {
            p.overBudget++;
            refuse(peer, p);
            return false;
        }
        p.replyTokens -= 1;
        p.byteTokens -= bytes;
        p.cutOff = false;
        p.replies++;
        p.bytes += bytes;
        if (request != null) {
            p.answered.remove(request); // re-inserted as the newest
            p.answered.put(request, nowNanos);
        }
        return true;
    }

    /**
     * Charges one more frame of an admitted reply; false if it would exceed the byte budget (counted
     * once per reply), and then for the rest of that reply too, so a reply is never sent with holes.
     */
    public boolean spend(int peer, long bytes, long nowNanos) {
        Peer p = peers[peer];
        if (p.cutOff) {
            return false;
        }
        p.refill(nowNanos);
        if (p.byteTokens < bytes) {
            p.cutOff = true;
            p.overBudget++;
            refuse(peer, p);
            return false;
        }
        p.byteTokens -= bytes;
        p.bytes += bytes;
        return true;
    }

    public Stats stats(int peer) {
        Peer p = peers[peer];
        return new Stats(p.replies, p.bytes, p.overBudget, p.replays);
    }

    /** Requests and frames refused, all peers together. Any thread. */
    public long refused() {
        return refused.get();
    }

    private void refuse(int peer, Peer p) {
        refused.incrementAndGet();
        RATE_LIMITED.warn(what + ":" + self + ":" + peer, "replica {}: peer {} is over its {} serving budget: {} requests "
                + "or frames dropped, {} replays ignored so far ({} replies, {} bytes served)", self, peer, what,
                p.overBudget, p.replays, p.replies, p.bytes);
    }
}
