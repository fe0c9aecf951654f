package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Policies;
import org.outcalls.api.RejectKind;
import org.outcalls.api.canister.CanisterException;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.internal.exec.ReplicaStateMachine;

/** Block execution: determinism, transactions, ingress deduplication and expiry, admin messages, queries, checkpoints. */
class ExecutionTest {
    private final Fixture f = new Fixture();

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A few blocks touching every part of the state: kv, cycles, contexts, deliveries, registry, ingress ids. */
    private List<ExecutableBlock> scenario(Fixture fx) {
        OutcallRequest r = OutcallRequest.builder("https://example.com/x").build();
        long fee = Fees.httpRequestFee(4, r);
        fx.canister.onUpdate = (c, m, a) -> c.httpRequest(r, fee + Long.parseLong(text(a)));
        List<ExecutableBlock> blocks = new ArrayList<>();
        blocks.add(Fixture.block(1, Fixture.T0 + 100, List.of(fx.call("put", "a=1"), fx.call("put", "b=2"),
                fx.call("outcall", "10"), fx.call("outcall", "20")), List.of()));
        blocks.add(Fixture.block(2, Fixture.T0 + 200, List.of(fx.call("put-then-fail", "c=3"),
                fx.admin(ManagementCanister.ENABLE_PLUGIN, "methods@2.1.0"), fx.call("put", "a=changed")),
                List.of(OutcallDelivery.response(0, HttpResponse.of(200, List.of(), new byte[] {7}), new byte[] {1}))));
        blocks.add(Fixture.block(3, Fixture.T0 + 300, List.of(), List.of()));
        blocks.add(Fixture.block(4, Fixture.T0 + 300 + Fixture.TIMEOUT + 1, List.of(fx.call("put", "d=4")),
                List.of()));
        return blocks;
    }

    @Test
    void theSameBlocksGiveTheSameHashAtEveryHeightOnTwoFreshReplicas() {
        Fixture other = new Fixture();
        Replica a = f.replica();
        Replica b = other.replica();
        assertArrayEquals(a.stateHash(), b.stateHash(), "genesis");
        List<ExecutableBlock> blocks = scenario(f);
        scenario(other);
        List<String> seen = new ArrayList<>();
        for (ExecutableBlock block : blocks) {
            ExecutionResult ra = a.execute(block);
            ExecutionResult rb = b.execute(block);
            assertArrayEquals(ra.stateHash(), rb.stateHash(), "height " + block.height());
            assertFalse(seen.contains(ra.stateHashHex()), "every height changes the hash");
            seen.add(ra.stateHashHex());
        }
        assertEquals(4, a.height());
        assertArrayEquals(a.stateHash(4).orElseThrow(), b.stateHash(4).orElseThrow());
        assertEquals(2, a.registry().version());
        assertTrue(a.openContexts().isEmpty(), "one delivered, one timed out");
    }

    @Test
    void theHashDoesNotDependOnTheDefaultLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-SA-u-nu-arab"));
            Fixture other = new Fixture();
            Replica a = other.replica();
            List<String> hashes = new ArrayList<>();
            for (ExecutableBlock block : scenario(other)) {
                hashes.add(a.execute(block).stateHashHex());
            }
            java.util.Locale.setDefault(java.util.Locale.ROOT);
            Replica b = f.replica();
            List<String> rootHashes = new ArrayList<>();
            for (ExecutableBlock block : scenario(f)) {
                rootHashes.add(b.execute(block).stateHashHex());
            }
            assertEquals(rootHashes, hashes);
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void ingressInAnotherOrderGivesAnotherHash() {
        IngressMessage x = f.call("put", "k=first");
        IngressMessage y = f.call("put", "k=second");
        Replica a = f.replica();
        Replica b = f.replica();
        a.execute(Fixture.block(1, Fixture.T0 + 1, List.of(x, y), List.of()));
        b.execute(Fixture.block(1, Fixture.T0 + 1, List.of(y, x), List.of()));
        assertFalse(Arrays.equals(a.stateHash(), b.stateHash()));
    }

    @Test
    void aStateHashDependsOnlyOnTheStateNotOnHowItWasReached() {
        Replica a = f.replica();
        Replica b = f.replica();
        a.execute(Fixture.block(1, Fixture.T0 + 1, List.of(f.call("put", "x=1"), f.call("put", "y=2")), List.of()));
        b.execute(Fixture.block(1, Fixture.T0 + 1, List.of(f.call("put", "y=2"), f.call("put", "x=0"),
                f.call("put", "x=1")), List.of()));
        // the ingress ids differ, so compare after they expire and are forgotten
        long late = Fixture.T0 + 120_000;
        Fixture.run(a, late);
        Fixture.run(b, late);
        assertArrayEquals(a.stateHash(), b.stateHash());
    }

    @Test
    void aCanisterExceptionDiscardsTheCallsStateChangesCyclesAndOutcalls() throws Exception {
        Replica replica = f.replica();
        OutcallRequest r = OutcallRequest.builder("https://example.com/x").build();
        long fee = Fees.httpRequestFee(4, r);
        f.canister.onUpdate = (c, m, a) -> {
            c.state().put("partial", new byte[] {1});
            c.state().delete("kept");
            c.httpRequest(r, fee);
            c.httpRequest(OutcallRequest.builder("https://example.com/x").policy("nope").build(), 5);
            if (m.equals("outcall-then-crash")) {
                throw new IllegalArgumentException("bad input");
            }
            throw new CanisterException("no thanks");
        };
        Fixture.run(replica, Fixture.T0 + 1, f.call("put", "kept=yes"));
        byte[] before = replica.checkpoint();
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 2, f.call("outcall-then-refuse", ""),
                f.call("outcall-then-crash", ""), f.call("put-then-fail", "x=1"), f.call("put-then-crash", "y=1"));

        assertEquals(List.of("canister test refused: no thanks", "canister test trapped: IllegalArgumentException: bad input",
                "canister test refused: refused on purpose", "canister test trapped: IllegalStateException: crashed on purpose"),
                res.ingress().stream().map(IngressStatus::message).toList());
        assertTrue(res.ingress().stream().allMatch(s -> s.state() == IngressStatus.State.FAILED));
        assertTrue(res.createdContexts().isEmpty());
        assertTrue(res.outcomes().isEmpty(), "the immediate reject of a discarded call is discarded too");
        assertTrue(f.canister.results.isEmpty());
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica));
        assertEquals("yes", text(query(replica, "kept")));
        assertThrows(CanisterException.class, () -> query(replica, "partial"));
        assertThrows(CanisterException.class, () -> query(replica, "x"));

        // only the executed-ingress ids, height and time differ from before: the canister part is untouched
        Replica restored = restore(before);
        assertEquals(f.balance(replica), restored.cyclesBalance(Fixture.CANISTER).orElseThrow());

        // the discarded call used no callback id
        f.canister.onUpdate = (c, m, a) -> c.httpRequest(r, fee);
        assertEquals(0, Fixture.run(replica, Fixture.T0 + 3, f.call("outcall", "")).createdContexts().get(0).callbackId());
    }

    @Test
    void aDuplicateMessageIsExecutedOnceAndAnExpiredOneNot() throws Exception {
        Replica replica = f.replica();
        IngressMessage m = f.call("put", "n=1");
        ExecutionResult first = Fixture.run(replica, Fixture.T0 + 1, m, m);
        assertEquals(List.of(IngressStatus.State.COMPLETED, IngressStatus.State.DUPLICATE),
                first.ingress().stream().map(IngressStatus::state).toList());
        assertTrue(replica.isExecuted(m.idHex()));
        ExecutionResult again = Fixture.run(replica, Fixture.T0 + 2, m);
        assertEquals(IngressStatus.State.DUPLICATE, again.ingress().get(0).state());
        assertEquals(IngressStatus.State.COMPLETED, replica.ingressStatus(m.idHex()).orElseThrow().state(),
                "the first outcome is kept");
        assertEquals(1, replica.ingressStatus(m.idHex()).orElseThrow().height());
        assertTrue(replica.ingressStatus("00").isEmpty());

        IngressMessage expired = f.call(f.user, Fixture.CANISTER, "put", "e=1", Fixture.T0 + 2);
        IngressMessage tooFar = f.call(f.user, Fixture.CANISTER, "put", "e=2",
                Fixture.T0 + 3 + IngressMessage.MAX_EXPIRY_AHEAD_MILLIS + 1);
        IngressMessage justInTime = f.call(f.user, Fixture.CANISTER, "put", "e=3", Fixture.T0 + 3);
        IngressMessage atTheEdge = f.call(f.user, Fixture.CANISTER, "put", "e=4",
                Fixture.T0 + 3 + IngressMessage.MAX_EXPIRY_AHEAD_MILLIS);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 3, expired, tooFar, justInTime, atTheEdge);
        assertEquals(List.of(IngressStatus.State.EXPIRED, IngressStatus.State.INVALID, IngressStatus.State.COMPLETED,
                IngressStatus.State.COMPLETED), res.ingress().stream().map(IngressStatus::state).toList());
        assertEquals("expired: expiry " + (Fixture.T0 + 2) + " is before block time " + (Fixture.T0 + 3),
                res.ingress().get(0).message());
        assertEquals("4", text(query(replica, "e")));

        // once expired, the id is forgotten: the message is refused as expired, never run twice
        ExecutionResult later = Fixture.run(replica, m.expiryMillis() + 1, m);
        assertEquals(IngressStatus.State.EXPIRED, later.ingress().get(0).state());
        assertFalse(replica.isExecuted(m.idHex()));
        assertEquals("1", text(query(replica, "n")));
    }

    @Test
    void aMessageWithABadSignatureIsNotExecuted() {
        Replica replica = f.replica();
        IngressMessage good = f.call("put", "s=1");
        byte[] sig = good.signature();
        sig[0] ^= 1;
        IngressMessage forged = IngressMessage.of(good.subnetId(), good.canisterId(), good.method(), good.argument(), good.sender(),
                good.nonce(), good.expiryMillis(), sig);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1, forged);
        assertEquals(IngressStatus.State.INVALID, res.ingress().get(0).state());
        assertFalse(replica.isExecuted(forged.idHex()));
        assertEquals(IngressStatus.State.COMPLETED, Fixture.run(replica, Fixture.T0 + 2, good).ingress().get(0).state());
    }

    @Test
    void adminMessagesChangeTheRegistryFromTheirBlockOnAndOnlyFromAnAdmin() {
        Replica replica = f.replica();
        OutcallRequest post = OutcallRequest.builder("https://example.com/x").method(HttpMethod.POST).build();
        f.canister.onUpdate = (c, m, a) -> c.httpRequest(post, Fees.httpRequestFee(4, post));
        IngressMessage byUser = f.call(f.user, ManagementCanister.ID, ManagementCanister.ENABLE_PLUGIN,
                "methods@1.0.0", Fixture.T0 + 60_000);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1, f.call("outcall", ""), byUser,
                f.call("outcall", ""), f.admin(ManagementCanister.ENABLE_PLUGIN, "methods@1.0.0"),
                f.call("outcall", ""));

        assertEquals(IngressStatus.State.FAILED, res.ingress().get(1).state());
        assertTrue(res.ingress().get(1).message().contains("is not an admin"), res.ingress().get(1).message());
        assertEquals(IngressStatus.State.COMPLETED, res.ingress().get(3).state());
        assertEquals(2, f.canister.results.size(), "the two POSTs before the admin message were refused");
        f.canister.results.forEach(r -> assertEquals(RejectKind.METHOD_NOT_ALLOWED, r.reject().orElseThrow().kind()));
        assertEquals(1, res.createdContexts().size(), "the POST after it in the same block went through");
        assertEquals(2, res.createdContexts().get(0).registryVersion());
        assertEquals(Optional.of("1.0.0"), replica.registry().pluginVersion(Policies.METHODS));
        assertEquals(2, replica.registry().version());
        assertEquals(2, res.registryVersion());

        ExecutionResult off = Fixture.run(replica, Fixture.T0 + 2,
                f.admin(ManagementCanister.DISABLE_PLUGIN, "methods@9.9.9"),
                f.admin(ManagementCanister.DISABLE_PLUGIN, "methods"), f.call("outcall", ""));
        assertEquals(IngressStatus.State.FAILED, off.ingress().get(0).state());
        assertEquals("disable_plugin: 'methods' is enabled at version 1.0.0, not 9.9.9", off.ingress().get(0).message());
        assertEquals(IngressStatus.State.COMPLETED, off.ingress().get(1).state());
        assertEquals(3, replica.registry().version());
        assertFalse(replica.registry().isEnabled(Policies.METHODS));
        assertEquals(RejectKind.METHOD_NOT_ALLOWED, f.canister.results.get(2).reject().orElseThrow().kind());
    }

    /** A canister learns from the registry at that height whether its caller is an admin (what the proxy's top_up needs). */
    @Test
    void aCanisterIsToldWhetherItsCallerIsAnAdminOfTheSubnet() {
        Replica replica = f.replica();
        List<String> seen = new ArrayList<>();
        f.canister.onUpdate = (c, m, a) -> seen.add(m + ":" + c.callerIsAdmin());
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1, f.call("by-user", ""),
                f.call(f.admin, Fixture.CANISTER, "by-admin", "", Fixture.T0 + 60_000));
        assertEquals(IngressStatus.State.COMPLETED, res.ingress().get(1).state());
        assertEquals(List.of("by-user:false", "by-admin:true"), seen);
    }

    @Test
    void adminArgumentsAreChecked() {
        Replica replica = f.replica();
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1,
                f.admin(ManagementCanister.ENABLE_PLUGIN, "methods"),
                f.admin(ManagementCanister.ENABLE_PLUGIN, "me thods@1"),
                f.admin(ManagementCanister.DISABLE_PLUGIN, "unknown"),
                f.admin("install_code", "x"),
                f.admin(ManagementCanister.ENABLE_PLUGIN, "two-thirds@1.0.0"));
        assertEquals(List.of(IngressStatus.State.FAILED, IngressStatus.State.FAILED, IngressStatus.State.FAILED,
                IngressStatus.State.FAILED, IngressStatus.State.COMPLETED),
                res.ingress().stream().map(IngressStatus::state).toList());
        assertTrue(res.ingress().get(0).message().contains("names no version"), res.ingress().get(0).message());
        assertTrue(res.ingress().get(2).message().contains("'unknown' is not enabled"));
        assertEquals(SubnetRegistry.INITIAL_VERSION, replica.registry().version(), "re-enabling the same version changes nothing");
    }

    @Test
    void aMissingInstalledCanisterStopsExecutionBeforeAnyChange() {
        Fixture two = new Fixture(b -> b.canister("other", 5));
        Replica replica = two.replica();
        byte[] genesisHash = replica.stateHash();
        ExecutableBlock block = Fixture.block(1, Fixture.T0 + 1, List.of(two.call("put", "a=1")), List.of());
        MissingCanisterException e = assertThrows(MissingCanisterException.class, () -> replica.execute(block));
        assertEquals("other", e.canisterId());
        assertTrue(e.getMessage().contains("canister 'other' is installed in the subnet registry but not available"));
        assertEquals(0, replica.height());
        assertArrayEquals(genesisHash, replica.stateHash());
        assertTrue(replica.halted().isEmpty());

        two.canisters.put("other", new TestCanister("other"));
        assertEquals(IngressStatus.State.COMPLETED, replica.execute(block).ingress().get(0).state());
    }

    @Test
    void anUninstalledCanisterIdFailsTheMessage() {
        Replica replica = f.replica();
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1,
                f.call(f.user, "ghost", "put", "a=1", Fixture.T0 + 1000));
        assertEquals(IngressStatus.State.FAILED, res.ingress().get(0).state());
        assertEquals("canister 'ghost' is not installed on this subnet; installed: test", res.ingress().get(0).message());
    }

    @Test
    void blocksMustComeInHeightOrder() {
        Replica replica = f.replica();
        assertThrows(IllegalArgumentException.class,
                () -> replica.execute(Fixture.block(2, Fixture.T0, List.of(), List.of())));
        Fixture.run(replica, Fixture.T0 + 1);
        assertThrows(IllegalArgumentException.class,
                () -> replica.execute(Fixture.block(1, Fixture.T0 + 2, List.of(), List.of())));
        assertEquals(1, replica.height());
    }

    @Test
    void queriesReadTheLatestStateAndCannotWrite() throws Exception {
        Replica replica = f.replica();
        Fixture.run(replica, Fixture.T0 + 1, f.call("put", "q=1"));
        assertEquals("1", text(query(replica, "q")));
        List<Object> seen = new ArrayList<>();
        TestCanister probe = new TestCanister(Fixture.CANISTER) {
            @Override
            public byte[] query(org.outcalls.api.canister.QueryContext c, String method, byte[] argument) {
                seen.add(c.state() instanceof MutableKeyValueState);
                seen.add(c.height());
                seen.add(c.blockTime());
                seen.add(c.cyclesBalance());
                seen.add(c.subnetSize());
                return new byte[0];
            }
        };
        f.canisters.put(Fixture.CANISTER, probe);
        replica.query(Fixture.CANISTER, "x", new byte[0]);
        assertEquals(List.of(false, 1L, Fixture.T0 + 1, Fixture.INITIAL_CYCLES, 4), seen);
        CanisterException e = assertThrows(CanisterException.class, () -> replica.query("ghost", "get", new byte[0]));
        assertTrue(e.getMessage().contains("not installed"));
    }

    @Test
    void aCheckpointRestoresAStateWithTheSameHashThatExecutesOnIdentically() throws Exception {
        Replica replica = f.replica();
        List<ExecutableBlock> blocks = scenario(f);
        replica.execute(blocks.get(0));
        replica.execute(blocks.get(1));
        OutcallRequest open = OutcallRequest.builder("https://example.com/open").policy(Policies.MEDIAN)
                .header("accept", "application/json").maxResponseBytes(1000).build();
        f.canister.onUpdate = (c, m, a) -> c.httpRequest(open, Fees.httpRequestFee(4, open) + 3);
        Fixture.run(replica, Fixture.T0 + 250, f.call("outcall", ""));
        assertEquals(2, replica.openContexts().size());

        byte[] checkpoint = replica.checkpoint();
        Replica restored = restore(checkpoint);
        assertArrayEquals(replica.stateHash(), restored.stateHash());
        assertEquals(replica.height(), restored.height());
        assertEquals(replica.registry(), restored.registry());
        assertEquals(replica.openContexts(), restored.openContexts());
        assertArrayEquals(checkpoint, restored.checkpoint());

        ExecutableBlock next = Fixture.block(replica.height() + 1, Fixture.T0 + 400,
                List.of(f.call("put", "after=1")), List.of(OutcallDelivery.reject(1,
                        org.outcalls.api.Reject.of(org.outcalls.api.RejectCode.SYS_TRANSIENT, RejectKind.NO_CONSENSUS,
                                "split"), null)));
        assertArrayEquals(replica.execute(next).stateHash(), restored.execute(next).stateHash());
    }

    @Test
    void aCheckpointThatIsNotCanonicalIsRefused() {
        byte[] checkpoint = f.replica().checkpoint();
        byte[] longer = Arrays.copyOf(checkpoint, checkpoint.length + 1);
        assertThrows(DecodeException.class, () -> restore(longer));
        assertThrows(DecodeException.class, () -> restore(Arrays.copyOf(checkpoint, checkpoint.length - 1)));
        assertThrows(DecodeException.class, () -> restore(new byte[] {1, 2, 3}));
    }

    @Test
    void genesisRoundTripsAndItsHashIsTheSubnetId() throws Exception {
        Genesis g = f.genesis;
        assertEquals(g, Genesis.decode(g.encode()));
        assertEquals(g.subnetId(), f.replica().subnetId());
        Genesis other = new Fixture(b -> b.consensusTimeoutMillis(1)).genesis;
        assertFalse(g.subnetId().equals(other.subnetId()));
        assertEquals(4, g.registry().subnetSize());
        assertEquals(1, g.registry().faultTolerance());
        List<PublicKey> keys = g.registry().memberKeys();
        assertEquals(f.nodes.get(2).publicKey(), keys.get(2));
        assertEquals(f.nodes.get(2).publicKey().nodeId(), g.registry().members().get(2).nodeId());
        assertTrue(g.registry().isAdmin(f.admin.publicKey()));
        assertFalse(g.registry().isAdmin(f.user.publicKey()));
        assertThrows(IllegalArgumentException.class, () -> Genesis.builder().build(), "no members");
        assertThrows(IllegalArgumentException.class, () -> Genesis.builder().member(f.admin.publicKey(), null)
                .member(f.admin.publicKey(), null).build(), "a key twice");
        assertThrows(IllegalArgumentException.class, () -> Genesis.builder().member(f.admin.publicKey(), "nohost")
                .build(), "bad host:port");
        assertThrows(IllegalArgumentException.class, () -> Genesis.builder().member(f.admin.publicKey(), null)
                .canister(ManagementCanister.ID, 1).build(), "the management canister's id");
    }

    @Test
    void aReplicaHaltsWhenExecutionFailsPartWay() {
        Replica replica = ReplicaStateMachine.fromGenesis(f.genesis, id -> {
            throw new IllegalStateException("resolver broke");
        });
        assertThrows(IllegalStateException.class, () -> Fixture.run(replica, Fixture.T0 + 1));
        assertTrue(replica.halted().isPresent());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Fixture.run(replica, Fixture.T0 + 1));
        assertTrue(e.getMessage().startsWith("replica halted"));
    }

    private byte[] query(Replica replica, String key) throws CanisterException {
        return replica.query(Fixture.CANISTER, "get", key.getBytes(StandardCharsets.UTF_8));
    }

    private Replica restore(byte[] checkpoint) throws DecodeException {
        return ReplicaStateMachine.fromCheckpoint(checkpoint, id -> Optional.ofNullable(f.canisters.get(id)));
    }
}
