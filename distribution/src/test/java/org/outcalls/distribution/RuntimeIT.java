package org.outcalls.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.outcalls.testkit.origin.TestPki;

/** Boots the distribution's bundle set in Felix and checks that all of it is alive. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeIT {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws Exception {
        Path certs = Files.createDirectories(Dist.target().resolve("exam").resolve("runtime-certs"));
        TestPki pki = TestPki.create("runtime-it");
        Path[] server = pki.issueLocalhost().write(certs, "server");
        Path ca = pki.writeCaPem(certs.resolve("ca.pem"));
        return DistributionOptions.runtime("runtime",
                systemProperty("it.cert").value(server[0].toString()),
                systemProperty("it.key").value(server[1].toString()),
                systemProperty("it.ca").value(ca.toString()));
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " state " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        List<String> names = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            names.add(b.getSymbolicName());
        }
        for (String required : List.of("org.outcalls.api", "org.outcalls.vertx", "org.apache.felix.scr",
                "org.apache.felix.configadmin", "org.apache.felix.fileinstall", "org.apache.felix.gogo.runtime")) {
            assertTrue(required + " missing from " + names, names.contains(required));
        }
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.defaultEnabled && !scr.isComponentEnabled(d)) {
                problems.add(d.name + " is disabled");
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE
                        || c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    StringBuilder why = new StringBuilder(d.name + " is unsatisfied (state " + c.state + ")");
                    for (UnsatisfiedReferenceDTO r : c.unsatisfiedReferences) {
                        why.append("; missing ").append(r.name).append(' ').append(r.target);
                    }
                    if (c.failure != null) {
                        why.append("; ").append(c.failure);
                    }
                    problems.add(why.toString());
                }
            }
        }
        assertTrue(String.join("\n", problems), problems.isEmpty());
    }

    @Test
    public void vertxServesAndCallsHttpsInsideFelix() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Vert.x captures the context class loader when it starts.
        Thread.currentThread().setContextClassLoader(Vertx.class.getClassLoader());
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                            .setKeyCertOptions(new PemKeyCertOptions()
                                    .setCertPath(System.getProperty("it.cert"))
                                    .setKeyPath(System.getProperty("it.key"))))
                    .requestHandler(req -> req.response().putHeader("x-served-by", "felix").end("hello over tls"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            WebClient client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
                    .setTrustOptions(new PemTrustOptions().addCertPath(System.getProperty("it.ca"))));
            HttpResponse<Buffer> response = client.get(server.actualPort(), "localhost", "/").send()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("felix", response.getHeader("x-served-by"));
            assertEquals("hello over tls", response.bodyAsString());
        } catch (Exception e) {
            fail("HTTPS round trip inside Felix failed: " + e);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
