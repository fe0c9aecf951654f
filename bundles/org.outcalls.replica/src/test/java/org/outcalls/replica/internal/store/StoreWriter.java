package org.outcalls.replica.internal.store;

import java.nio.file.Path;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;

/**
 * A child process for crash tests: appends finalized heights, own artifacts and (every 10
 * heights) a 3 MiB checkpoint to a store, forever or until a crash point halts it. Heights
 * continue from what the store has, so a killed writer can be started again on the same store.
 */
public final class StoreWriter {
    static final byte[] SUBNET = "crash-subnet".getBytes();
    static final NodeKey KEY = NodeKey.fromSeed(new byte[32]);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long stopAt = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        try (ReplicaStore s = ReplicaStore.open(dir, SUBNET, KEY.publicKey(), new StoreSettings(10, 25, 2, false))) {
            long h = s.chainRange().map(r -> r[1]).orElse(0L) + 1;
            System.out.println("writer starts at " + h);
            for (; h <= stopAt; h++) {
                s.signed(h, frame(h, 1));
                s.signed(h, frame(h, 2));
                s.finalized(height(h));
                if (s.checkpointDue(h)) {
                    byte[] state = state(h);
                    s.checkpoint(h, Hash.sha256(state).bytes(), state);
                }
            }
        }
    }

    static byte[] frame(long h, int k) {
        return ("own artifact " + k + " at " + h).getBytes();
    }

    static ArchivedHeight height(long h) {
        byte[] proposal = ("proposal " + h + " ".repeat((int) (h % 700))).getBytes();
        return new ArchivedHeight(h, Hash.sha256(proposal), proposal, ("notarization " + h).getBytes(),
                h % 3 == 0 ? null : ("finalization " + h).getBytes());
    }

    /** A deterministic 3 MiB state per height: several chunks, so a checkpoint takes several commits. */
    static byte[] state(long h) {
        byte[] b = new byte[3 * 1024 * 1024 + 17];
        java.util.Random r = new java.util.Random(h);
        r.nextBytes(b);
        return b;
    }
}
