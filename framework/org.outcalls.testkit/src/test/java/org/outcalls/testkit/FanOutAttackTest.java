package org.outcalls.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Principals;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetBusyException;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * The attack admission control's fair share is for: on a real 4-replica subnet with a real HTTPS
 * origin, a hostile caller's one call to a fan-out canister opens {@value #FAN_OUT} outcalls to a
 * path that never answers, more than the admission window (256) holds. Another caller's ordinary
 * single outcalls to a fast path are still admitted, put into blocks and delivered within seconds
 * (far below the adapters' 30 s request limit, after which the stalled ones would start to end),
 * while the hostile caller's further calls are refused as busy for its share, naming the contexts it
 * holds. Both sign their own messages: each is a principal, at the gate and in the executed state.
 */
class FanOutAttackTest {
    static final int FAN_OUT = 500;
    static final int HONEST_CALLS = 5;
    /** Per honest call, submission to delivery: "within a few seconds", with room for a loaded 2-core machine. */
    static final long DELIVERY_MILLIS = 10_000;

    @Test
    void anotherCallerIsServedWithinSecondsWhileOneCallersFanOutHoldsTheWindow() throws Exception {
        ScriptedOrigin origin = ScriptedOrigin.start()
                .route("/stall", r -> ScriptedOrigin.Reply.never())
                .route("/fast", r -> ScriptedOrigin.Reply.text("fast"));
        TestSubnet subnet = BundledPlugins.all(TestSubnet.builder().origin(origin).canister(new FanOutCanister())
                .tagReplicas(false)).start();
        try {
            NodeKey hostile = NodeKey.generate();
            NodeKey honest = NodeKey.generate();
            Replica front = subnet.subnet().replicas().get(0);
            // the same origin by its IP: an adapter keeps at most 16 HTTP/1.1 connections per host, all held
            // by the stalled fetches, so a fetch to localhost would queue behind them (an adapter matter)
            String fast = "https://127.0.0.1:" + origin.port() + "/fast";
            // before the attack, one call opens the adapters' connections to it: what is timed below is
            // admission and agreement, not a first TLS handshake on a loaded machine
            submit(subnet, honest, "1|" + fast);
            long warm = System.nanoTime() + 60_000_000_000L;
            while (delivered(front) == 0 && System.nanoTime() < warm) {
                Thread.sleep(10);
            }
            assertEquals(1, delivered(front), "the warm-up call");
            submit(subnet, hostile, FAN_OUT + "|" + origin.url("/stall"));
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (front.openContextCount() < FAN_OUT && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(FAN_OUT, front.openContextCount(), "the hostile call's contexts, all open");

            List<Long> took = new ArrayList<>();
            for (int i = 0; i < HONEST_CALLS; i++) {
                long start = System.nanoTime();
                int before = delivered(front);
                submit(subnet, honest, "1|" + fast);
                while (delivered(front) == before && System.nanoTime() - start < DELIVERY_MILLIS * 1_000_000) {
                    Thread.sleep(10);
                }
                assertEquals(before + 1, delivered(front), "honest call " + i + " delivered within " + DELIVERY_MILLIS + " ms");
                took.add((System.nanoTime() - start) / 1_000_000);
            }
            System.out.println("fan-out attack: honest calls delivered in " + took + " ms while " + front.openContextCount()
                    + " contexts are open");

            try {
                submit(subnet, hostile, FAN_OUT + "|" + origin.url("/stall"));
                fail("the hostile caller's second call was admitted");
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof SubnetBusyException, e.toString());
                SubnetBusyException busy = (SubnetBusyException) e.getCause();
                assertTrue(busy.callerShare(), busy.getMessage());
                String principal = Principals.ofKey(hostile.publicKey());
                assertTrue(busy.getMessage().contains(principal + " holds " + FAN_OUT), busy.getMessage());
                assertTrue(busy.getMessage().contains(FAN_OUT + " request contexts open"), busy.getMessage());
            }
            assertEquals(FAN_OUT, front.openContextCount(), "the stalled contexts stay open: nothing was decided for them");
            assertTrue(subnet.stateHashesAgree(), "state hashes agree");
        } finally {
            origin.close(); // first: the replicas' waiting fetches then fail at once, and the subnet closes
            subnet.close();
        }
    }

    private static String submit(TestSubnet subnet, NodeKey key, String argument) {
        return subnet.subnet().submitSigned(FanOutCanister.ID, "fan", argument.getBytes(StandardCharsets.UTF_8), key)
                .toCompletableFuture().join();
    }

    /** Outcalls whose result the canister holds on the front replica: only the honest ones ever get one. */
    private static int delivered(Replica front) throws Exception {
        String results = new String(front.query(FanOutCanister.ID, "result", new byte[0]), StandardCharsets.UTF_8);
        return (int) results.lines().filter(l -> l.contains("=response:200:")).count();
    }
}
