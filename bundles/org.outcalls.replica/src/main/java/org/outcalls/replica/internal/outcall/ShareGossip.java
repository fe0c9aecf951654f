package org.outcalls.replica.internal.outcall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step "gossip" of the way of a share, on the {@code outcalls} channel: this replica's signed
 * shares go to every peer (again every {@link #RESEND_AFTER} while their request is open: a frame
 * may be lost), peers' frames come in (shares to admission, content requests answered within the
 * asker's serving budget, contents attached to the shares that signed them), and a block maker
 * that lacks an agreed content asks one of its holders. Protocol thread only.
 */
final class ShareGossip {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGossip.class);
    /** Own shares of requests older than this are sent again. */
    static final Duration RESEND_AFTER = Duration.ofSeconds(2);
    /** A content is asked for again (possibly of another holder) after this. */
    static final Duration ASK_AGAIN_AFTER = Duration.ofMillis(500);

    private final int self;
    private final Channel channel;
    private final SharePool pool;
    private final ShareAdmission admission;
    private final ContentServing serving;
    /** A content arrived for a request: whether it is decidable now is asked next. */
    private final java.util.function.LongConsumer contentArrived;
    private final Map<Long, Long> contentRequested = new HashMap<>();

    ShareGossip(int self, int members, Channel channel, SharePool pool, ShareAdmission admission,
                java.util.function.LongConsumer contentArrived) {
        this.self = self;
        this.channel = channel;
        this.pool = pool;
        this.admission = admission;
        this.serving = new ContentServing(self, members, channel);
        this.contentArrived = contentArrived;
        channel.receiver(this::onFrame);
    }

    /** Sends own shares (a signed batch) to every peer, as one frame or a few. */
    void broadcast(List<OutcallFrames.Carried> shares) {
        if (!shares.isEmpty()) {
            OutcallFrames.shares(shares).forEach(channel::broadcast);
        }
    }

    /** Sends again the own shares of the requests open longer than {@link #RESEND_AFTER}. */
    void resend(List<Long> openLongEnough) {
        List<OutcallFrames.Carried> again = new ArrayList<>();
        for (Long cb : openLongEnough) {
            OutcallShare own = pool.of(cb, self);
            if (own != null) {
                again.add(OutcallFrames.Carried.of(own.share(), own.content()));
            }
        }
        broadcast(again);
    }

    /** A decision needs content this replica lacks: asks one of the holders, at most every {@link #ASK_AGAIN_AFTER}. */
    void needContent(long callbackId, Hash contentHash, int[] holders, long nowNanos) {
        Long last = contentRequested.get(callbackId);
        if (last != null && nowNanos - last < ASK_AGAIN_AFTER.toNanos()) {
            return;
        }
        contentRequested.put(callbackId, nowNanos);
        int holder = holders[(int) ((nowNanos / 1_000_000) % holders.length)];
        if (holder != self) {
            channel.send(holder, OutcallFrames.contentRequest(callbackId, contentHash));
        }
    }

    /** A request closed. */
    void close(long callbackId) {
        contentRequested.remove(callbackId);
    }

    /** Peers' content requests not answered (over their serving budget, or replayed). Any thread. */
    long contentRequestsRefused() {
        return serving.refused();
    }

    private void onFrame(int from, byte[] bytes) {
        OutcallFrames.Frame f;
        try {
            f = OutcallFrames.decode(bytes);
        } catch (DecodeException e) {
            LOG.debug("replica {} sent a malformed outcalls frame: {}", from, e.getMessage());
            return;
        }
        switch (f.type()) {
            case OutcallFrames.SHARE, OutcallFrames.SHARES -> {
                for (OutcallFrames.Carried c : f.shares()) {
                    admission.onShare(from, c.share(), c.content());
                }
            }
            case OutcallFrames.CONTENT_REQUEST -> serving.answer(from, f.callbackId(), f.contentHash(),
                    pool.content(f.callbackId(), f.contentHash()), System.nanoTime());
            case OutcallFrames.CONTENT -> {
                if (pool.attachContent(f.callbackId(), f.contentHash(), f.content())) {
                    contentArrived.accept(f.callbackId());
                }
            }
            default -> LOG.debug("replica {} sent an outcalls frame of unknown type {}", from, f.type());
        }
    }
}
