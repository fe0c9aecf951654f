package com.example.shout;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
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
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * The plugin bundle inside Felix with the whole Outcalls runtime (4 replicas, the gateway), enabled
 * at its bundle's version: every replica has it, and an outcall through the REST gateway uses it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShoutTransformIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        // runs in the test's own JVM, which serves the origin while the framework runs
        ScriptedOrigin origin = ScriptedOrigin.start().route("/hello", r -> ScriptedOrigin.Reply.text("hello from the origin")
                .withHeader("x-served-at", Long.toString(System.nanoTime())));
        String shout = "shout@" + System.getProperty("plugin.version");
        return options(
                OutcallsOptions.runtime().replicas(4).loopbackOrigin(origin.caPem()).enable(shout).build(),
                bundle(Path.of(System.getProperty("plugin.bundle")).toUri().toString()),
                systemProperty("it.shout").value(shout),
                systemProperty("it.url").value(origin.url("/hello")));
    }

    @Test
    public void anOutcallThroughTheGatewayIsShoutedByEveryReplica() throws Exception {
        String gateway = gateway();
        JsonNode subnet = MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/subnet")).build(),
                BodyHandlers.ofString()).body());
        assertTrue(subnet.toString(), subnet.path("installed_plugins").path("transforms").toString()
                .contains(System.getProperty("it.shout")));

        String request = "{\"url\":\"" + System.getProperty("it.url") + "\",\"transform\":{\"name\":\"shout\"}}";
        String accepted = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/outcalls"))
                .header("content-type", "application/json").POST(BodyPublishers.ofString(request)).build(),
                BodyHandlers.ofString()).body();
        String id = MAPPER.readTree(accepted).path("id").asText();
        JsonNode result = MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/outcalls/" + id
                + "?wait=60")).build(), BodyHandlers.ofString()).body());
        assertEquals(result.toString(), "completed", result.path("status").asText());
        assertEquals("HELLO FROM THE ORIGIN", new String(Base64.getDecoder().decode(
                result.path("response").path("body").asText()), StandardCharsets.UTF_8));
    }

    /** The gateway's address, from the marker service it registers once it listens. */
    private String gateway() throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, context.createFilter("(outcalls.gateway.url=*)"), null);
        tracker.open(true);
        try {
            assertNotNull("the gateway did not start", tracker.waitForService(60_000));
            return (String) tracker.getServiceReference().getProperty("outcalls.gateway.url");
        } finally {
            tracker.close();
        }
    }
}
