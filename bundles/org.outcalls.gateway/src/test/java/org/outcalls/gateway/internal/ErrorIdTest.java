package org.outcalls.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.outcalls.replica.SubnetStatus;
import org.slf4j.LoggerFactory;

/** A handler that throws answers 500 with an error id and none of the exception's text; the log has the id and the trace. */
class ErrorIdTest {
    private static final String SECRET = "/var/lib/outcalls/secret-path";

    @Test
    void aFailingHandlerGives500WithAnErrorIdAndTheLogHasIt() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger("org.outcalls.gateway");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        Vertx vertx = Vertx.vertx();
        InMemoryNode broken = new InMemoryNode() {
            @Override
            public SubnetStatus status() {
                throw new IllegalStateException("cannot read " + SECRET);
            }
        };
        GatewayServer server = GatewayServer.start(vertx, broken, GatewaySettings.of("127.0.0.1", 0));
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/subnet")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode(), r.body());
            JsonNode error = new ObjectMapper().readTree(r.body()).path("error");
            String id = error.path("error_id").asText();
            assertTrue(id.matches("[0-9a-f]{16}"), "an error id: " + r.body());
            assertFalse(r.body().contains("secret") || r.body().contains("IllegalState"), "no exception text: " + r.body());
            assertTrue(error.path("message").asText().contains(id), r.body());
            ILoggingEvent logged = captured.list.stream().filter(e -> e.getFormattedMessage().contains(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log line has " + id + ": " + captured.list));
            assertNotNull(logged.getThrowableProxy(), "logged with the stack trace");
            assertTrue(logged.getThrowableProxy().getMessage().contains(SECRET));
            assertTrue(logged.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        } finally {
            log.detachAppender(captured);
            server.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
