package org.outcalls.replica.internal.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.consensus.Block;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Fixture;
import org.outcalls.replica.IngressAdmission;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.OutcallDelivery;
import org.outcalls.replica.Replica;

/**
 * A caller is charged for the request contexts its calls hold open, not for one message, and one
 * caller's fan-out past the window keeps neither the gate nor block making from letting the other
 * callers in, within a bound that holds however many callers there are.
 */
class FairShareAdmissionTest {
    private static final long NANOS = 1_000_000L;
    /** What one call of a fan-out canister may open (execution's bound per call). */
    private static final int FAN_OUT = 500;
    private final Fixture f = new Fixture();
    private final Replica replica = f.replica();
    private final IngressTest.FakeChannel channel = new IngressTest.FakeChannel();
    private final Ingress ingress = new Ingress(replica, channel, () -> Fixture.T0 * NANOS, Ingress.PoolLimits.DEFAULT);
    private final int highWater = AdmissionWindow.INITIAL_WINDOW;
    /** What the callers within their share may hold when one caller overran it: the mark less the shared part. */
    private final int keptForOthers = highWater - highWater * IngressGate.CALLER_SHARE_PERCENT / 100;
    private final OutcallRequest request = OutcallRequest.builder("https://example.com/").build();
    private final List<Long> callbackIds = new ArrayList<>();
    private int nonce;

    FairShareAdmissionTest() {
        f.canister.onUpdate = (c, m, a) -> {
            for (int i = Integer.parseInt(new String(a, StandardCharsets.UTF_8)); i > 0; i--) {
                callbackIds.add(c.httpRequest(request, Fees.httpRequestFee(4, request)));
            }
        };
    }

    private IngressMessage put() {
        return f.call(f.user, Fixture.CANISTER, "put", "k=" + nonce++, Fixture.T0 + 60_000);
    }

    private IngressMessage outcallFrom(NodeKey sender, int count) {
        return f.call(sender, Fixture.CANISTER, "outcall", Integer.toString(count), Fixture.T0 + 60_000);
    }

    /** The hostile caller ({@code f.user}) submits one call here that opens {@value #FAN_OUT} contexts. */
    private void hostileFanOut() {
        IngressMessage fan = outcallFrom(f.user, FAN_OUT);
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(fan, "hostile").state());
        ingress.executed(Fixture.run(replica, Fixture.T0 + 10, fan));
        assertEquals(FAN_OUT, replica.openContextCount());
    }

    private void deliver(List<Long> ids) {
        OutcallDelivery[] deliveries = ids.stream().map(id -> OutcallDelivery.response(id,
                HttpResponse.of(200, List.of(), new byte[0]), new byte[0])).toArray(OutcallDelivery[]::new);
        ingress.executed(Fixture.deliver(replica, Fixture.T0 + 1_000, deliveries));
    }

    private List<IngressMessage> build() throws Exception {
        IngressTest.Context ctx = new IngressTest.Context(replica.height() + 1, (Fixture.T0 + 100) * NANOS, 0,
                Block.MAX_PAYLOAD_BYTES, List.of());
        return IngressPayload.decode(ingress.section().build(ctx));
    }

    @Test
    void aCallerHolding500ContextsIsRefusedWhileAFreshCallerIsAdmitted() {
        hostileFanOut();
        assertEquals(FAN_OUT, ingress.heldFor("hostile"), "one message, charged for its open contexts");

        IngressAdmission hostile = ingress.submit(put(), "hostile");
        assertEquals(IngressAdmission.State.CALLER_OVER_SHARE, hostile.state(), hostile.message());
        assertTrue(hostile.message().contains("hostile holds 500 (1 messages waiting for a block or with contexts open, "
                + "500 request contexts open)"), hostile.message());

        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "fresh").state(),
                "the window is full of the hostile caller's contexts, not of the fresh caller's");
        assertTrue(ingress.busy("another").isEmpty(), "the pre-check before signing says the same");
    }

    @Test
    void theOvershootStaysBoundedWithAThousandDistinctFreshCallers() {
        hostileFanOut();
        int admitted = 0;
        for (int i = 0; i < 1_000; i++) {
            IngressAdmission a = ingress.submit(put(), "fresh-" + i);
            if (a.state() == IngressAdmission.State.ACCEPTED) {
                admitted++;
            } else {
                assertEquals(IngressAdmission.State.SUBNET_BUSY, a.state(), "fresh-" + i + ": " + a.message());
                assertTrue(a.message().contains("high-water mark of " + highWater), a.message());
            }
        }
        assertEquals(keptForOthers, admitted, "what the others may hold past the hostile caller's share");
        assertEquals(FAN_OUT + keptForOthers, ingress.pooled() + replica.openContextCount(),
                "past the hostile caller's own overrun, no more than the mark");
        assertTrue(ingress.pooled() + replica.openContextCount() < replica.registry().maxOpenContexts());
    }

    @Test
    void aCallersWeightDropsAsItsContextsClose() {
        hostileFanOut();
        deliver(callbackIds.subList(0, 400));
        assertEquals(100, ingress.heldFor("hostile"));
        assertEquals(IngressAdmission.State.ACCEPTED, ingress.submit(put(), "hostile").state(),
                "100 + 1 is within three quarters of the mark again");
        assertEquals(101, ingress.heldFor("hostile"));
        deliver(callbackIds.subList(400, FAN_OUT));
        assertEquals(1, ingress.heldFor("hostile"), "only the pooled put is left");
    }

    @Test
    void aBlockTakesTheCallOfACallerWithNoContextsWhileAnotherCallersFillTheWindow() throws Exception {
        hostileFanOut();
        NodeKey fresh = NodeKey.generate();
        IngressMessage hostileAgain = outcallFrom(f.user, 1);
        IngressMessage freshCall = outcallFrom(fresh, 1);
        channel.receiver.onFrame(1, hostileAgain.encode());
        assertFalse(ingress.section().hasWork(), "no room, and the only call is the hostile caller's");
        channel.receiver.onFrame(2, freshCall.encode());
        assertTrue(ingress.section().hasWork(), "a call within its caller's share waits");

        assertEquals(List.of(freshCall), build(), "the fresh caller's call, not the hostile caller's");
    }

    @Test
    void aBlockTakesNoMoreThanTheBoundedOvershootFromAThousandFreshCallers() throws Exception {
        hostileFanOut();
        for (int i = 0; i < 1_000; i++) {
            channel.receiver.onFrame(1 + i % 3, outcallFrom(NodeKey.generate(), 1).encode());
        }
        List<IngressMessage> taken = build();
        assertEquals(keptForOthers, taken.size(), "the room the others keep, however many they are");
        assertEquals(taken.size(), taken.stream().map(IngressMessage::caller).distinct().count(), "one each");
    }
}
