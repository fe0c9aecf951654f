package org.outcalls.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Hashtable;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Issue 5 inside Felix with the distribution's bundles: configure a 4-replica subnet, then make an
 * agreed outcall to a real HTTPS origin through the REST gateway.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OutcallIT {
    private static Object origin;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] config() throws Exception {
        ScriptedOrigin fixed = DriverOrigins.fixed("agreed inside felix");
        origin = fixed;
        return DistributionOptions.runtime("outcall",
                systemProperty("it.origin").value(fixed.url("/fixed")),
                systemProperty("it.ca").value(fixed.caPem().toString()),
                systemProperty("it.data").value(Dist.target().resolve("exam").resolve("outcall-data").toString()));
    }

    @Test
    public void agreedOutcallThroughRestInsideFelix() throws Exception {
        configure("org.outcalls.adapter", "trustCa", new String[] {System.getProperty("it.ca")},
                "allowTargets", new String[] {"127.0.0.1"});
        configure("org.outcalls.subnet.embedded", "replicas", 4, "dataDir", Path.of(System.getProperty("it.data")).toString());
        configure("org.outcalls.gateway", "port", 0);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(outcalls.gateway.url=*)"), null);
        tracker.open(true);
        try {
            assertTrue("the gateway did not come up", tracker.waitForService(30_000) != null);
            String gateway = (String) tracker.getServiceReference().getProperty("outcalls.gateway.url");
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/outcalls"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + System.getProperty("it.origin") + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(accepted.body(), 202, accepted.statusCode());
            String id = json.readTree(accepted.body()).path("id").asText();
            JsonNode result = null;
            for (int i = 0; i < 6 && (result == null || "pending".equals(result.path("status").asText())); i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/outcalls/" + id + "?wait=10"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                result = json.readTree(r.body());
            }
            assertEquals(result.toString(), "completed", result.path("status").asText());
            assertEquals("agreed inside felix", new String(Base64.getDecoder()
                    .decode(result.path("response").path("body").asText()), StandardCharsets.UTF_8));
            assertTrue(result.toString(), result.path("certificate").asText().length() > 100);
            HttpResponse<String> subnet = http.send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/subnet")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode status = json.readTree(subnet.body());
            assertEquals(4, status.path("replicas").size());
            assertTrue(subnet.body(), status.path("state_hash_agreement").asBoolean());
        } finally {
            tracker.close();
        }
    }

    private void configure(String pid, Object... keyValues) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        configurationAdmin.getConfiguration(pid, "?").update(props);
    }
}
