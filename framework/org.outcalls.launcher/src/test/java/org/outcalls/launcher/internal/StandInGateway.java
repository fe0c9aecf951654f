package org.outcalls.launcher.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.IngressMessage;

/**
 * A gateway for the client commands' tests that checks what it relays the way a replica does
 * (the encoding decodes, the signature verifies, the subnet is its own) and answers each message
 * with the record the test set for its method.
 */
final class StandInGateway implements AutoCloseable {
    static final Hash SUBNET = Hash.sha256(new byte[] {4, 2});
    final List<IngressMessage> relayed = new CopyOnWriteArrayList<>();
    /** Record (JSON) answered on GET /api/v1/outcalls/{id}, by the method of the message with that id. */
    final Map<String, String> recordByMethod = new ConcurrentHashMap<>();
    private final Map<String, String> methodById = new ConcurrentHashMap<>();
    private final HttpServer server;

    StandInGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/subnet", ex -> reply(ex, 200, "{\"subnet_id\":\"" + SUBNET.hex() + "\"}"));
        server.createContext("/api/v1/ingress", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                try {
                    IngressMessage m = IngressMessage.decode(ex.getRequestBody().readAllBytes());
                    if (!m.verifySignature() || m.wrongSubnet(SUBNET.hex()) != null) {
                        reply(ex, 400, "{\"error\":{\"status\":400,\"message\":\"bad signature or subnet\"}}");
                        return;
                    }
                    relayed.add(m);
                    methodById.put(m.idHex(), m.method());
                    reply(ex, 202, "{\"id\":\"" + m.idHex() + "\"}");
                } catch (DecodeException e) {
                    reply(ex, 400, "{\"error\":{\"status\":400,\"message\":\"malformed\"}}");
                }
            } else {
                reply(ex, 200, "{\"status\":\"executed\",\"height\":21}");
            }
        });
        server.createContext("/api/v1/outcalls/", ex -> {
            String path = ex.getRequestURI().getPath();
            String id = path.substring(path.lastIndexOf('/') + 1);
            String method = methodById.get(id);
            reply(ex, method == null ? 404 : 200, method == null ? "{\"error\":{\"status\":404,\"message\":\"none\"}}"
                    : recordByMethod.getOrDefault(method, "{\"status\":\"pending\"}").replace("{", "{\"id\":\"" + id + "\","));
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** What one run of the command printed and returned. */
    record Run(int exit, String out, String err) {
    }

    static Run outcalls(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
