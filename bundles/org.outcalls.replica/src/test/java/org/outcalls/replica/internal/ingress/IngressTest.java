package org.outcalls.replica.internal.ingress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.CanonicalWriter;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.ExecutableBlock;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.Fixture;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.IngressStatus;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Replica;
import org.outcalls.transport.Channel;
import org.outcalls.transport.FrameReceiver;

/** Signed ingress messages, the pool, gossip, and the ingress payload section. */
class IngressTest {
    private static final long NANOS = 1_000_000L;
    private final Fixture f = new Fixture();
    private final Replica replica = f.replica();
    private final FakeChannel channel = new FakeChannel();
    private long now = Fixture.T0;
    private final Ingress ingress = new Ingress(replica, channel, () -> now * NANOS, Ingress.PoolLimits.DEFAULT);
    private final PayloadSection section = ingress.section();

    record Context(long height, long blockTime, int maker, long maxBytes, List<byte[]> ancestorPayloads)
            implements PayloadContext {
    }

    private static Context at(long millis, byte[]... ancestors) {
        return new Context(1, millis * NANOS + 123, 0, Block.MAX_PAYLOAD_BYTES, List.of(ancestors));
    }

    static final class FakeChannel implements Channel {
        final List<byte[]> broadcasts = new ArrayList<>();
        FrameReceiver receiver;

        @Override
        public void send(int peer, byte[] frame) {
        }

        @Override
        public void broadcast(byte[] frame) {
            broadcasts.add(frame);
        }

        @Override
        public void receiver(FrameReceiver r) {
            this.receiver = r;
        }
    }

    private IngressMessage message(String arg, long expiry) {
        return f.call(f.user, Fixture.CANISTER, "put", arg, expiry);
    }

    private IngressMessage forged(IngressMessage m) {
        byte[] sig = m.signature();
        sig[5] ^= 0x40;
        return IngressMessage.of(m.subnetId(), m.canisterId(), m.method(), m.argument(), m.sender(), m.nonce(), m.expiryMillis(), sig);
    }

    private static String invalid(PayloadSection s, PayloadContext c, byte[] payload) {
        return assertThrows(InvalidPayloadException.class, () -> s.validate(c, payload)).getMessage();
    }

    @Test
    void aMessageRoundTripsAndItsIdIsTheHashOfTheSignedBytes() throws Exception {
        IngressMessage m = message("a=1", Fixture.T0 + 1000);
        IngressMessage back = IngressMessage.decode(m.encode());
        assertEquals(m, back);
        assertTrue(back.verifySignature());
        assertEquals(Hash.sha256(IngressMessage.DOMAIN.message(m.content())), m.id());
        assertEquals(m.id(), forged(m).id(), "the id does not depend on the signature");
        assertFalse(forged(m).verifySignature());
        IngressMessage other = f.call(Fixture.key(7), Fixture.CANISTER, "put", "a=1", Fixture.T0 + 1000);
        assertFalse(IngressMessage.of(m.subnetId(), m.canisterId(), m.method(), m.argument(), other.sender(), m.nonce(),
                m.expiryMillis(), m.signature()).verifySignature(), "another sender's key");
    }

    @Test
    void aMessageSignedForAnotherSubnetIsRefusedAtTheDoorInABlockAndInExecution() throws Exception {
        Hash elsewhere = Hash.sha256("another subnet with the same admin key".getBytes(StandardCharsets.UTF_8));
        IngressMessage replayed = IngressMessage.sign(elsewhere, ManagementCanister.ID, ManagementCanister.ENABLE_PLUGIN,
                "median@1.0.0".getBytes(StandardCharsets.UTF_8), 1, Fixture.T0 + 60_000, f.admin);
        assertTrue(replayed.verifySignature(), "a genuine signature, for another subnet");
        String why = "subnet: the message is signed for subnet " + elsewhere.hex() + ", not this subnet " + replica.subnetId();
        IngressAdmission a = ingress.submit(replayed);
        assertEquals(IngressAdmission.State.REJECTED, a.state());
        assertEquals(why, a.message());
        assertEquals("ingress message 0 (" + replayed.idHex() + "): " + why,
                invalid(section, at(Fixture.T0), IngressPayload.encode(List.of(replayed))));
        ExecutionResult r = Fixture.run(replica, Fixture.T0 + 1, replayed);
        assertEquals(IngressStatus.State.INVALID, r.ingress().get(0).state());
        assertEquals(why, r.ingress().get(0).message());
        assertEquals(f.genesis.registry().version(), replica.registry().version(), "nothing changed in the registry");
    }

    @Test
    void sizesAreBoundedAndNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IngressMessage.sign(
                f.subnet(), Fixture.CANISTER, "put", new byte[IngressMessage.MAX_ARGUMENT_BYTES + 1], 1, Fixture.T0, f.user));
        assertEquals("argument: 2065537 bytes; at most 2065536 are allowed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IngressMessage.sign(f.subnet(), Fixture.CANISTER,
                "m".repeat(IngressMessage.MAX_METHOD_BYTES + 1), new byte[0], 1, Fixture.T0, f.user));
        assertEquals("method: 257 bytes; at most 256 are allowed", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IngressMessage.sign(f.subnet(), "c".repeat(65), "put", new byte[0],
                1, Fixture.T0, f.user));
        assertEquals("canister_id: 65 characters; at most 64 are allowed", e.getMessage());
        IngressMessage big = IngressMessage.sign(f.subnet(), Fixture.CANISTER, "put", new byte[IngressMessage.MAX_ARGUMENT_BYTES], 1,
                Fixture.T0, f.user);
        assertTrue(IngressPayload.encode(List.of(big)).length <= Block.MAX_PAYLOAD_BYTES,
                "the largest message fits in a block");
        byte[] tooLong = Arrays.copyOf(big.encode(), IngressMessage.MAX_ENCODED_BYTES + 1);
        DecodeException d = assertThrows(DecodeException.class, () -> IngressMessage.decode(tooLong));
        assertTrue(d.getMessage().contains("at most " + IngressMessage.MAX_ENCODED_BYTES), d.getMessage());
    }

    @Test
    void aBuiltPayloadValidatesAndExecutes() throws Exception {
        IngressMessage a = message("a=1", Fixture.T0 + 60_000);
        IngressMessage b = message("b=2", Fixture.T0 + 60_000);
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(a).state());
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(b.encode()).state());
        assertTrue(section.hasWork());
        Context ctx = at(Fixture.T0 + 10);
        byte[] payload = section.build(ctx);
        section.validate(ctx, payload);
        assertEquals(List.of(a, b), IngressPayload.decode(payload), "oldest first");
        assertFalse(section.hasWork(), "both are in a proposal");
        now += 5_001;
        assertTrue(section.hasWork(), "a proposal that was not finalized in time: work again");
        now -= 5_001;

        Block block = new Block(1, Hash.ZERO, 0, 0, ctx.blockTime(), new java.util.TreeMap<>(
                java.util.Map.of(IngressPayload.SECTION, payload)));
        ExecutableBlock eb = IngressPayload.executableBlock(block, List.of());
        assertEquals(Fixture.T0 + 10, eb.blockTime());
        assertArrayEquals(block.hash().bytes(), eb.blockHash());
        ExecutionResult res = replica.execute(eb);
        assertEquals(2, res.ingress().size());
        ingress.executed(res);
        assertEquals(0, ingress.pooled());
        assertFalse(section.hasWork());
        assertEquals(IngressAdmission.State.DUPLICATE, ingress.submit(a).state(), "already executed");
    }

    @Test
    void validationRefusesBadSignaturesExpiredMessagesAndDuplicates() {
        IngressMessage good = message("a=1", Fixture.T0 + 60_000);
        Context ctx = at(Fixture.T0);

        assertTrue(invalid(section, ctx, IngressPayload.encode(List.of(good, forged(message("b=1", Fixture.T0 + 1000)))))
                .contains("ingress message 1 (" ), "bad signature");
        assertTrue(invalid(section, ctx, IngressPayload.encode(List.of(forged(good))))
                .contains("the signature does not verify"));

        String expired = invalid(section, ctx, IngressPayload.encode(List.of(message("c=1", Fixture.T0 - 1))));
        assertTrue(expired.contains("expired: expiry " + (Fixture.T0 - 1) + " is before block time " + Fixture.T0),
                expired);
        assertTrue(invalid(section, ctx, IngressPayload.encode(List.of(message("d=1",
                Fixture.T0 + IngressMessage.MAX_EXPIRY_AHEAD_MILLIS + 1)))).contains("at most 300000 ms are allowed"));

        assertTrue(invalid(section, ctx, IngressPayload.encode(List.of(good, good))).contains("appears twice"));

        byte[] ancestor = IngressPayload.encode(List.of(message("x=1", Fixture.T0 + 1000), good));
        assertTrue(invalid(section, at(Fixture.T0, new byte[0], ancestor), IngressPayload.encode(List.of(good)))
                .contains("is already in an ancestor block"));

        assertTrue(invalid(section, ctx, new byte[] {0, 0, 0, 0}).contains("must be left out"));
        byte[] trailing = Arrays.copyOf(IngressPayload.encode(List.of(good)), IngressPayload.encode(List.of(good)).length + 1);
        assertTrue(invalid(section, ctx, trailing).contains("trailing"));
        byte[] payload = IngressPayload.encode(List.of(good));
        assertTrue(invalid(section, new Context(1, ctx.blockTime(), 0, payload.length - 1, List.of()), payload)
                .contains("at most " + (payload.length - 1)));
        byte[] tooMany = new CanonicalWriter().u32(IngressPayload.MAX_MESSAGES + 1).toByteArray();
        assertTrue(invalid(section, ctx, tooMany).contains("ingress message count"));
    }

    @Test
    void validationAcceptsTheBoundariesAndNoIngressAtAll() throws Exception {
        Context ctx = at(Fixture.T0);
        section.validate(ctx, new byte[0]);
        section.validate(ctx, IngressPayload.encode(List.of(message("a=1", Fixture.T0),
                message("b=1", Fixture.T0 + IngressMessage.MAX_EXPIRY_AHEAD_MILLIS))));
    }

    @Test
    void buildLeavesOutWhatAnAncestorCarriesWhatWasExecutedAndWhatExpired() throws Exception {
        IngressMessage inAncestor = message("a=1", Fixture.T0 + 60_000);
        IngressMessage executed = message("b=1", Fixture.T0 + 60_000);
        IngressMessage expiresSoon = message("c=1", Fixture.T0 + 5);
        IngressMessage fresh = message("d=1", Fixture.T0 + 60_000);
        for (IngressMessage m : List.of(inAncestor, executed, expiresSoon, fresh)) {
            assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(m).state());
        }
        Fixture.run(replica, Fixture.T0 + 1, executed);
        Context ctx = at(Fixture.T0 + 10, IngressPayload.encode(List.of(inAncestor)));
        assertEquals(List.of(fresh), IngressPayload.decode(section.build(ctx)));
        assertEquals(0, section.build(at(Fixture.T0 + 10, IngressPayload.encode(List.of(inAncestor, fresh)))).length,
                "nothing left: the section is left out");
        Context small = new Context(1, ctx.blockTime(), 0, 10, List.of());
        assertEquals(0, section.build(small).length, "nothing fits in 10 bytes");
    }

    @Test
    void thePoolAdmitsOnlyValidNewMessagesAndGossipsLocalOnes() {
        IngressMessage m = message("a=1", Fixture.T0 + 60_000);
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(m).state());
        assertEquals(1, channel.broadcasts.size());
        assertArrayEquals(m.encode(), channel.broadcasts.get(0));
        assertEquals(IngressAdmission.State.DUPLICATE, ingress.submit(m).state());
        IngressAdmission bad = ingress.submit(forged(message("b=1", Fixture.T0 + 60_000)));
        assertEquals(IngressAdmission.State.REJECTED, bad.state());
        assertTrue(bad.message().startsWith("signature"));
        IngressAdmission old = ingress.submit(message("c=1", Fixture.T0 - 1));
        assertEquals(IngressAdmission.State.REJECTED, old.state());
        assertTrue(old.message().startsWith("expiry: expired"));
        IngressAdmission garbage = ingress.submit("not a message".getBytes(StandardCharsets.UTF_8));
        assertEquals(IngressAdmission.State.REJECTED, garbage.state());
        assertTrue(garbage.message().startsWith("malformed ingress message"));
        assertEquals(1, channel.broadcasts.size(), "only accepted messages are gossiped");

        IngressMessage fromPeer = message("p=1", Fixture.T0 + 60_000);
        channel.receiver.onFrame(2, fromPeer.encode());
        channel.receiver.onFrame(2, new byte[] {1, 2, 3});
        assertTrue(ingress.isPooled(fromPeer.idHex()));
        assertEquals(2, ingress.pooled());
        assertEquals(1, channel.broadcasts.size(), "gossip is not re-broadcast");

        now = Fixture.T0 + 70_000;
        ingress.executed(new ExecutionResult(1, now, new byte[32], 1, List.of(), List.of(), List.of(), List.of()));
        assertEquals(0, ingress.pooled(), "expired messages are purged");
    }

    @Test
    void thePoolIsBoundedPerPeerAndInTotal() {
        Ingress small = new Ingress(replica, null, () -> now * NANOS,
                new Ingress.PoolLimits(3, 64L << 20, 2, 32L << 20));
        FakeChannel ch = new FakeChannel();
        Ingress gossiped = new Ingress(replica, ch, () -> now * NANOS, new Ingress.PoolLimits(3, 64L << 20, 2, 32L << 20));
        ch.receiver.onFrame(1, message("a=1", Fixture.T0 + 1000).encode());
        ch.receiver.onFrame(1, message("a=2", Fixture.T0 + 1000).encode());
        ch.receiver.onFrame(1, message("a=3", Fixture.T0 + 1000).encode());
        assertEquals(2, gossiped.pooled(), "peer 1 may have 2 waiting");
        ch.receiver.onFrame(2, message("a=4", Fixture.T0 + 1000).encode());
        ch.receiver.onFrame(3, message("a=5", Fixture.T0 + 1000).encode());
        assertEquals(3, gossiped.pooled(), "3 in total");

        for (int i = 0; i < 3; i++) {
            assertEquals(IngressAdmission.State.ACCEPTED, small.submit(message("l=" + i, Fixture.T0 + 1000)).state());
        }
        IngressAdmission full = small.submit(message("l=9", Fixture.T0 + 1000));
        assertEquals(IngressAdmission.State.REJECTED, full.state());
        assertTrue(full.message().startsWith("the ingress pool is full (3 messages"), full.message());
    }
}
