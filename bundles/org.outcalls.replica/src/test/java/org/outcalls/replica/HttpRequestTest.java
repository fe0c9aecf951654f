package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.Cycles;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpMethod;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallContext;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.OutcallResult;
import org.outcalls.api.Policies;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.canister.CanisterException;

/** The management canister's http_request in replicated execution: checks, fees, refunds, delivery, timeout. */
class HttpRequestTest {
    private final Fixture f = new Fixture();
    private final Replica replica = f.replica();
    private final List<Long> callbackIds = new ArrayList<>();

    private static OutcallRequest get(String url) {
        return OutcallRequest.builder(url).build();
    }

    /** The test canister calls http_request(request, cycles) when it gets an "outcall" message. */
    private void requestOnCall(OutcallRequest request, long cycles) {
        f.canister.onUpdate = (c, m, a) -> callbackIds.add(c.httpRequest(request, cycles));
    }

    private long fee(OutcallRequest r) {
        return Fees.httpRequestFee(4, r);
    }

    @Test
    void exactFeeIsChargedAndTheContextStoredAtBlockTime() {
        OutcallRequest r = get("https://example.com/price");
        long fee = fee(r);
        requestOnCall(r, fee);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));

        assertEquals(IngressStatus.State.COMPLETED, res.ingress().get(0).state(), res.ingress().get(0).message());
        assertEquals(1, res.createdContexts().size());
        RequestContext c = res.createdContexts().get(0);
        assertEquals(callbackIds.get(0), c.callbackId());
        assertEquals(Fixture.T0 + 1000, c.requestTime());
        assertEquals(1, c.height());
        assertEquals(Policies.TWO_THIRDS, c.policy());
        assertEquals("1.0.0", c.policyVersion());
        assertEquals(SubnetRegistry.INITIAL_VERSION, c.registryVersion());
        assertEquals(fee, c.attachedCycles());
        assertEquals(fee, c.chargedCycles());
        assertEquals(Fixture.CANISTER, c.canisterId());
        assertEquals(r, c.request());
        assertEquals(res.ingress().get(0).messageId(), c.messageId());
        assertEquals(Principals.ofKey(f.user.publicKey()), c.caller());
        assertEquals(Fixture.INITIAL_CYCLES - fee, f.balance(replica));
        assertTrue(res.outcomes().isEmpty(), "no result before delivery");
        assertEquals(List.of(c), replica.lastCreatedContexts());
        assertEquals(c, replica.openContexts().get(c.callbackId()));
    }

    @Test
    void oneCycleShortOfTheFeeIsRejectedWithTheExactMessageAndTheCyclesGoBack() {
        OutcallRequest r = get("https://example.com/price");
        long fee = fee(r);
        requestOnCall(r, fee - 1);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));

        assertEquals(IngressStatus.State.COMPLETED, res.ingress().get(0).state());
        assertTrue(res.createdContexts().isEmpty());
        assertTrue(replica.openContexts().isEmpty());
        assertEquals(1, f.canister.results.size(), "exactly one result, in the same block");
        OutcallResult result = f.canister.results.get(0);
        assertEquals(callbackIds.get(0), result.callbackId());
        Reject reject = result.reject().orElseThrow();
        assertEquals(RejectCode.CANISTER_REJECT, reject.code());
        assertEquals(RejectKind.INSUFFICIENT_CYCLES, reject.kind());
        assertEquals("http_request request sent with " + (fee - 1) + " cycles, but " + fee + " cycles are required.",
                reject.message());
        assertEquals(new Cycles(fee - 1, 0, fee - 1), result.cycles());
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica));
        assertEquals(OutcallOutcome.How.REJECTED_AT_CALL, res.outcomes().get(0).how());
    }

    @Test
    void theUnusedCyclesAreRefundedExactlyWithTheDeliveredResponse() {
        OutcallRequest r = get("https://example.com/price");
        long fee = fee(r);
        requestOnCall(r, fee + 12_345);
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        assertEquals(Fixture.INITIAL_CYCLES - fee - 12_345, f.balance(replica));

        HttpResponse response = HttpResponse.of(200, List.of(new HttpHeader("content-type", "text/plain")),
                "42".getBytes(StandardCharsets.UTF_8));
        byte[] certificate = {1, 2, 3};
        ExecutionResult res = Fixture.deliver(replica, Fixture.T0 + 2000,
                OutcallDelivery.response(callbackIds.get(0), response, certificate));

        assertEquals(1, f.canister.results.size());
        OutcallResult result = f.canister.results.get(0);
        assertEquals(response, result.response().orElseThrow());
        assertArrayEquals(certificate, result.certificate());
        assertEquals(new Cycles(fee + 12_345, fee, 12_345), result.cycles());
        assertEquals(Fixture.INITIAL_CYCLES - fee, f.balance(replica));
        assertTrue(replica.openContexts().isEmpty());
        assertEquals(OutcallOutcome.How.DELIVERED, res.outcomes().get(0).how());
        // the context the shares are bound to comes with the result, so a canister can show what it certifies
        OutcallContext context = result.context().orElseThrow();
        assertEquals(r, context.request());
        assertEquals(f.genesis.subnetId(), context.subnetId());
        assertEquals(callbackIds.get(0), context.callbackId());
        assertEquals(fee + 12_345, context.attachedCycles());
        assertEquals(fee, context.fee());
        assertEquals(Fixture.T0 + 1000, context.requestTime());
        assertEquals("two-thirds@1.0.0", context.policy());
    }

    @Test
    void aggregateValuesAndRejectsAreDeliveredToo() {
        OutcallRequest r = OutcallRequest.builder("https://example.com/p").policy(Policies.MEDIAN)
                .transform(TransformSpec.of("number", "/price")).build();
        requestOnCall(r, fee(r));
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""), f.call("outcall", ""));
        AggregateValue v = new AggregateValue(new BigDecimal("1.5"), 3, BigDecimal.ONE, BigDecimal.TEN);
        Reject no = Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.NO_CONSENSUS, "2 × aaaa, 2 × bbbb");
        Fixture.deliver(replica, Fixture.T0 + 2000, OutcallDelivery.value(callbackIds.get(0), v, null),
                OutcallDelivery.reject(callbackIds.get(1), no, new byte[] {9}));
        assertEquals(v, f.canister.results.get(0).value().orElseThrow());
        assertEquals(no, f.canister.results.get(1).reject().orElseThrow());
        assertEquals(new Cycles(fee(r), fee(r), 0), f.canister.results.get(1).cycles());
    }

    static List<Object[]> overLimit() {
        String longUrl = "https://example.com/" + "a".repeat(Limits.MAX_URL_BYTES);
        OutcallRequest.Builder manyHeaders = OutcallRequest.builder("https://example.com");
        for (int i = 0; i <= Limits.MAX_HEADER_COUNT; i++) {
            manyHeaders.header("x-h" + i, "v");
        }
        OutcallRequest.Builder bigTotal = OutcallRequest.builder("https://example.com");
        for (int i = 0; i < 7; i++) {
            bigTotal.header("x-h" + i, "v".repeat(Limits.MAX_HEADER_VALUE_BYTES - 8));
        }
        return List.of(
                new Object[] {"url", OutcallRequest.builder(longUrl).build(), RejectKind.INVALID_URL},
                new Object[] {"header count", manyHeaders.build(), RejectKind.HEADER_LIMIT},
                new Object[] {"header name", OutcallRequest.builder("https://example.com")
                        .header("x".repeat(Limits.MAX_HEADER_NAME_BYTES + 1), "v").build(), RejectKind.HEADER_LIMIT},
                new Object[] {"header value", OutcallRequest.builder("https://example.com")
                        .header("x-big", "v".repeat(Limits.MAX_HEADER_VALUE_BYTES + 1)).build(),
                        RejectKind.HEADER_LIMIT},
                new Object[] {"header total", bigTotal.build(), RejectKind.HEADER_LIMIT},
                new Object[] {"request size", OutcallRequest.builder("https://example.com").method(HttpMethod.POST)
                        .body(new byte[(int) Limits.MAX_REQUEST_BYTES + 1]).build(), RejectKind.REQUEST_TOO_LARGE},
                new Object[] {"max_response_bytes", OutcallRequest.builder("https://example.com")
                        .maxResponseBytes(Limits.MAX_RESPONSE_BYTES + 1).build(), RejectKind.INVALID_ARGUMENT});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overLimit")
    void everyLimitIsACanisterRejectThatChargesNothing(String what, OutcallRequest r, RejectKind kind) {
        Fixture withMethods = new Fixture(b -> b.plugin(Policies.METHODS, "1.0.0"));
        Replica rep = withMethods.replica();
        long attached = 5_000_000_000_000L;
        withMethods.canister.onUpdate = (c, m, a) -> c.httpRequest(r, attached);
        ExecutionResult res = Fixture.run(rep, Fixture.T0 + 1000, withMethods.call("outcall", ""));

        OutcallResult result = withMethods.canister.results.get(0);
        Reject reject = result.reject().orElseThrow();
        assertEquals(RejectCode.CANISTER_REJECT, reject.code(), reject.message());
        assertEquals(kind, reject.kind(), reject.message());
        assertEquals(Limits.checkRequest(r).orElseThrow(), reject, "the limit's own message, with actual and allowed values");
        assertEquals(new Cycles(attached, 0, attached), result.cycles());
        assertEquals(Fixture.INITIAL_CYCLES, withMethods.balance(rep));
        assertTrue(res.createdContexts().isEmpty());
    }

    @Test
    void putWithoutTheSingleReplicaPolicyIsNotAllowed() {
        Fixture withMethods = new Fixture(b -> b.plugin(Policies.METHODS, "1.0.0"));
        Replica rep = withMethods.replica();
        OutcallRequest put = OutcallRequest.builder("https://example.com/x").method(HttpMethod.PUT).build();
        withMethods.canister.onUpdate = (c, m, a) -> c.httpRequest(put, fee(put));
        Fixture.run(rep, Fixture.T0 + 1000, withMethods.call("outcall", ""));
        Reject reject = withMethods.canister.results.get(0).reject().orElseThrow();
        assertEquals(RejectCode.CANISTER_REJECT, reject.code());
        assertEquals(RejectKind.METHOD_NOT_ALLOWED, reject.kind());
        assertTrue(reject.message().contains("PUT is only allowed with the 'single-replica' policy"), reject.message());
        assertTrue(reject.message().contains("'two-thirds'"), reject.message());
        assertEquals(Fixture.INITIAL_CYCLES, withMethods.balance(rep));

        OutcallRequest single = put.toBuilder().policy(Policies.SINGLE_REPLICA).build();
        withMethods.canister.onUpdate = (c, m, a) -> c.httpRequest(single, fee(single));
        ExecutionResult ok = Fixture.run(rep, Fixture.T0 + 2000, withMethods.call("outcall", ""));
        assertEquals(1, ok.createdContexts().size());
        assertEquals(Policies.SINGLE_REPLICA, ok.createdContexts().get(0).policy());
    }

    @Test
    void postWithoutTheMethodsPluginIsNotAllowed() {
        OutcallRequest post = OutcallRequest.builder("https://example.com/x").method(HttpMethod.POST)
                .body("{}".getBytes(StandardCharsets.UTF_8)).build();
        requestOnCall(post, fee(post));
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        Reject reject = f.canister.results.get(0).reject().orElseThrow();
        assertEquals(RejectCode.CANISTER_REJECT, reject.code());
        assertEquals(RejectKind.METHOD_NOT_ALLOWED, reject.kind());
        assertTrue(reject.message().startsWith("POST needs the 'methods' plugin"), reject.message());
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica));
    }

    @Test
    void aPolicyThatIsNotEnabledIsRejectedNamingTheEnabledOnes() {
        OutcallRequest r = OutcallRequest.builder("https://example.com/x").policy("fastest").build();
        requestOnCall(r, fee(r));
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        Reject reject = f.canister.results.get(0).reject().orElseThrow();
        assertEquals(RejectCode.CANISTER_REJECT, reject.code());
        assertEquals(RejectKind.POLICY_NOT_ENABLED, reject.kind());
        assertTrue(reject.message().contains("policy 'fastest' is not enabled"), reject.message());
        assertTrue(reject.message().contains("median@1.0.0, number@1.0.0, single-replica@1.0.0, two-thirds@1.0.0"),
                reject.message());
    }

    @Test
    void aTransformIsUsedOnlyAtTheVersionTheRegistryEnablesAndTheContextPinsIt() {
        OutcallRequest notEnabled = OutcallRequest.builder("https://example.com/x").transform(TransformSpec.of("shout", "")).build();
        OutcallRequest otherVersion = OutcallRequest.builder("https://example.com/x")
                .transform(TransformSpec.of("number@2.0.0", "/p")).build();
        OutcallRequest exact = OutcallRequest.builder("https://example.com/x").transform(TransformSpec.of("number@1.0.0", "/p"))
                .build();
        OutcallRequest current = OutcallRequest.builder("https://example.com/x").transform(TransformSpec.of("number", "/p"))
                .build();
        for (OutcallRequest r : List.of(notEnabled, otherVersion, exact, current)) {
            requestOnCall(r, fee(r));
            Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        }
        Reject a = f.canister.results.get(0).reject().orElseThrow();
        assertEquals(RejectKind.TRANSFORM_NOT_ENABLED, a.kind());
        assertTrue(a.message().startsWith("transform 'shout' is not enabled in the subnet registry"), a.message());
        Reject b = f.canister.results.get(1).reject().orElseThrow();
        assertEquals(RejectKind.TRANSFORM_NOT_ENABLED, b.kind());
        assertTrue(b.message().startsWith("transform 'number@2.0.0' is not enabled: the subnet registry (version "), b.message());
        assertTrue(b.message().endsWith(") enables number@1.0.0"), b.message());
        List<RequestContext> open = List.copyOf(replica.openContexts().values());
        assertEquals(2, open.size(), "the exact and the current version made contexts");
        for (RequestContext c : open) {
            assertEquals("1.0.0", c.transformVersion());
        }
    }

    @Test
    void aShortBalanceThrowsAtTheCallAndNothingHappens() {
        OutcallRequest r = get("https://example.com/x");
        List<String> seen = new ArrayList<>();
        f.canister.onUpdate = (c, m, a) -> {
            try {
                c.httpRequest(r, Fixture.INITIAL_CYCLES + 1);
            } catch (CanisterException e) {
                seen.add(e.getMessage());
            }
        };
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).contains("has " + Fixture.INITIAL_CYCLES + " cycles, fewer than the "
                + (Fixture.INITIAL_CYCLES + 1)), seen.get(0));
        assertTrue(f.canister.results.isEmpty(), "no callback for a call that threw");
        assertTrue(res.outcomes().isEmpty());
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica));
    }

    @Test
    void anImmediateRejectArrivesAfterTheCallReturnsAndSeesItsState() {
        OutcallRequest r = OutcallRequest.builder("https://example.com/x").policy("nope").build();
        List<String> order = new ArrayList<>();
        f.canister.onUpdate = (c, m, a) -> {
            long id = c.httpRequest(r, 1);
            order.add("requested " + id);
            c.state().put("pending/" + id, new byte[] {1});
        };
        f.canister.onResult = (c, res) -> {
            order.add("result " + res.callbackId());
            assertTrue(c.state().get("pending/" + res.callbackId()).isPresent(), "the update's state is committed");
        };
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""), f.call("put", "k=v"));
        assertEquals(List.of("requested 0", "result 0"), order);
        assertEquals(1, res.outcomes().size());
    }

    @Test
    void aContextTimesOutOnlyOnceBlockTimePassesRequestTimePlusTheTimeout() {
        OutcallRequest r = get("https://example.com/slow");
        long fee = fee(r);
        requestOnCall(r, fee + 500);
        long requestTime = Fixture.T0 + 1000;
        Fixture.run(replica, requestTime, f.call("outcall", ""));

        ExecutionResult atBoundary = Fixture.run(replica, requestTime + Fixture.TIMEOUT);
        assertTrue(atBoundary.outcomes().isEmpty(), "request time + timeout is not yet past");
        assertEquals(1, replica.openContexts().size());

        ExecutionResult after = Fixture.run(replica, requestTime + Fixture.TIMEOUT + 1);
        assertEquals(1, after.outcomes().size());
        assertEquals(OutcallOutcome.How.TIMED_OUT, after.outcomes().get(0).how());
        OutcallResult result = f.canister.results.get(0);
        assertEquals(Reject.of(RejectCode.SYS_TRANSIENT, RejectKind.TIMEOUT, "no agreed response within 60000 ms"
                + " (request time " + requestTime + ", block time " + (requestTime + Fixture.TIMEOUT + 1) + ")"),
                result.reject().orElseThrow());
        assertEquals(new Cycles(fee + 500, fee, 500), result.cycles());
        assertTrue(replica.openContexts().isEmpty());
        assertEquals(Fixture.INITIAL_CYCLES - fee, f.balance(replica));

        ExecutionResult late = Fixture.deliver(replica, requestTime + Fixture.TIMEOUT + 2,
                OutcallDelivery.response(result.callbackId(), HttpResponse.of(200, List.of(), null), null));
        assertEquals(List.of(result.callbackId()), late.ignoredDeliveries());
        assertEquals(1, f.canister.results.size(), "a closed context gets nothing more");
    }

    @Test
    void aConfiguredTimeoutApplies() {
        Fixture quick = new Fixture(b -> b.consensusTimeoutMillis(5));
        Replica rep = quick.replica();
        OutcallRequest r = get("https://example.com/x");
        quick.canister.onUpdate = (c, m, a) -> c.httpRequest(r, fee(r));
        Fixture.run(rep, Fixture.T0, quick.call("outcall", ""));
        assertTrue(Fixture.run(rep, Fixture.T0 + 5).outcomes().isEmpty());
        assertEquals(RejectKind.TIMEOUT, Fixture.run(rep, Fixture.T0 + 6).outcomes().get(0).result().reject()
                .orElseThrow().kind());
    }

    @Test
    void deliveriesForUnknownOrClosedContextsAreIgnored() {
        OutcallRequest r = get("https://example.com/x");
        requestOnCall(r, fee(r));
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        long id = callbackIds.get(0);
        HttpResponse ok = HttpResponse.of(200, List.of(), null);

        ExecutionResult first = Fixture.deliver(replica, Fixture.T0 + 2000, OutcallDelivery.response(id, ok, null),
                OutcallDelivery.response(id, ok, null), OutcallDelivery.response(999, ok, null));
        assertEquals(1, f.canister.results.size());
        assertEquals(List.of(id, 999L), first.ignoredDeliveries());
        byte[] hash = replica.stateHash();

        ExecutionResult again = Fixture.deliver(replica, Fixture.T0 + 3000, OutcallDelivery.response(id, ok, null));
        assertEquals(List.of(id), again.ignoredDeliveries());
        assertEquals(1, f.canister.results.size());
        assertEquals(Fixture.INITIAL_CYCLES - fee(r), f.balance(replica));
        assertTrue(hash.length > 0);
    }

    @Test
    void aFailingCallbackStillClosesTheContextAndKeepsTheRefundButNotItsStateChanges() {
        OutcallRequest r = get("https://example.com/x");
        requestOnCall(r, fee(r) + 7);
        Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        f.canister.onResult = (c, res) -> {
            throw new IllegalStateException("callback bug");
        };
        ExecutionResult res = Fixture.deliver(replica, Fixture.T0 + 2000,
                OutcallDelivery.response(callbackIds.get(0), HttpResponse.of(200, List.of(), null), null));
        assertEquals("canister test trapped: IllegalStateException: callback bug",
                res.outcomes().get(0).callbackFailure().orElseThrow());
        assertTrue(replica.openContexts().isEmpty());
        assertEquals(Fixture.INITIAL_CYCLES - fee(r), f.balance(replica));
        org.junit.jupiter.api.Assertions.assertThrows(CanisterException.class,
                () -> replica.query(Fixture.CANISTER, "get", ("result/" + callbackIds.get(0)).getBytes()));
    }

    @Test
    void endlessRefusedRequestsFromCallbacksStopAtTheDepthLimit() {
        OutcallRequest bad = OutcallRequest.builder("https://example.com/x").policy("nope").build();
        f.canister.onUpdate = (c, m, a) -> c.httpRequest(bad, 1);
        f.canister.onResult = (c, res) -> c.httpRequest(bad, 1);
        ExecutionResult res = Fixture.run(replica, Fixture.T0 + 1000, f.call("outcall", ""));
        assertEquals(16, res.outcomes().size(), "16 refused results, then the 16th callback is refused its request");
        assertTrue(res.outcomes().get(15).callbackFailure().orElseThrow().contains("nested refused requests"));
        assertEquals(Fixture.INITIAL_CYCLES, f.balance(replica));
    }
}
