package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.outcalls.api.Fees;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;

/**
 * How fast one replica executes 10,000 outcalls: 10 blocks of 1,000 signed ingress messages that
 * each store a record and call http_request, then 10 blocks of 1,000 deliveries whose callbacks
 * store the result, on a canister that already holds 100,000 records. Prints the figures; asserts
 * only that everything was delivered. Run with
 * {@code mvn -o test -pl bundles/org.outcalls.replica -Dtest=ExecutionBenchmarkTest -Dreplica.bench=true}.
 */
@EnabledIfSystemProperty(named = "replica.bench", matches = "true")
class ExecutionBenchmarkTest {
    private static final int OUTCALLS = 10_000;
    private static final int PER_BLOCK = 1_000;
    private static final int PRELOADED = 100_000;

    @Test
    void tenThousandOutcalls() {
        Fixture f = new Fixture();
        OutcallRequest request = OutcallRequest.builder("https://api.example.com/v1/price?symbol=ICP")
                .header("accept", "application/json").build();
        long fee = Fees.httpRequestFee(4, request);
        byte[] record = ("{\"status\":\"pending\",\"url\":\"" + request.url() + "\",\"padding\":\"" + "p".repeat(200)
                + "\"}").getBytes(StandardCharsets.UTF_8);
        f.canister.onUpdate = (c, m, a) -> {
            if (m.equals("preload")) {
                for (int i = 0; i < PRELOADED; i++) {
                    c.state().put("old/" + i, record);
                }
                return;
            }
            long id = c.httpRequest(request, fee + 1000);
            c.state().put("r/" + c.messageId(), record);
            c.state().put("c/" + id, c.messageId().getBytes(StandardCharsets.UTF_8));
        };
        Replica replica = f.replica();
        long time = Fixture.T0;
        Fixture.run(replica, ++time, f.call("preload", ""));

        List<List<IngressMessage>> ingressBlocks = new ArrayList<>();
        long signStart = System.nanoTime();
        for (int b = 0; b < OUTCALLS / PER_BLOCK; b++) {
            List<IngressMessage> block = new ArrayList<>();
            for (int i = 0; i < PER_BLOCK; i++) {
                block.add(f.call(f.user, Fixture.CANISTER, "outcall", "", Fixture.T0 + 200_000));
            }
            ingressBlocks.add(block);
        }
        long signNanos = System.nanoTime() - signStart;

        // consensus validates every block's ingress section before it is executed; that verifies the signatures
        long verifyStart = System.nanoTime();
        for (List<IngressMessage> block : ingressBlocks) {
            block.forEach(IngressMessage::verifySignature);
        }
        long verifyNanos = System.nanoTime() - verifyStart;

        long start = System.nanoTime();
        List<Long> callbacks = new ArrayList<>();
        for (List<IngressMessage> block : ingressBlocks) {
            ExecutionResult r = replica.execute(Fixture.block(replica.height() + 1, ++time, block, List.of()));
            r.createdContexts().forEach(c -> callbacks.add(c.callbackId()));
        }
        long ingressNanos = System.nanoTime() - start;

        HttpResponse response = HttpResponse.of(200, List.of(new HttpHeader("content-type", "application/json")),
                ("{\"price\":\"12.34\",\"padding\":\"" + "q".repeat(900) + "\"}").getBytes(StandardCharsets.UTF_8));
        byte[] certificate = new byte[4 * 100];
        start = System.nanoTime();
        for (int b = 0; b < callbacks.size(); b += PER_BLOCK) {
            List<OutcallDelivery> deliveries = new ArrayList<>();
            for (long id : callbacks.subList(b, b + PER_BLOCK)) {
                deliveries.add(OutcallDelivery.response(id, response, certificate));
            }
            replica.execute(Fixture.block(replica.height() + 1, ++time, List.of(), deliveries));
        }
        long deliveryNanos = System.nanoTime() - start;

        assertEquals(OUTCALLS, f.canister.results.size());
        assertEquals(0, replica.openContexts().size());
        long checkpointStart = System.nanoTime();
        int checkpointBytes = replica.checkpoint().length;
        long checkpointNanos = System.nanoTime() - checkpointStart;
        System.out.printf("replica benchmark: %d outcalls on a canister with %d records%n", OUTCALLS, PRELOADED);
        System.out.printf("  signing %d ingress messages (test setup): %d ms%n", OUTCALLS, signNanos / 1_000_000);
        System.out.printf("  verifying %d signatures (done once, at validation): %d ms = %.0f /s%n", OUTCALLS,
                verifyNanos / 1_000_000, OUTCALLS / (verifyNanos / 1e9));
        System.out.printf("  executing %d ingress blocks (update, http_request, state hash): %d ms = %.0f msg/s%n",
                ingressBlocks.size(), ingressNanos / 1_000_000, OUTCALLS / (ingressNanos / 1e9));
        System.out.printf("  executing %d delivery blocks (refund, callback, state hash): %d ms = %.0f deliveries/s%n",
                OUTCALLS / PER_BLOCK, deliveryNanos / 1_000_000, OUTCALLS / (deliveryNanos / 1e9));
        System.out.printf("  checkpoint: %d bytes in %d ms%n", checkpointBytes, checkpointNanos / 1_000_000);
    }
}
