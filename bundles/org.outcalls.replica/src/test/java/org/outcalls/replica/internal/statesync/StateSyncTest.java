package org.outcalls.replica.internal.statesync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.consensus.ArchivedHeight;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.internal.Wire;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.cup.CatchUpPackage;
import org.outcalls.replica.cup.CupContent;
import org.outcalls.replica.cup.CupShare;
import org.outcalls.replica.internal.state.ReplicatedState;
import org.outcalls.replica.internal.state.StateCodec;
import org.outcalls.replica.internal.statesync.SyncWire.CupReply;
import org.outcalls.replica.internal.store.ReplicaStore;
import org.outcalls.replica.internal.store.StoreSettings;
import org.outcalls.transport.LiveNetwork;
import org.outcalls.transport.Transports;

/**
 * State sync between real stores over the in-JVM network: three peers hold a checkpoint of several
 * chunks, its catch-up package and the chain below it; a fourth with an empty store syncs from them.
 * A peer that serves corrupted chunks is detected by the manifest, blamed, and the chunks come from
 * the others; the installed state is the signed one.
 */
class StateSyncTest {
    static final long HEIGHT = 80;
    @TempDir
    Path dir;
    final List<NodeKey> keys = new ArrayList<>();
    final List<ReplicaStore> stores = new ArrayList<>();
    LiveNetwork net;
    Genesis genesis;
    byte[] state;
    Hash stateHash;
    CatchUpPackage cup;
    final List<ArchivedHeight> chain = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(ReplicaStore::close);
        if (net != null) {
            net.close();
        }
    }

    void subnet() {
        Genesis.Builder g = Genesis.builder().canister("proxy", 1_000_000).timeMillis(1000);
        for (int i = 0; i < 4; i++) {
            NodeKey k = NodeKey.fromSeed(Hash.sha256(("sync member " + i).getBytes()).bytes());
            keys.add(k);
            g.member(k.publicKey(), "127.0.0.1:" + (7000 + i));
        }
        genesis = g.build();
        ReplicatedState s = ReplicatedState.genesis(genesis);
        for (int i = 0; i < 400; i++) { // about 400 KiB: several chunks
            byte[] v = new byte[1000];
            new java.util.Random(i).nextBytes(v);
            s.mutableCanister("proxy").kv().put("key " + i, v);
        }
        s.advance(HEIGHT, 5000);
        stateHash = Hash.wrap(s.hash());
        state = StateCodec.encode(s);
        Hash parent = Block.genesis(genesis.subnetIdBytes()).hash();
        for (long h = 1; h <= HEIGHT; h++) {
            TreeMap<String, byte[]> payload = new TreeMap<>(Map.of("ingress", ("payload " + h).getBytes()));
            Block b = new Block(h, parent, 0, (int) (h % 4), 1000 + h, payload);
            byte[] frame = Wire.proposal(b, b.hash(), new byte[64]).frame();
            chain.add(new ArchivedHeight(h, b.hash(), frame, null, null));
            parent = b.hash();
        }
        List<PublicKey> committee = genesis.registry().memberKeys();
        CupContent c = new CupContent(Hash.wrap(genesis.subnetIdBytes()), HEIGHT, parent, stateHash,
                StateManifest.of(HEIGHT, state).hash(), 1, committee);
        TreeMap<Integer, byte[]> sigs = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            sigs.put(i, CupShare.sign(c, i, keys.get(i)).signature());
        }
        cup = CatchUpPackage.of(c, sigs);
        net = Transports.live(4);
    }

    ReplicaStore store(int i, boolean holdsCheckpoint) throws Exception {
        ReplicaStore s = ReplicaStore.open(dir.resolve("r" + i), genesis.subnetIdBytes(), keys.get(i).publicKey(),
                StoreSettings.DEFAULT);
        stores.add(s);
        if (holdsCheckpoint) {
            chain.forEach(s::finalized);
            s.checkpoint(HEIGHT, stateHash.bytes(), state);
            s.putCup(HEIGHT, cup.encode());
        }
        return s;
    }

    void serve(int i, SyncFaults faults) throws Exception {
        ReplicaStore s = store(i, true);
        SyncServer server = new SyncServer(i, 4, s, net.transport(i).channel(SyncWire.CHANNEL), net.clock(i), () -> HEIGHT,
                faults);
        new SyncEndpoint(i, net.transport(i).channel(SyncWire.CHANNEL), server);
    }

    SyncProgress syncReplica3(ReplicaStore target) throws Exception {
        SyncProgress progress = new SyncProgress();
        SyncClient client = new SyncClient(3, Hash.wrap(genesis.subnetIdBytes()), genesis.registry().memberKeys(),
                ReplicaStore.SYNC_ANCESTRY, target, net.transport(3).channel(SyncWire.CHANNEL), net.scheduler(3),
                net.clock(3), progress);
        SyncEndpoint endpoint = new SyncEndpoint(3, net.transport(3).channel(SyncWire.CHANNEL), null);
        endpoint.client(client);
        CompletableFuture<SyncClient.Outcome> done = new CompletableFuture<>();
        net.scheduler(3).execute(() -> client.run(done::complete));
        SyncClient.Outcome outcome = done.get(60, TimeUnit.SECONDS);
        assertFalse(outcome.failed(), outcome.failure());
        return progress;
    }

    @Test
    void anEmptyReplicaSyncsTheSignedStateAndBlamesThePeerThatCorruptsChunks() throws Exception {
        subnet();
        serve(0, SyncFaults.NONE);
        serve(1, new SyncFaults(true));
        serve(2, SyncFaults.NONE);
        ReplicaStore target = store(3, false);
        SyncProgress progress = syncReplica3(target);

        ReplicaStore.Checkpoint cp = target.latestCheckpoint().orElseThrow();
        assertEquals(HEIGHT, cp.height());
        assertArrayEquals(state, cp.bytes());
        assertArrayEquals(stateHash.bytes(), StateCodec.decode(cp.bytes()).hash());
        assertArrayEquals(cup.encode(), target.newestCup().orElseThrow());
        long[] range = target.chainRange().orElseThrow();
        assertEquals(HEIGHT - ReplicaStore.SYNC_ANCESTRY + 1, range[0]);
        assertEquals(HEIGHT, range[1]);
        assertEquals(chain.get((int) HEIGHT - 1).hash(), target.archived(HEIGHT).hash());

        Map<String, Object> json = progress.toJson();
        assertEquals("done", json.get("phase"));
        assertEquals(StateManifest.of(HEIGHT, state).count(), json.get("chunks_verified"));
        assertTrue(((Map<?, ?>) json.get("blamed_peers")).containsKey("1"), json.toString());
        assertFalse(((Map<?, ?>) json.get("chunks_by_peer")).containsKey("1"), "no chunk of the liar counted: " + json);
        assertTrue(((Map<?, ?>) json.get("chunks_by_peer")).size() == 2, json.toString());
    }

    @Test
    void withOnlyOneHonestHolderTheSyncStillSucceeds() throws Exception {
        subnet();
        serve(0, new SyncFaults(true));
        serve(1, new SyncFaults(true));
        serve(2, SyncFaults.NONE);
        ReplicaStore target = store(3, false);
        SyncProgress progress = syncReplica3(target);
        assertEquals(HEIGHT, target.latestCheckpoint().orElseThrow().height());
        assertEquals(2, ((Map<?, ?>) progress.toJson().get("blamed_peers")).size());
    }

    @Test
    void whetherToSyncFollowsTheTrustedPackageAndWhatPeersStillKeep() {
        subnet();
        Hash subnet = Hash.wrap(genesis.subnetIdBytes());
        List<PublicKey> members = genesis.registry().memberKeys();
        byte[] good = cup.encode();
        Map<Integer, CupReply> replies = new TreeMap<>(Map.of(0, new CupReply(90, 10, good), 1, new CupReply(90, 10, good),
                2, new CupReply(90, 10, null)));
        assertTrue(CupChoice.choose(subnet, members, 0, true, replies, 1).isPresent(), "an empty store syncs");
        assertEquals(List.of(0, 1), CupChoice.choose(subnet, members, 0, true, replies, 1).get().holders());
        assertTrue(CupChoice.choose(subnet, members, 20, false, replies, 1).isEmpty(),
                "f + 1 peers still keep height 21: catch-up suffices");
        assertTrue(CupChoice.choose(subnet, members, 5, false, replies, 1).isPresent(), "nobody keeps height 6: sync");
        assertTrue(CupChoice.choose(subnet, members, HEIGHT, false, replies, 1).isEmpty(), "not above the own tip");
        // too few signers, or a committee this replica does not know, is not trusted
        CatchUpPackage weak = CatchUpPackage.of(cup.content(), Map.of(0, cup.signatures().get(0)));
        Map<Integer, CupReply> forged = Map.of(0, new CupReply(90, 10, weak.encode()));
        assertTrue(CupChoice.choose(subnet, members, 0, true, forged, 1).isEmpty());
        List<PublicKey> strangers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            strangers.add(NodeKey.fromSeed(Hash.sha256(("stranger " + i).getBytes()).bytes()).publicKey());
        }
        assertTrue(CupChoice.choose(subnet, strangers, 0, true, replies, 1).isEmpty());
    }
}
