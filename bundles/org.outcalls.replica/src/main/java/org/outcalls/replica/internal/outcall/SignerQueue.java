package org.outcalls.replica.internal.outcall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.outcalls.consensus.outcall.OutcallDomains;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.NodeKey;
import org.outcalls.transport.Scheduler;

/**
 * Signs this replica's shares in batches, off the protocol thread, and hands each signed batch on
 * at once (one gossip frame for the batch). A share whose fetch was the last one in flight is
 * signed at once, with whatever waits beside it; while other fetches are still running, a share
 * waits for them up to {@link #LINGER}, so the contexts one block opened are signed together: an
 * idle replica adds no delay, a busy one pays one signature (and its peers one check) for many
 * shares.
 */
final class SignerQueue {
    /** Longest a share waits for the fetches still in flight beside it. */
    static final Duration LINGER = Duration.ofMillis(10);
    /** Most shares in one batch. */
    static final int MAX_BATCH = 1024;

    /** One share to sign. */
    record Pending(ShareMetadata metadata, byte[] content) {
    }

    record Signed(SignedShare share, byte[] content) {
    }

    private final NodeKey key;
    private final int self;
    private final Executor executor;
    private final Scheduler timer;
    private final Consumer<List<Signed>> then;
    private final List<Pending> queue = new ArrayList<>();
    private boolean flushQueued;
    private boolean lingering;

    /**
     * @param timer runs the linger timeout (a short task)
     * @param then  receives each signed batch, in submission order, on a signing thread
     */
    SignerQueue(NodeKey key, int self, Executor executor, Scheduler timer, Consumer<List<Signed>> then) {
        this.key = key;
        this.self = self;
        this.executor = executor;
        this.timer = timer;
        this.then = then;
    }

    /** @param moreComing whether other fetches of this replica are still in flight (their shares will follow) */
    void submit(Pending p, boolean moreComing) {
        synchronized (queue) {
            queue.add(p);
            if (flushQueued) {
                return;
            }
            if (moreComing && queue.size() < MAX_BATCH) {
                if (!lingering) {
                    lingering = true;
                    timer.schedule(LINGER, this::lingerOver);
                }
                return;
            }
            flushQueued = true;
        }
        executor.execute(this::flush);
    }

    private void lingerOver() {
        synchronized (queue) {
            lingering = false;
            if (flushQueued || queue.isEmpty()) {
                return;
            }
            flushQueued = true;
        }
        executor.execute(this::flush);
    }

    private void flush() {
        List<Pending> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue.subList(0, Math.min(queue.size(), MAX_BATCH)));
            queue.subList(0, batch.size()).clear();
            flushQueued = !queue.isEmpty();
        }
        if (flushQueued) {
            executor.execute(this::flush);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.metadata().encode()));
        List<BatchSignature> signatures = BatchSigner.sign(key, OutcallDomains.SHARE, items);
        List<Signed> signed = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            signed.add(new Signed(new SignedShare(p.metadata(), self, signatures.get(i)), p.content()));
        }
        then.accept(signed);
    }
}
