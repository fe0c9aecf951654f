package org.outcalls.testkit.origin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.outcalls.api.HttpHeader;

/**
 * A real HTTPS origin on loopback with a certificate from its own {@link TestPki}, whose routes a
 * test scripts. A route sees which replica asks (the testkit's subnet tags each replica's requests
 * with {@link #REPLICA_HEADER}), so a test can serve every replica a different answer — the way
 * real APIs make replicas disagree.
 */
public final class ScriptedOrigin implements AutoCloseable {
    /** Header the testkit adds to each replica's requests: the replica's index. */
    public static final String REPLICA_HEADER = "x-outcalls-test-replica";

    /** One request as the origin received it; {@code replica} is -1 when untagged. */
    public record Request(int replica, String method, String path, String query, List<HttpHeader> headers, byte[] body) {
        public String header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HttpHeader::value).findFirst().orElse(null);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What a route answers. */
    public record Reply(int status, List<HttpHeader> headers, byte[] body) {
        public static Reply text(String body) {
            return new Reply(200, List.of(new HttpHeader("content-type", "text/plain")), body.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply json(String body) {
            return new Reply(200, List.of(new HttpHeader("content-type", "application/json")),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        /** Never answers: the connection stays open until the client gives up. */
        public static Reply never() {
            return NEVER;
        }

        /**
         * 200 at once, then a body of x's that never ends, until the client goes away: a chunk per
         * interval at the path's {@link ScriptedOrigin#pace}, else one byte a second.
         */
        public static Reply endless() {
            return ENDLESS;
        }

        public Reply withHeader(String name, String value) {
            List<HttpHeader> h = new ArrayList<>(headers);
            h.add(new HttpHeader(name, value));
            return new Reply(status, h, body);
        }
    }

    private static final Reply NEVER = new Reply(599, List.of(), new byte[0]);
    /** Marks an endless reply; kept by {@link Reply#withHeader}, never sent. */
    private static final String ENDLESS_HEADER = "x-scripted-origin-endless";
    private static final Reply ENDLESS = new Reply(200, List.of(new HttpHeader("content-type", "text/plain"),
            new HttpHeader(ENDLESS_HEADER, "x")), new byte[] {'x'});

    /** A scripted route. */
    @FunctionalInterface
    public interface Route {
        Reply handle(Request request);
    }

    private final Vertx vertx;
    private final boolean ownVertx;
    private final HttpServer server;
    private final Path caPem;
    private final Path dir;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Pace> paces = new ConcurrentHashMap<>();
    private final AtomicInteger dribbling = new AtomicInteger();
    private final Map<String, List<Request>> received = new ConcurrentHashMap<>();

    private ScriptedOrigin(Vertx vertx, boolean ownVertx) throws Exception {
        this(vertx, ownVertx, 0);
    }

    private ScriptedOrigin(Vertx vertx, boolean ownVertx, int port) throws Exception {
        this.vertx = vertx;
        this.ownVertx = ownVertx;
        this.dir = Files.createTempDirectory("outcalls-origin");
        TestPki pki = TestPki.create("outcalls scripted origin");
        Path[] server = pki.issueLocalhost().write(dir, "origin");
        this.caPem = pki.writeCaPem(dir.resolve("ca.pem"));
        this.server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(server[0].toString()).setKeyPath(server[1].toString())))
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts an origin on its own Vert.x. */
    public static ScriptedOrigin start() throws Exception {
        return new ScriptedOrigin(Vertx.vertx(), true);
    }

    /** Starts an origin on the given Vert.x (not closed with the origin). */
    public static ScriptedOrigin start(Vertx vertx) throws Exception {
        return new ScriptedOrigin(vertx, false);
    }

    /** Starts an origin on the given Vert.x and loopback port (0: any free one). */
    public static ScriptedOrigin start(Vertx vertx, int port) throws Exception {
        return new ScriptedOrigin(vertx, false, port);
    }

    /** Scripts a path (exact match, without the query). */
    public ScriptedOrigin route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /**
     * Sends the bodies of a path's replies slowly: in chunks of {@code chunkBytes}, one per
     * {@code interval} (chunked transfer encoding, the head at once). A body that never ends:
     * {@link Reply#endless}.
     */
    public ScriptedOrigin pace(String path, int chunkBytes, Duration interval) {
        if (chunkBytes < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("pace: chunkBytes at least 1 and a positive interval, were " + chunkBytes
                    + " and " + interval);
        }
        paces.put(path, new Pace(chunkBytes, interval.toMillis() < 1 ? 1 : interval.toMillis()));
        return this;
    }

    /** {@code https://localhost:<port><path>}. */
    public String url(String path) {
        return "https://localhost:" + server.actualPort() + path;
    }

    public int port() {
        return server.actualPort();
    }

    /** The CA certificate that signed the origin's certificate, as PEM: what the adapter must trust. */
    public Path caPem() {
        return caPem;
    }

    /** Requests received on a path so far. */
    public List<Request> requests(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    public void clearRequests() {
        received.clear();
    }

    private void handle(HttpServerRequest req) {
        req.body().onComplete(ar -> {
            byte[] body = ar.succeeded() ? ar.result().getBytes() : new byte[0];
            List<HttpHeader> headers = new ArrayList<>();
            req.headers().forEach(e -> headers.add(new HttpHeader(e.getKey(), e.getValue())));
            String tag = req.getHeader(REPLICA_HEADER);
            int replica;
            try {
                replica = tag == null ? -1 : Integer.parseInt(tag);
            } catch (NumberFormatException e) {
                replica = -1;
            }
            Request r = new Request(replica, req.method().name(), req.path(), req.query(), headers, body);
            received.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(r);
            Route route = routes.get(req.path());
            Reply reply;
            try {
                reply = route == null ? new Reply(404, List.of(), ("no route " + req.path()).getBytes(StandardCharsets.UTF_8))
                        : route.handle(r);
            } catch (RuntimeException e) {
                reply = new Reply(500, List.of(), e.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (reply == NEVER) {
                return;
            }
            var response = req.response().setStatusCode(reply.status());
            boolean endless = false;
            for (HttpHeader h : reply.headers()) {
                if (h.name().equals(ENDLESS_HEADER)) {
                    endless = true;
                } else {
                    response.headers().add(h.name(), h.value());
                }
            }
            Pace pace = paces.get(req.path());
            if (pace == null && !endless) {
                response.end(Buffer.buffer(reply.body()));
                return;
            }
            response.setChunked(true);
            Pace p = pace != null ? pace : new Pace(1, 1000);
            if (endless) {
                dribbling.incrementAndGet();
                response.closeHandler(v -> dribbling.decrementAndGet()); // the client went away: the only end
                dribbleForever(response, reply.body()[0], p);
            } else {
                dribble(response, reply.body(), 0, p);
            }
        });
    }

    private record Pace(int chunkBytes, long intervalMillis) {
    }

    private void dribble(HttpServerResponse response, byte[] body, int from, Pace pace) {
        if (response.closed()) {
            return;
        }
        int to = Math.min(body.length, from + pace.chunkBytes());
        if (to == body.length) {
            response.end(Buffer.buffer(Arrays.copyOfRange(body, from, to)));
            return;
        }
        response.write(Buffer.buffer(Arrays.copyOfRange(body, from, to)));
        next(response, pace, () -> dribble(response, body, to, pace));
    }

    private void dribbleForever(HttpServerResponse response, byte filler, Pace pace) {
        if (response.closed()) {
            return;
        }
        byte[] chunk = new byte[pace.chunkBytes()];
        Arrays.fill(chunk, filler);
        response.write(Buffer.buffer(chunk));
        next(response, pace, () -> dribbleForever(response, filler, pace));
    }

    /** The next chunk after the pace's interval, and not before the client has read what is queued. */
    private void next(HttpServerResponse response, Pace pace, Runnable chunk) {
        vertx.setTimer(pace.intervalMillis(), t -> {
            if (response.writeQueueFull()) {
                response.drainHandler(v -> chunk.run());
            } else {
                chunk.run();
            }
        });
    }

    /** Endless bodies being sent right now. */
    int dribbling() {
        return dribbling.get();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (ownVertx) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("origin did not close", e);
        }
    }
}
