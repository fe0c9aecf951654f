package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.OutcallRequest;

/** The benchmark's origin in its own JVM, fetched through the adapters the benchmark's replicas use. */
class OriginProcessTest {
    @TempDir
    Path dir;

    @Test
    void servesDataAndHoldsTheSlowReplicasUntilReleased() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (OriginProcess origin = OriginProcess.start(System.getProperty("java.class.path"), dir.resolve("origin.log"));
             Adapters adapters = new Adapters(vertx, origin.caPem(), 2)) {
            FetchResult data = fetch(adapters.forReplica(0), origin.url("/data?size=1000"));
            assertEquals(200, data.response().orElseThrow().status(), data.toString());
            assertEquals(1000, data.response().get().body().length);

            // replica 0 is answered at once, replica 1 is held
            String hold = origin.url("/hold?answer=1&size=16");
            FetchResult answered = fetch(adapters.forReplica(0), hold);
            assertEquals(16, answered.response().orElseThrow().body().length);
            CompletableFuture<FetchResult> held = adapters.forReplica(1).fetch(OutcallRequest.builder(hold).build())
                    .toCompletableFuture();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (origin.stats()[1] < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, origin.stats()[1], "one request held");
            assertFalse(held.isDone());
            assertEquals(1, origin.release());
            assertEquals(16, held.get(10, TimeUnit.SECONDS).response().orElseThrow().body().length);
            // after a release the origin answers everyone until it holds again
            assertEquals(16, fetch(adapters.forReplica(1), hold).response().orElseThrow().body().length);
            origin.hold();
            assertEquals(4, origin.stats()[0], "requests served: data, answered, held, after release");
            assertTrue(origin.cpuNanos() > 0);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static FetchResult fetch(HttpsAdapter adapter, String url) throws Exception {
        return adapter.fetch(OutcallRequest.builder(url).build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
