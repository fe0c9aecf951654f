package org.outcalls.replica.internal.multihost;

import java.util.Optional;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.cup.CupContent;
import org.outcalls.replica.internal.statesync.CupCollector;
import org.outcalls.replica.internal.statesync.StateManifest;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a checkpoint of the state every {@code checkpoint_interval} heights and has the {@link
 * CupCollector} sign its catch-up package content: the finalized block's hash at that height (from
 * the store, which archives a height before it is executed), the state hash, the manifest hash of
 * the checkpoint's bytes, the registry version and the members that ran consensus there. Protocol
 * thread.
 */
final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private final int self;
    private final ReplicaStore store;
    private final CupCollector cups;
    private final Hash subnetId;

    Checkpoints(int self, ReplicaStore store, CupCollector cups, Hash subnetId) {
        this.self = self;
        this.store = store;
        this.cups = cups;
        this.subnetId = subnetId;
    }

    /** After each executed height (re-executed ones after a restart included). */
    void maybeCheckpoint(Replica r) {
        long h = r.height();
        if (!store.checkpointDue(h)) {
            return;
        }
        long t0 = System.nanoTime();
        byte[] bytes = r.checkpoint();
        byte[] stateHash = r.stateHash();
        store.checkpoint(h, stateHash, bytes);
        LOG.info("replica {}: checkpoint at height {} ({} bytes, {} ms; store file {} bytes)", self, h, bytes.length,
                (System.nanoTime() - t0) / 1_000_000, store.fileBytes());
        content(h, stateHash, bytes, r.registry()).ifPresent(cups::checkpointed);
    }

    /**
     * The node resumed from its newest checkpoint ({@code r} is still at that height): sign its
     * content again, so a package forms even if the shares sent before a restart were lost.
     */
    void resumed(Replica r) {
        store.checkpointAt(r.height()).ifPresent(cp -> content(cp.height(), cp.stateHash(), cp.bytes(), r.registry())
                .ifPresent(cups::checkpointed));
    }

    private Optional<CupContent> content(long h, byte[] stateHash, byte[] bytes, SubnetRegistry registry) {
        ArchivedHeight a = store.archived(h);
        if (a == null) {
            LOG.warn("replica {}: the finalized block at checkpoint height {} is not in the store: no catch-up package",
                    self, h);
            return Optional.empty();
        }
        return Optional.of(new CupContent(subnetId, h, a.hash(), Hash.wrap(stateHash),
                StateManifest.of(h, bytes).hash(), registry.version(), registry.memberKeys()));
    }
}
