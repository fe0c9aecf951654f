package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.outcalls.testkit.origin.TestPki;

/**
 * The benchmark's HTTPS origin, in a JVM of its own so that its CPU time and heap are not
 * counted as the client's. HTTP/1.1 keep-alive with TLS on loopback, a certificate from a
 * throwaway CA ({@link TestPki}).
 *
 * <ul>
 * <li>{@code GET /data?size=N}: 200 with N bytes (default 1024) of {@code application/octet-stream}.</li>
 * <li>{@code GET /hold?answer=K&size=N}: answers at once a request whose {@value #REPLICA_HEADER} is below
 * K; holds the others until the command {@code release}.</li>
 * </ul>
 *
 * Protocol on the standard streams: prints {@code ORIGIN <port> <ca.pem>} once listening; then
 * reads commands, one per line, answering each with one line: {@code release} (answers the held
 * requests and every later one; prints how many were held), {@code hold} (holds again), {@code stats}
 * ({@code <requests> <held> <connections accepted>}), {@code quit}.
 */
public final class OriginMain {
    /** Header the benchmark's replicas add to {@code /hold} requests: the replica's index. */
    public static final String REPLICA_HEADER = "x-bench-replica";

    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong CONNECTIONS = new AtomicLong();
    private static final List<Runnable> HELD = new ArrayList<>();
    /** Whether {@code /hold} holds (until {@code release}) or answers everyone (until {@code hold}). */
    private static volatile boolean holding = true;

    private OriginMain() {
    }

    public static void main(String[] args) throws Exception {
        // Standard output is the protocol channel: whatever logs to the console goes to standard error.
        java.io.PrintStream protocol = System.out;
        System.setOut(System.err);
        Path dir = Files.createTempDirectory("outcalls-bench-origin");
        TestPki pki = TestPki.create("outcalls bench origin");
        Path[] cert = pki.issueLocalhost().write(dir, "origin");
        Path ca = pki.writeCaPem(dir.resolve("ca.pem"));
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert[0].toString()).setKeyPath(cert[1].toString())))
                .requestHandler(OriginMain::handle)
                .connectionHandler(c -> CONNECTIONS.incrementAndGet())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        protocol.println("ORIGIN " + server.actualPort() + " " + ca.toAbsolutePath());
        protocol.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.strip()) {
                case "hold" -> {
                    holding = true;
                    protocol.println("holding");
                }
                case "release" -> {
                    List<Runnable> held;
                    synchronized (HELD) {
                        holding = false;
                        held = new ArrayList<>(HELD);
                        HELD.clear();
                    }
                    held.forEach(Runnable::run);
                    protocol.println(held.size());
                }
                case "stats" -> {
                    int held;
                    synchronized (HELD) {
                        held = HELD.size();
                    }
                    protocol.println(REQUESTS.get() + " " + held + " " + CONNECTIONS.get());
                }
                case "quit" -> {
                    server.close();
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    System.exit(0);
                }
                default -> protocol.println("unknown command " + line);
            }
            protocol.flush();
        }
        System.exit(0); // the benchmark went away
    }

    private static void handle(HttpServerRequest req) {
        REQUESTS.incrementAndGet();
        int size = intParam(req, "size", 1024);
        Runnable answer = () -> req.response().putHeader("content-type", "application/octet-stream")
                .end(Buffer.buffer(new byte[size]));
        switch (req.path()) {
            case "/data" -> answer.run();
            case "/hold" -> {
                int replica;
                try {
                    replica = Integer.parseInt(String.valueOf(req.getHeader(REPLICA_HEADER)));
                } catch (NumberFormatException e) {
                    replica = Integer.MAX_VALUE;
                }
                if (replica < intParam(req, "answer", 0)) {
                    answer.run();
                    return;
                }
                io.vertx.core.Context context = Vertx.currentContext();
                synchronized (HELD) {
                    if (holding) {
                        HELD.add(() -> context.runOnContext(v -> answer.run()));
                        return;
                    }
                }
                answer.run();
            }
            default -> req.response().setStatusCode(404).end("no route " + req.path());
        }
    }

    private static int intParam(HttpServerRequest req, String name, int otherwise) {
        String v = req.getParam(name);
        try {
            return v == null ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
