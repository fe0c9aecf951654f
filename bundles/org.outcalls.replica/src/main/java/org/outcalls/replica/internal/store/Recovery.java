package org.outcalls.replica.internal.store;

import java.util.Arrays;
import java.util.Optional;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.Replica;
import org.outcalls.replica.internal.exec.ReplicaStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a restarted replica's state comes from: its newest sound checkpoint, else genesis. */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    public static Replica initialReplica(Genesis genesis, CanisterResolver canisters, ReplicaStore store) {
        Optional<ReplicaStore.Checkpoint> cp = store.latestCheckpoint();
        if (cp.isPresent()) {
            try {
                Replica r = ReplicaStateMachine.fromCheckpoint(cp.get().bytes(), canisters);
                if (!r.subnetId().equals(genesis.subnetId())) {
                    LOG.error("checkpoint at height {} belongs to subnet {}: starting from genesis", cp.get().height(),
                            r.subnetId());
                } else if (r.height() != cp.get().height() || !Arrays.equals(r.stateHash(), cp.get().stateHash())) {
                    LOG.error("checkpoint at height {} restores height {} with state hash {}, not the recorded {}: "
                            + "starting from genesis", cp.get().height(), r.height(), Hash.wrap(r.stateHash()),
                            Hash.wrap(cp.get().stateHash()));
                } else {
                    LOG.info("state restored from the checkpoint at height {} (state hash {})", r.height(),
                            Hash.wrap(r.stateHash()));
                    return r;
                }
            } catch (DecodeException e) {
                LOG.error("checkpoint at height {} does not decode ({}): starting from genesis", cp.get().height(),
                        e.getMessage());
            }
        }
        return ReplicaStateMachine.fromGenesis(genesis, canisters);
    }
}
