package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.outcalls.api.Cycles;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;

/**
 * The management canister's bound on open request contexts ({@link Limits#maxOpenContexts}): a
 * valid http_request is admitted up to exactly the bound and refused one over it with SYS_TRANSIENT
 * subnet_busy (cycles back, no fee), the same on every replica; closing a context makes room again.
 */
class OpenContextLimitTest {
    private final Fixture f = new Fixture();
    private final OutcallRequest request = OutcallRequest.builder("https://example.com/price").build();
    private final long fee = Fees.httpRequestFee(4, request);
    private final List<Long> callbackIds = new ArrayList<>();

    OpenContextLimitTest() {
        // "outcall" with argument k: k requests in one call (at most MessageLimits' 500 outcalls per call)
        f.canister.onUpdate = (c, m, a) -> {
            int k = Integer.parseInt(new String(a, StandardCharsets.UTF_8));
            for (int i = 0; i < k; i++) {
                callbackIds.add(c.httpRequest(request, fee));
            }
        };
    }

    /** Opens {@code count} contexts on the replica, 500 per message, in one block. */
    private void open(Replica r, long time, int count) {
        List<IngressMessage> messages = new ArrayList<>();
        for (int left = count; left > 0; left -= 500) {
            messages.add(f.call("outcall", Integer.toString(Math.min(500, left))));
        }
        Fixture.run(r, time, messages.toArray(new IngressMessage[0]));
    }

    @Test
    void theBoundIsFourThousandNinetySixOverNWithAFloor() {
        assertEquals(1024, Limits.maxOpenContexts(4));
        assertEquals(585, Limits.maxOpenContexts(7));
        assertEquals(315, Limits.maxOpenContexts(13));
        assertEquals(Limits.MIN_OPEN_CONTEXTS, Limits.maxOpenContexts(100));
        assertEquals(1024, f.genesis.registry().maxOpenContexts());
    }

    @Test
    void exactlyAtTheBoundIsAdmittedAndOneOverIsRefusedAsBusyWithTheCyclesBack() {
        Replica replica = f.replica();
        int limit = f.genesis.registry().maxOpenContexts();
        open(replica, Fixture.T0 + 1000, limit - 1);
        assertEquals(limit - 1, replica.openContextCount());
        long before = f.balance(replica);

        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 2000, f.call("outcall", "2"));

        assertEquals(IngressStatus.State.COMPLETED, res.ingress().get(0).state(), res.ingress().get(0).message());
        assertEquals(1, res.createdContexts().size(), "the request that reaches the bound exactly is admitted");
        assertEquals(limit, replica.openContextCount());
        assertEquals(1, f.canister.results.size(), "the one over the bound is refused at the call");
        OutcallResult refused = f.canister.results.get(0);
        assertEquals(callbackIds.get(callbackIds.size() - 1), refused.callbackId());
        Reject reject = refused.reject().orElseThrow();
        assertEquals(RejectCode.SYS_TRANSIENT, reject.code());
        assertEquals(RejectKind.SUBNET_BUSY, reject.kind());
        assertEquals("subnet_busy", reject.kind().wireName());
        assertTrue(reject.message().contains(limit + " request contexts are open"), reject.message());
        assertEquals(new Cycles(fee, 0, fee), refused.cycles(), "no fee for a refusal");
        assertEquals(before - fee, f.balance(replica), "only the admitted request's fee is charged");
    }

    @Test
    void aClosedContextMakesRoomForOneMore() {
        Replica replica = f.replica();
        int limit = f.genesis.registry().maxOpenContexts();
        open(replica, Fixture.T0 + 1000, limit);
        long first = callbackIds.get(0);
        Fixture.deliver(replica, Fixture.T0 + 2000, OutcallDelivery.response(first,
                HttpResponse.of(200, List.of(), new byte[0]), new byte[0]));
        int results = f.canister.results.size();

        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 3000, f.call("outcall", "2"));

        assertEquals(1, res.createdContexts().size());
        assertEquals(results + 1, f.canister.results.size());
        assertEquals(RejectKind.SUBNET_BUSY, f.canister.results.get(results).reject().orElseThrow().kind());
        assertEquals(limit, replica.openContextCount());
    }

    @Test
    void everyReplicaRefusesTheSameRequestsAndEndsWithTheSameStateHash() {
        Replica a = f.replica();
        Replica b = f.replica();
        int limit = f.genesis.registry().maxOpenContexts();
        List<IngressMessage> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messages.add(f.call("outcall", "500"));
        }
        ExecutionResult ra = Fixture.run(a, Fixture.T0 + 1000, messages.toArray(new IngressMessage[0]));
        ExecutionResult rb = Fixture.run(b, Fixture.T0 + 1000, messages.toArray(new IngressMessage[0]));

        assertEquals(limit, ra.createdContexts().size());
        assertEquals(ra.createdContexts(), rb.createdContexts());
        assertEquals(1500 - limit, ra.outcomes().size(), "the rest refused at the call");
        assertArrayEquals(ra.stateHash(), rb.stateHash());
    }
}
