package org.outcalls.transport.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.transport.ServingBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ServingBudget} as token buckets per peer and a replay window. */
public final class TokenBucketBudget implements ServingBudget {
    private static final Logger LOG = LoggerFactory.getLogger(ServingBudget.class);
    private static final RateLimitedLog RATE_LIMITED = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(30));

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
    public TokenBucketBudget(String what, int self, int peers, Limits limits) {
        this.what = Objects.requireNonNull(what, "what");
        this.self = self;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.peers = new Peer[peers];
        for (int i = 0; i < peers; i++) {
            this.peers[i] = new Peer();
        }
    }

    @Override
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

    @Override
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

    @Override
    public Stats stats(int peer) {
        Peer p = peers[peer];
        return new Stats(p.replies, p.bytes, p.overBudget, p.replays);
    }

    @Override
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
