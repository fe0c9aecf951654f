package org.outcalls.replica;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.outcalls.api.Policies;
import org.outcalls.api.canister.Canister;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.internal.exec.ReplicaStateMachine;

/** A 4-replica subnet's genesis, keys, canisters and blocks for tests. Deterministic: keys come from fixed seeds. */
public final class Fixture {
    public static final String CANISTER = "test";
    public static final long INITIAL_CYCLES = 1_000_000_000_000_000L;
    public static final long T0 = 1_700_000_000_000L;
    public static final long TIMEOUT = 60_000;

    public final List<NodeKey> nodes = new ArrayList<>();
    public final NodeKey admin = key(100);
    public final NodeKey user = key(200);
    public final Genesis genesis;
    public final Map<String, Canister> canisters = new TreeMap<>();
    public final TestCanister canister = new TestCanister(CANISTER);
    long nonce;

    public Fixture() {
        this(b -> {
        });
    }

    public Fixture(Consumer<Genesis.Builder> customize) {
        Genesis.Builder b = Genesis.builder().timeMillis(T0).admin(admin.publicKey())
                .plugin(Policies.TWO_THIRDS, "1.0.0").plugin(Policies.SINGLE_REPLICA, "1.0.0")
                .plugin(Policies.MEDIAN, "1.0.0").plugin(BundledPlugins.NUMBER, "1.0.0").plugin(BundledPlugins.JSON, "1.0.0")
                .canister(CANISTER, INITIAL_CYCLES).consensusTimeoutMillis(TIMEOUT);
        for (int i = 0; i < 4; i++) {
            nodes.add(key(i + 1));
            b.member(nodes.get(i).publicKey(), null);
        }
        customize.accept(b);
        genesis = b.build();
        canisters.put(CANISTER, canister);
    }

    public static NodeKey key(int seed) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) seed);
        return NodeKey.fromSeed(s);
    }

    public Replica replica() {
        return ReplicaStateMachine.fromGenesis(genesis, id -> Optional.ofNullable(canisters.get(id)));
    }

    public IngressMessage call(String method, String argument) {
        return call(user, CANISTER, method, argument, T0 + 60_000);
    }

    public IngressMessage call(NodeKey sender, String canisterId, String method, String argument, long expiry) {
        return IngressMessage.sign(subnet(), canisterId, method, argument.getBytes(StandardCharsets.UTF_8), nonce++, expiry,
                sender);
    }

    /** This fixture's subnet id: what its messages are signed for. */
    public org.outcalls.crypto.Hash subnet() {
        return org.outcalls.crypto.Hash.wrap(genesis.subnetIdBytes());
    }

    public IngressMessage signed(NodeKey sender, String method, byte[] argument) {
        return IngressMessage.sign(subnet(), ManagementCanister.ID, method, argument, nonce++, T0 + 60_000, sender);
    }

    public IngressMessage admin(String method, String argument) {
        return call(admin, ManagementCanister.ID, method, argument, T0 + 60_000);
    }

    public static ExecutableBlock block(long height, long time, List<IngressMessage> ingress,
                                 List<OutcallDelivery> deliveries) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) height);
        return new ExecutableBlock(height, time, hash, ingress, deliveries);
    }

    /** Executes the next block at {@code time} with these messages. */
    public static ExecutionResult run(Replica r, long time, IngressMessage... ingress) {
        return r.execute(block(r.height() + 1, time, List.of(ingress), List.of()));
    }

    public static ExecutionResult deliver(Replica r, long time, OutcallDelivery... deliveries) {
        return r.execute(block(r.height() + 1, time, List.of(), List.of(deliveries)));
    }

    public long balance(Replica r) {
        return r.cyclesBalance(CANISTER).orElseThrow();
    }
}
