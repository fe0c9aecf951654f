package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.replica.SubnetBusyException;
import org.outcalls.replica.SubnetNode;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A 4-replica subnet offered far more than it decides: {@value #CALLERS} callers submit
 * {@value #PER_CALLER} outcalls each, all at once (pausing 2 ms after a refusal), through the path the
 * gateway's JSON route takes ({@code SubnetNode.submit} with the caller's remote address). The excess is refused with
 * subnet_busy (at submission, or deterministically by http_request; the proxy's quota of open
 * outcalls per principal may refuse some too, since the gateway signs all of them); every caller
 * gets some in; everything admitted completes with the right body, none times out, and the state
 * hashes agree.
 * Not timed: how fast is the benchmark's business.
 */
class OverloadTest {
    static final int CALLERS = 8;
    static final int PER_CALLER = Integer.getInteger("outcalls.overload.perCaller", 2_500);

    @Test
    void theExcessIsRefusedAsBusyAndEverythingAdmittedCompletesInTime() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start().route("/echo", r -> ScriptedOrigin.Reply.text(r.query()));
             TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().origin(origin).tagReplicas(false)).start()) {
            Map<String, String> admitted = new ConcurrentHashMap<>(); // id -> expected body
            AtomicInteger refused = new AtomicInteger();
            Map<String, AtomicInteger> admittedPerCaller = new TreeMap<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                String caller = "192.0.2." + (c + 1);
                AtomicInteger mine = new AtomicInteger();
                admittedPerCaller.put(caller, mine);
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < PER_CALLER; i++) {
                            String query = "c=" + caller + "&i=" + i;
                            byte[] argument = OutcallJson.writeArgument(OutcallJson.parseRequest(("{\"url\":\""
                                    + origin.url("/echo?" + query) + "\"}").getBytes(StandardCharsets.UTF_8)));
                            try {
                                String id = subnet.node().submit(ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL,
                                        argument, caller).toCompletableFuture().join();
                                admitted.put(id, query);
                                mine.incrementAndGet();
                            } catch (CompletionException e) {
                                if (!(e.getCause() instanceof SubnetBusyException)) {
                                    throw e;
                                }
                                refused.incrementAndGet();
                                Thread.sleep(2); // a client that pauses a little and tries the next one: overload for seconds
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "caller-" + caller);
                t.start();
                callers.add(t);
            }
            go.countDown();
            for (Thread t : callers) {
                t.join();
            }
            int offered = CALLERS * PER_CALLER;
            assertEquals(offered, admitted.size() + refused.get(), "each submission admitted or refused as busy");
            assertTrue(refused.get() > 0, "the excess is refused at submission; admitted " + admitted.size());
            admittedPerCaller.forEach((caller, n) -> assertTrue(n.get() > 0, caller + " got nothing in: " + admittedPerCaller));

            int completed = 0;
            int busyInExecution = 0;
            int overQuota = 0;
            for (Map.Entry<String, String> e : admitted.entrySet()) {
                JsonNode r = outcome(subnet, e.getKey());
                if (r == null) {
                    overQuota++; // the proxy refused the message: its caller (one principal here) was at its quota
                    continue;
                }
                if ("rejected".equals(r.path("status").asText())) {
                    assertEquals("subnet_busy", r.path("reject").path("kind").asText(), "the only reject allowed: " + r);
                    assertEquals("SYS_TRANSIENT", r.path("reject").path("code").asText(), r.toString());
                    busyInExecution++;
                    continue;
                }
                assertEquals("completed", r.path("status").asText(), r.toString());
                assertEquals(e.getValue(), new String(Base64.getDecoder().decode(r.path("response").path("body").asText()),
                        StandardCharsets.UTF_8), "the right body for " + e.getKey());
                completed++;
            }
            assertTrue(completed > 0, "completed " + completed + " of " + admitted.size());
            assertTrue(subnet.stateHashesAgree(), "state hashes agree");
            System.out.printf("overload: %d offered, %d refused at submission, %d admitted: %d completed, %d refused as "
                    + "busy in execution, %d refused by the proxy's quota; per caller admitted %s%n", offered, refused.get(),
                    admitted.size(), completed, busyInExecution, overQuota, admittedPerCaller);
        }
    }

    /**
     * The proxy's final record of an outcall, or null if the proxy refused the message at its quota
     * of open outcalls per principal (every call here is signed with the gateway's key). Waits at most 3 minutes.
     */
    private static JsonNode outcome(TestSubnet subnet, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            var record = subnet.record(id);
            if (record.isPresent() && !ProxyProtocol.STATUS_PENDING.equals(record.get().path("status").asText())) {
                return record.get();
            }
            SubnetNode.IngressState state = subnet.node().ingressState(id);
            if (state.status() == SubnetNode.IngressState.Status.FAILED) {
                assertEquals(ProxyProtocol.KIND_QUOTA_EXCEEDED, ProxyProtocol.refusal(state.message())
                        .map(ProxyProtocol.Refusal::kind).orElse(state.message()), "the only refusal by the proxy");
                return null;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("outcall " + id + " has no result after 3 minutes; now: " + subnet.record(id));
    }
}
