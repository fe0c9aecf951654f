package org.outcalls.adapter.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.outcalls.api.OutcallRequest;

/**
 * A benchmark, not a test (the build excludes it): fetches per second through the adapter
 * against a plain Vert.x HTTP client baseline, measured in the same run against the same local
 * HTTPS origin (HTTP/1.1 keep-alive, 1 KiB bodies, 64 in flight, 16 connections).
 *
 * <pre>mvn -q -o test -pl bundles/org.outcalls.adapter -Dtest=AdapterBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Results: {@code target/benchmark.txt}. Sizes: {@code -Dbench.fetches=20000 -Dbench.concurrency=64}.
 */
class AdapterBenchmark {
    private static final int FETCHES = Integer.getInteger("bench.fetches", 20_000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);
    private static final int ROUNDS = 5;

    @Test
    void fetchesPerSecond() throws Exception {
        Vertx originVertx = Vertx.vertx();
        Vertx vertx = Vertx.vertx();
        var cert = AdapterFixture.PKI.issueLocalhost();
        Buffer body = Buffer.buffer(new byte[1024]);
        HttpServer server = originVertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert.certificatePem()))
                                .setKeyValue(Buffer.buffer(cert.keyPem()))))
                .requestHandler(req -> req.response().putHeader("content-type", "application/octet-stream").end(body))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String url = "https://localhost:" + server.actualPort() + "/bench";
        HttpClientAgent plain = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setSsl(true).setVerifyHost(true)
                        .setTrustOptions(new PemTrustOptions().addCertPath(AdapterFixture.caPem().toString())))
                .with(new PoolOptions().setHttp1MaxSize(AdapterSettings.DEFAULT_MAX_CONNECTIONS_PER_HOST))
                .build();
        RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url);
        Supplier<CompletableFuture<?>> baseline = () -> plain.request(get)
                .compose(req -> req.send().compose(resp -> resp.body()))
                .toCompletionStage().toCompletableFuture();
        VertxHttpsAdapter adapter = new VertxHttpsAdapter(vertx, AdapterFixture.testSettings().build());
        OutcallRequest request = OutcallRequest.builder(url).build();
        Supplier<CompletableFuture<?>> viaAdapter = () -> adapter.fetch(request).toCompletableFuture()
                .thenApply(r -> {
                    if (!r.isResponse()) {
                        throw new IllegalStateException(r.toString());
                    }
                    return r;
                });

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "machine: %d cores (%s), Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), cpuName(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        report.append(String.format(Locale.ROOT, "workload: %,d GETs of 1 KiB over HTTPS (TLS 1.3, HTTP/1.1 keep-alive) on loopback, "
                + "%d in flight, %d connections; after 2 warm-up rounds, best of %d rounds%n", FETCHES, CONCURRENCY,
                AdapterSettings.DEFAULT_MAX_CONNECTIONS_PER_HOST, ROUNDS));
        // Warm-up (JIT, TLS sessions, pools), not reported.
        for (int i = 0; i < 2; i++) {
            run(baseline, FETCHES);
            run(viaAdapter, FETCHES);
        }
        double bestPlain = 0;
        double bestAdapter = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            double p = run(baseline, FETCHES);
            double a = run(viaAdapter, FETCHES);
            report.append(String.format(Locale.ROOT, "round %d: plain Vert.x client %,.0f fetches/s, adapter %,.0f fetches/s%n",
                    round, p, a));
            bestPlain = Math.max(bestPlain, p);
            bestAdapter = Math.max(bestAdapter, a);
        }
        report.append(String.format(Locale.ROOT, "best: plain Vert.x client %,.0f fetches/s; adapter %,.0f fetches/s (%.0f%% of the baseline)%n",
                bestPlain, bestAdapter, 100 * bestAdapter / bestPlain));
        System.out.print(report);
        Files.writeString(Path.of("target", "benchmark.txt"), report);
        adapter.close();
        plain.close();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        originVertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** Runs {@code total} operations, {@link #CONCURRENCY} at a time; returns operations per second. */
    private static double run(Supplier<CompletableFuture<?>> op, int total) throws Exception {
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger finished = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Runnable> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (started.incrementAndGet() > total) {
                    return;
                }
                op.get().whenComplete((r, e) -> {
                    if (e != null) {
                        all.completeExceptionally(e);
                        return;
                    }
                    if (finished.incrementAndGet() == total) {
                        all.complete(null);
                    } else {
                        next[0].run();
                    }
                });
            };
            workers.add(next[0]);
        }
        workers.forEach(Runnable::run);
        all.get(10, TimeUnit.MINUTES);
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    private static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

}
