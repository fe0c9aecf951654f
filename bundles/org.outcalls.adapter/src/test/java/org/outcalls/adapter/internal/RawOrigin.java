package org.outcalls.adapter.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.outcalls.api.HttpHeader;
import org.outcalls.testkit.origin.TestPki;

/**
 * An HTTPS origin that writes exactly the bytes a test tells it to: real TLS (certificates from
 * {@link TestPki}) over a raw socket, so tests control every header byte, the framing, and can
 * lie, drip or stall. Parses HTTP/1.1 requests (keep-alive: one after another on a connection).
 */
final class RawOrigin implements AutoCloseable {
    /** A request as received. */
    record Request(String method, String target, List<HttpHeader> headers, byte[] body, NetSocket socket, String connection) {
        String header(String name) {
            for (HttpHeader h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }
    }

    private final Vertx vertx;
    private final NetServer server;
    private final Map<String, BiConsumer<Request, NetSocket>> routes = new ConcurrentHashMap<>();

    RawOrigin(Vertx vertx, TestPki.Issued certificate) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createNetServer(new NetServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions()
                                .setCertValue(Buffer.buffer(certificate.certificatePem()))
                                .setKeyValue(Buffer.buffer(certificate.keyPem()))))
                .connectHandler(this::serve);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    String url(String pathAndQuery) {
        return "https://localhost:" + port() + pathAndQuery;
    }

    /** Serves requests whose path (before '?') is {@code path}. */
    RawOrigin route(String path, BiConsumer<Request, NetSocket> handler) {
        routes.put(path, handler);
        return this;
    }

    private void serve(NetSocket socket) {
        Buffer[] pending = {Buffer.buffer()};
        String connection = socket.remoteAddress().toString();
        socket.handler(data -> {
            pending[0].appendBuffer(data);
            while (true) {
                Buffer b = pending[0];
                int end = indexOf(b, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (end < 0) {
                    return;
                }
                String head = b.getString(0, end, "ISO-8859-1");
                String[] lines = head.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                List<HttpHeader> headers = new ArrayList<>();
                long length = 0;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    String name = lines[i].substring(0, colon);
                    String value = new String(lines[i].substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1),
                            StandardCharsets.UTF_8);
                    headers.add(new HttpHeader(name, value));
                    if (name.toLowerCase(Locale.ROOT).equals("content-length")) {
                        length = Long.parseLong(value);
                    }
                }
                if (b.length() < end + 4 + length) {
                    return;
                }
                byte[] body = b.getBytes(end + 4, (int) (end + 4 + length));
                pending[0] = b.getBuffer((int) (end + 4 + length), b.length());
                Request request = new Request(requestLine[0], requestLine[1], headers, body, socket, connection);
                String path = requestLine[1].contains("?") ? requestLine[1].substring(0, requestLine[1].indexOf('?'))
                        : requestLine[1];
                BiConsumer<Request, NetSocket> route = routes.get(path);
                if (route == null) {
                    respond(socket, 404, List.of(new HttpHeader("content-length", "0")), new byte[0]);
                } else {
                    route.accept(request, socket);
                }
            }
        });
    }

    /** Writes a complete response with exactly these headers (the test sets Content-Length itself). */
    static void respond(NetSocket socket, int status, List<HttpHeader> headers, byte[] body) {
        socket.write(head(status, headers));
        if (body.length > 0) {
            socket.write(Buffer.buffer(body));
        }
    }

    static Buffer head(int status, List<HttpHeader> headers) {
        StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        Buffer out = Buffer.buffer(s.toString());
        for (HttpHeader h : headers) {
            out.appendString(h.name()).appendString(": ").appendBytes(h.value().getBytes(StandardCharsets.UTF_8))
                    .appendString("\r\n");
        }
        return out.appendString("\r\n");
    }

    private static int indexOf(Buffer b, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= b.length(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
