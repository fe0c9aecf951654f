package org.outcalls.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.testkit.origin.TestPki;

/**
 * The adapter as the runtime provides it: an {@link HttpsAdapter} service inside Felix,
 * configured through ConfigurationAdmin (trust the test CA, allow 127.0.0.1), performing a real
 * HTTPS fetch against an origin that runs in the test driver's JVM.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdapterIT {
    private static final String PID = "org.outcalls.adapter";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    /** Runs in the driver: makes the certificates and starts the origin the framework will call. */
    @Configuration
    public Option[] config() throws Exception {
        Path certs = Files.createDirectories(Dist.target().resolve("exam").resolve("adapter-certs"));
        TestPki pki = TestPki.create("adapter-it");
        TestPki.Issued cert = pki.issueLocalhost();
        Path ca = pki.writeCaPem(certs.resolve("ca.pem"));
        Vertx vertx = Vertx.vertx();
        HttpServer origin = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1")
                        .setKeyCertOptions(new PemKeyCertOptions()
                                .setCertValue(io.vertx.core.buffer.Buffer.buffer(cert.certificatePem()))
                                .setKeyValue(io.vertx.core.buffer.Buffer.buffer(cert.keyPem()))))
                .requestHandler(req -> req.body().onSuccess(body -> req.response()
                        .putHeader("X-Origin", "driver")
                        .end("hello " + req.method() + " " + req.uri() + " ua=" + req.getHeader("user-agent"))))
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
        return DistributionOptions.runtime("adapter",
                systemProperty("it.origin.port").value(String.valueOf(origin.actualPort())),
                systemProperty("it.ca").value(ca.toString()));
    }

    @Test
    public void fetchesOverRealHttpsInsideFelix() throws Exception {
        ServiceTracker<HttpsAdapter, HttpsAdapter> tracker = configuredAdapter();
        try {
            fetchFromTheDriversOrigin(tracker.getService());
        } finally {
            tracker.close();
        }
    }

    private static void fetchFromTheDriversOrigin(HttpsAdapter adapter) throws Exception {
        int port = Integer.getInteger("it.origin.port");
        FetchResult result = adapter.fetch(OutcallRequest.builder("https://localhost:" + port + "/hello?x=1").build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertTrue("expected a response, got " + result, result.isResponse());
        HttpResponse response = result.response().orElseThrow();
        assertEquals(200, response.status());
        assertEquals("hello GET /hello?x=1 ua=" + Limits.DEFAULT_USER_AGENT,
                new String(response.body(), StandardCharsets.UTF_8));
        assertTrue(response.headers().stream().anyMatch(h -> h.name().equals("X-Origin") && h.value().equals("driver")));
    }

    @Test
    public void privateDestinationsStayBlockedUnlessAllowed() throws Exception {
        ServiceTracker<HttpsAdapter, HttpsAdapter> tracker = configuredAdapter();
        FetchResult result;
        try {
            result = tracker.getService().fetch(OutcallRequest.builder("https://10.11.12.13/").build())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            tracker.close();
        }
        Reject reject = result.reject().orElseThrow(() -> new AssertionError("expected a reject, got " + result));
        assertEquals(RejectCode.SYS_TRANSIENT, reject.code());
        assertEquals(RejectKind.DESTINATION_BLOCKED, reject.kind());
        assertTrue(reject.message(), reject.message().contains("--allow-target"));
    }

    /**
     * Configures the adapter like {@code outcalls run --trust-ca CA --allow-target 127.0.0.1} and
     * tracks the configured service (kept open while used: the component is delayed, so the last
     * release would deactivate it).
     */
    private ServiceTracker<HttpsAdapter, HttpsAdapter> configuredAdapter() throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(PID, "?");
        if (c.getProperties() == null || c.getProperties().get("trustCa") == null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("trustCa", new String[] {System.getProperty("it.ca")});
            props.put("allowTargets", new String[] {"127.0.0.1"});
            c.update(props);
        }
        ServiceTracker<HttpsAdapter, HttpsAdapter> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + HttpsAdapter.class.getName() + ")(allowTargets=127.0.0.1))"),
                null);
        tracker.open();
        assertNotNull("no configured HttpsAdapter service within 30 s", tracker.waitForService(30_000));
        return tracker;
    }
}
