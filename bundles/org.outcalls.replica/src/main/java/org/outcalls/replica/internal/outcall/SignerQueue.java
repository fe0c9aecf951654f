package org.outcalls.replica.internal.outcall;

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

/**
 * Signs this replica's shares in batches, off the protocol thread: whatever accumulates while a
 * batch is being signed is signed together next, so an idle replica signs at once and a busy one
 * pays one signature for many shares.
 */
final class SignerQueue {
    /** One share to sign and what to do with it once signed. */
    record Pending(ShareMetadata metadata, byte[] content, Consumer<Signed> then) {
    }

    record Signed(SignedShare share, byte[] content) {
    }

    private final NodeKey key;
    private final int self;
    private final Executor executor;
    private final List<Pending> queue = new ArrayList<>();
    private boolean flushScheduled;

    SignerQueue(NodeKey key, int self, Executor executor) {
        this.key = key;
        this.self = self;
        this.executor = executor;
    }

    void submit(Pending p) {
        synchronized (queue) {
            queue.add(p);
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
        }
        executor.execute(this::flush);
    }

    private void flush() {
        List<Pending> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue);
            queue.clear();
            flushScheduled = false;
        }
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.metadata().encode()));
        List<BatchSignature> signatures = BatchSigner.sign(key, OutcallDomains.SHARE, items);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            p.then().accept(new Signed(new SignedShare(p.metadata(), self, signatures.get(i)), p.content()));
        }
    }
}
