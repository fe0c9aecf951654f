package org.outcalls.replica.internal.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.consensus.Block;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.Fixture;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.Replica;

/**
 * What the front replica lets in ({@code IngressGate}) and what a block maker takes
 * ({@code IngressSection.build}): the high-water mark of pooled messages plus open contexts, the
 * caller's share of it, and no more calls in a block than there is room for contexts. Limits are
 * checked exactly at and one over.
 */
class IngressAdmissionTest {
    private static final long NANOS = 1_000_000L;
    private final Fixture f = new Fixture();
    private final Replica replica = f.replica();
    private final IngressTest.FakeChannel channel = new IngressTest.FakeChannel();
    private final Ingress ingress = new Ingress(replica, channel, () -> Fixture.T0 * NANOS, Ingress.PoolLimits.DEFAULT);
    /** The window starts below the registry's bound (1,024 at n = 4): the mark until the window moves. */
    private final int highWater = AdmissionWindow.INITIAL_WINDOW;
    private final int share = highWater * IngressGate.CALLER_SHARE_PERCENT / 100;
    private final OutcallRequest request = OutcallRequest.builder("https://example.com/").build();
    private final List<Long> callbackIds = new ArrayList<>();
    private int nonce;

    IngressAdmissionTest() {
        f.canister.onUpdate = (c, m, a) -> {
            for (int i = Integer.parseInt(new String(a, StandardCharsets.UTF_8)); i > 0; i--) {
                callbackIds.add(c.httpRequest(request, Fees.httpRequestFee(4, request)));
            }
        };
    }

    private IngressMessage put() {
        return f.call(f.user, Fixture.CANISTER, "put", "k=" + nonce++, Fixture.T0 + 60_000);
    }

    /** {@code count} messages gossiped by peers (spread over three, within their quotas): they count toward the mark. */
    private void fromPeers(int count) {
        for (int i = 0; i < count; i++) {
            channel.receiver.onFrame(1 + i % 3, put().encode());
        }
    }

    /** Executes a block with these messages on the replica and tells the ingress. */
    private ExecutionResult execute(IngressMessage... messages) {
        ExecutionResult r = Fixture.run(replica, Fixture.T0 + 10L * (replica.height() + 1), messages);
        ingress.executed(r);
        return r;
    }

    @Test
    void oneBelowTheHighWaterMarkIsAdmittedAndAtItTheSubnetIsBusy() {
        fromPeers(highWater - 1);
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "caller-a").state(), "pooled = mark - 1");
        IngressAdmission busy = ingress.submit(put(), "caller-b");
        assertEquals(IngressAdmission.State.SUBNET_BUSY, busy.state(), "pooled = mark");
        assertTrue(busy.busy());
        assertTrue(busy.message().contains("high-water mark of " + highWater), busy.message());
        assertEquals(highWater, ingress.pooled(), "the refused message was not pooled");
        assertEquals(1, channel.broadcasts.size(), "nor gossiped");
        assertTrue(ingress.busy("caller-c").isPresent(), "the pre-check before signing says the same");
    }

    @Test
    void openContextsCountTowardTheMark() {
        execute(f.call("outcall", Integer.toString(highWater - 1)));
        assertEquals(highWater - 1, replica.openContextCount());
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "caller-a").state());
        assertEquals(IngressAdmission.State.SUBNET_BUSY, ingress.submit(put(), "caller-b").state());
    }

    @Test
    void oneCallerHoldsAtMostThreeQuartersAndTheRestIsKeptForOthers() {
        for (int i = 0; i < share; i++) {
            assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "flooder").state(), "message " + i);
        }
        assertEquals(share, ingress.heldFor("flooder"));
        IngressAdmission over = ingress.submit(put(), "flooder");
        assertEquals(IngressAdmission.State.CALLER_OVER_SHARE, over.state(), "one over its share");
        assertTrue(over.message().contains("flooder holds " + share), over.message());
        for (int i = 0; i < highWater - share; i++) {
            assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "other-" + i).state(), "other " + i);
        }
        assertEquals(IngressAdmission.State.SUBNET_BUSY, ingress.submit(put(), "late").state());
    }

    @Test
    void whenOthersHoldSomeTheFlooderIsBackToAnEqualShare() {
        for (int i = 0; i < share / 2; i++) {
            ingress.submit(put(), "a");
        }
        for (int i = 0; i < share / 2; i++) {
            assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "b").state());
        }
        assertEquals(IngressAdmission.State.CALLER_OVER_SHARE, ingress.submit(put(), "a").state(),
                "a holds its equal share of three quarters, and the others hold the rest of it");
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "c").state(), "a newcomer gets in");
    }

    @Test
    void aCallerHoldsAMessageUntilItLeftThePoolAndItsContextsClosed() {
        IngressMessage call = f.call("outcall", "1");
        IngressMessage plain = put();
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(call, "a").state());
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(plain, "a").state());
        assertEquals(2, ingress.heldFor("a"));

        execute(call, plain);
        assertEquals(1, ingress.heldFor("a"), "the put is done; the call's context is open");

        ExecutionResult delivered = Fixture.deliver(replica, Fixture.T0 + 1000, OutcallDelivery.response(callbackIds.get(0),
                HttpResponse.of(200, List.of(), new byte[0]), new byte[0]));
        ingress.executed(delivered);
        assertEquals(0, ingress.heldFor("a"), "its context closed");
    }

    @Test
    void aBlockTakesNoMoreCallsThanThereIsRoomForContextsButAdminMessagesAlways() throws Exception {
        execute(f.call("outcall", Integer.toString(highWater - 2)));
        assertEquals(2, highWater - replica.openContextCount(), "room for exactly two");
        List<IngressMessage> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(f.call("outcall", "1"));
            channel.receiver.onFrame(1, calls.get(i).encode());
        }
        IngressMessage admin = f.admin(ManagementCanister.ENABLE_PLUGIN, "methods@1.0.0");
        channel.receiver.onFrame(1, admin.encode());
        long height = replica.height() + 1;
        IngressTest.Context ctx = new IngressTest.Context(height, (Fixture.T0 + 100) * NANOS, 0, Block.MAX_PAYLOAD_BYTES,
                List.of());

        assertEquals(List.of(calls.get(0), calls.get(1), admin), IngressPayload.decode(ingress.section().build(ctx)),
                "two calls (exactly the room), the third waits; the admin message fits anyway");

        byte[] parent = IngressPayload.encode(List.of(calls.get(0)));
        IngressTest.Context above = new IngressTest.Context(height + 1, (Fixture.T0 + 200) * NANOS, 0,
                Block.MAX_PAYLOAD_BYTES, List.of(parent));
        assertEquals(List.of(calls.get(1)), IngressPayload.decode(ingress.section().build(above)).stream()
                .filter(m -> !m.canisterId().equals(ManagementCanister.ID)).toList(),
                "the parent, not executed yet, takes one of the two");
    }

    @Test
    void withNoRoomTheSectionHasNoWorkAndTheMakerIsWokenWhenRoomOpens() {
        AtomicInteger wakes = new AtomicInteger();
        execute(f.call("outcall", Integer.toString(highWater)));
        ingress.onNewMessage(wakes::incrementAndGet);
        channel.receiver.onFrame(1, f.call("outcall", "1").encode());
        int woken = wakes.get();
        assertFalse(ingress.section().hasWork(), "no room for contexts");

        ingress.executed(Fixture.deliver(replica, Fixture.T0 + 1000, OutcallDelivery.response(callbackIds.get(0),
                HttpResponse.of(200, List.of(), new byte[0]), new byte[0])));
        assertEquals(woken + 1, wakes.get(), "room again: the maker is woken");
        assertTrue(ingress.section().hasWork());
    }

    @Test
    void refusedMessagesAreNotHeldAndTheSameMessageMayComeAgainLater() {
        fromPeers(highWater);
        IngressMessage m = put();
        assertEquals(IngressAdmission.State.SUBNET_BUSY, ingress.submit(m, "a").state());
        assertEquals(0, ingress.heldFor("a"));
        ingress.executed(new ExecutionResult(1, Fixture.T0 + 120_000, new byte[32], 1, List.of(), List.of(), List.of(),
                List.of()));
        assertEquals(0, ingress.pooled(), "the peers' messages expired");
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(m, "a").state(), "the same bytes, later");
    }
}
