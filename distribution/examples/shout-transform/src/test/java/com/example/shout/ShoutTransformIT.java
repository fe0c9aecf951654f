package com.example.shout;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.outcalls.testkit.OutcallsOptions;
import org.outcalls.testkit.origin.TestPki;

/**
 * The plugin bundle inside Felix with the whole Outcalls runtime (4 replicas, the gateway): it
 * resolves, every replica sees it, and an outcall through the REST gateway uses it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShoutTransformIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        // a certificate for the origin the test serves, and its CA for the replicas to trust
        Path certs = Files.createDirectories(Path.of("target", "exam-certs")).toAbsolutePath();
        TestPki pki = TestPki.create("shout-it");
        Path[] server = pki.issueLocalhost().write(certs, "origin");
        Path ca = pki.writeCaPem(certs.resolve("ca.pem"));
        return options(
                OutcallsOptions.runtime().replicas(4).loopbackOrigin(ca).build(),
                bundle(Path.of(System.getProperty("plugin.bundle")).toUri().toString()),
                systemProperty("it.cert").value(server[0].toString()),
                systemProperty("it.key").value(server[1].toString()));
    }

    @Test
    public void anOutcallThroughTheGatewayIsShoutedByEveryReplica() throws Exception {
        String gateway = gateway();
        JsonNode subnet = get(gateway + "api/v1/subnet");
        assertTrue(subnet.toString(), subnet.path("installed_plugins").path("transforms").toString().contains("shout@1.0.0"));

        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Vertx.class.getClassLoader());
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer origin = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(
                            new PemKeyCertOptions().setCertPath(System.getProperty("it.cert")).setKeyPath(System.getProperty("it.key"))))
                    .requestHandler(req -> req.response().putHeader("x-served-at", Long.toString(System.nanoTime()))
                            .end("hello from inside felix"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String request = "{\"url\":\"https://localhost:" + origin.actualPort() + "/\",\"transform\":{\"name\":\"shout\","
                    + "\"context\":\"\"}}";
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/outcalls"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(accepted.body(), 202, accepted.statusCode());
            String id = MAPPER.readTree(accepted.body()).path("id").asText();
            JsonNode result = get(gateway + "api/v1/outcalls/" + id + "?wait=60");
            assertEquals(result.toString(), "completed", result.path("status").asText());
            String body = new String(Base64.getDecoder().decode(result.path("response").path("body").asText()), StandardCharsets.UTF_8);
            assertEquals("HELLO FROM INSIDE FELIX", body);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The gateway's address, from the marker service it registers once it listens. */
    private String gateway() throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(outcalls.gateway.url=*)"), null);
        tracker.open(true);
        try {
            assertNotNull("the gateway did not start", tracker.waitForService(60_000));
            return (String) tracker.getServiceReference().getProperty("outcalls.gateway.url");
        } finally {
            tracker.close();
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return MAPPER.readTree(r.body());
    }
}
