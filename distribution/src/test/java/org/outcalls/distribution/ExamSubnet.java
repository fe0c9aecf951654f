package org.outcalls.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetBusyException;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.local.LocalSubnet;

/**
 * Inside the framework: configures the distribution's components through ConfigurationAdmin the
 * way {@code outcalls run} does (adapter trusting the test origin's CA, gateway on a free port, a
 * new 4-replica subnet with the given settings), waits until the gateway serves that new subnet,
 * and makes outcalls through the proxy canister.
 */
final class ExamSubnet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    /** How long a submission is made again while the subnet answers busy. */
    private static final Duration BUSY = Duration.ofSeconds(120);

    private final BundleContext context;
    final SubnetNode node;
    final String gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ExamSubnet(BundleContext context, SubnetNode node, String gateway) {
        this.context = context;
        this.node = node;
        this.gateway = gateway;
    }

    /**
     * A new subnet (new genesis) with these {@code org.outcalls.subnet.embedded} settings on top of
     * fast consensus timing; returns once the gateway answers for it.
     */
    static ExamSubnet start(BundleContext context, ConfigurationAdmin cm, String dataDir, Map<String, Object> settings)
            throws Exception {
        String ca = Objects.requireNonNull(System.getProperty("it.ca"), "it.ca");
        org.osgi.service.cm.Configuration adapter = cm.getConfiguration("org.outcalls.adapter", "?");
        if (adapter.getProperties() == null || adapter.getProperties().get("trustCa") == null) {
            adapter.update(props("trustCa", new String[] {ca}, "allowTargets", new String[] {"127.0.0.1"}));
        }
        org.osgi.service.cm.Configuration gw = cm.getConfiguration("org.outcalls.gateway", "?");
        if (gw.getProperties() == null) {
            gw.update(props("port", 0));
        }
        String before = currentSubnetId(context);
        Dictionary<String, Object> subnet = props("replicas", 4, "dataDir", dataDir, "rankDelayMillis", 100L,
                "heartbeatMillis", 500L);
        settings.forEach(subnet::put);
        cm.getConfiguration("org.outcalls.subnet.embedded", "?").update(subnet);

        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            String now = currentSubnetId(context);
            if (now != null && !now.equals(before)) {
                ServiceReference<?>[] gateways = context.getServiceReferences((String) null, "(outcalls.gateway.url=*)");
                ServiceReference<SubnetNode> ref = context.getServiceReference(SubnetNode.class);
                if (gateways != null && ref != null) {
                    String url = (String) gateways[0].getProperty("outcalls.gateway.url");
                    ExamSubnet s = new ExamSubnet(context, context.getService(ref), url);
                    try {
                        if (now.equals(s.rest("api/v1/subnet").path("subnet_id").asText())) {
                            return s;
                        }
                    } catch (IOException e) {
                        // the gateway is being restarted for the new subnet
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no new subnet behind the gateway within " + START);
    }

    private static String currentSubnetId(BundleContext context) {
        ServiceReference<SubnetNode> ref = context.getServiceReference(SubnetNode.class);
        if (ref == null) {
            return null;
        }
        SubnetNode n = context.getService(ref);
        try {
            return n == null ? null : n.status().subnetId();
        } finally {
            context.ungetService(ref);
        }
    }

    static Dictionary<String, Object> props(Object... keyValues) {
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    LocalSubnet local() {
        return (LocalSubnet) node;
    }

    List<Replica> replicas() {
        return local().replicas();
    }

    /** Submits a REST request document to the proxy canister; returns its id. */
    String submit(String requestJson) {
        byte[] argument;
        try {
            argument = org.outcalls.canister.proxy.OutcallJson.writeArgument(
                    org.outcalls.canister.proxy.OutcallJson.parseRequest(requestJson.getBytes(StandardCharsets.UTF_8)));
        } catch (org.outcalls.canister.proxy.RequestJsonException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return node.submit(ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL, argument).toCompletableFuture().join();
    }

    /** The proxy's record now, or null if it has none yet. */
    JsonNode record(String id) throws IOException {
        try {
            byte[] r = node.query(ProxyProtocol.CANISTER_ID, ProxyProtocol.QUERY_GET, id.getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture().join();
            return JSON.readTree(r);
        } catch (CompletionException e) {
            if (String.valueOf(e.getCause() == null ? null : e.getCause().getMessage()).startsWith(ProxyProtocol.NOT_FOUND_PREFIX)) {
                return null;
            }
            throw e;
        }
    }

    /** Waits until the outcall is completed or rejected. */
    JsonNode await(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode r = null;
        while (System.nanoTime() < deadline) {
            r = record(id);
            if (r != null && !ProxyProtocol.STATUS_PENDING.equals(r.path("status").asText())) {
                return r;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("outcall " + id + " has no result after " + timeout + "; now: " + r);
    }

    JsonNode call(String requestJson) throws Exception {
        return await(whenNotBusy(() -> submit(requestJson)), Duration.ofSeconds(60));
    }

    /** The busy refusal behind a failed submission, or null if it failed for another reason. */
    static SubnetBusyException busy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SubnetBusyException b) {
                return b;
            }
        }
        return null;
    }

    /**
     * Makes a submission, again after each busy refusal (nothing entered the pool: the caller is told
     * to come back after {@code Retry-After}), for up to {@link #BUSY}; other failures are thrown.
     */
    static <T> T whenNotBusy(java.util.function.Supplier<T> submission) throws InterruptedException {
        long deadline = System.nanoTime() + BUSY.toNanos();
        while (true) {
            try {
                return submission.get();
            } catch (RuntimeException e) {
                SubnetBusyException b = busy(e);
                if (b == null || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(Math.max(1, b.retryAfterSeconds()) * 1000L);
            }
        }
    }

    /** Waits until the message was executed (or failed) in a block; returns that block's height. */
    SubnetNode.IngressState executed(String messageId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            SubnetNode.IngressState s = node.ingressState(messageId);
            if (s.status() != SubnetNode.IngressState.Status.RECEIVED && s.status() != SubnetNode.IngressState.Status.UNKNOWN) {
                return s;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("message " + messageId + " was not executed within 120 s");
    }

    /** Transforms the subnet has bound right now, as {@code name@version}. */
    List<String> installedTransforms() {
        return node.status().installedPlugins().get("transforms");
    }

    /** Waits until the subnet has exactly these versions of a transform bound (none: an empty list). */
    void awaitTransform(String name, List<String> versions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> want = versions.stream().map(v -> name + "@" + v).sorted().toList();
        List<String> have = null;
        while (System.nanoTime() < deadline) {
            have = installedTransforms().stream().filter(t -> t.startsWith(name + "@")).sorted().toList();
            if (have.equals(want)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("transform " + name + ": wanted " + want + ", the subnet has " + have);
    }

    /** The highest height every replica has executed, and the highest any has. */
    long minExecuted() {
        return replicas().stream().mapToLong(Replica::height).min().orElse(0);
    }

    long maxExecuted() {
        return replicas().stream().mapToLong(Replica::height).max().orElse(0);
    }

    /** Waits until every replica has executed at least {@code height}. */
    void awaitExecuted(long height) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (minExecuted() < height) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every replica executed height " + height + " within 120 s");
            }
            Thread.sleep(10);
        }
    }

    JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    HttpResponse<String> postBytes(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    BundleContext context() {
        return context;
    }
}
