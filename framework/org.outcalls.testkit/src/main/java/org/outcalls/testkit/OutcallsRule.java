package org.outcalls.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.rules.ExternalResource;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * A JUnit 4 rule for plugin and canister authors: before each test (or once, as a
 * {@code @ClassRule}) it starts a scripted HTTPS origin on loopback and an in-JVM subnet of n
 * replicas that trusts it, with the standard plugins, the plugins under test and any fault mode;
 * after, it stops both.
 *
 * <pre>{@code
 * @Rule public final OutcallsRule outcalls = OutcallsRule.replicas(4)
 *         .plugin(new ShoutTransform())
 *         .route("/hello", r -> ScriptedOrigin.Reply.text("hello"));
 *
 * @Test public void shouts() throws Exception {
 *     JsonNode r = outcalls.call(outcalls.get("/hello").transform("shout", ""));
 *     assertEquals("HELLO", outcalls.bodyText(r));
 * }
 * }</pre>
 *
 * Each replica's request carries {@link ScriptedOrigin#REPLICA_HEADER}, so a route can answer
 * replicas differently and make them disagree.
 */
public final class OutcallsRule extends ExternalResource {
    private final int replicas;
    private final List<Consumer<TestSubnet.Builder>> plugins = new ArrayList<>();
    private final Map<String, ScriptedOrigin.Route> routes = new LinkedHashMap<>();
    private final List<Consumer<TestSubnet.Builder>> customizers = new ArrayList<>();
    private boolean standardPlugins = true;
    private int faulty;
    private LocalSubnet.Fault fault = LocalSubnet.Fault.NONE;
    private ScriptedOrigin origin;
    private TestSubnet subnet;

    private OutcallsRule(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas: at least 1 (was " + replicas + ")");
        }
        this.replicas = replicas;
    }

    /** A rule for a subnet of n replicas (f = ⌊(n−1)/3⌋ faults tolerated). */
    public static OutcallsRule replicas(int n) {
        return new OutcallsRule(n);
    }

    /**
     * Installs a plugin under test (a Transform, AgreementPolicy or MethodSupport, named by its
     * {@code @TransformName} or {@code @PolicyName}) on every replica at {@code version}, and enables
     * it. The version stands for its bundle's: {@code major.minor.micro}.
     */
    public OutcallsRule plugin(Object plugin, String version) {
        plugins.add(b -> b.plugin(plugin, version));
        return this;
    }

    /** {@link #plugin(Object, String)} at version {@value TestSubnet#DEFAULT_PLUGIN_VERSION}. */
    public OutcallsRule plugin(Object plugin) {
        return plugin(plugin, TestSubnet.DEFAULT_PLUGIN_VERSION);
    }

    /** Without the standard plugins (default: with them, as {@code outcalls run}). */
    public OutcallsRule withoutStandardPlugins() {
        standardPlugins = false;
        return this;
    }

    /** The last k replicas misbehave: crash, silent, equivocate, forge, forge_outcalls. */
    public OutcallsRule faulty(int k, LocalSubnet.Fault mode) {
        this.faulty = k;
        this.fault = mode;
        return this;
    }

    /** Scripts a path of the origin. */
    public OutcallsRule route(String path, ScriptedOrigin.Route route) {
        routes.put(path, route);
        return this;
    }

    /** Anything else the subnet builder offers (timing, timeouts, network conditions, canisters...). */
    public OutcallsRule configure(Consumer<TestSubnet.Builder> customizer) {
        customizers.add(customizer);
        return this;
    }

    @Override
    protected void before() throws Throwable {
        origin = ScriptedOrigin.start();
        routes.forEach(origin::route);
        TestSubnet.Builder b = TestSubnet.builder().replicas(replicas).origin(origin);
        if (faulty > 0) {
            b.faulty(faulty, fault);
        }
        if (standardPlugins) {
            StandardPlugins.installOn(b);
        }
        plugins.forEach(p -> p.accept(b));
        b.enableInstalled();
        customizers.forEach(c -> c.accept(b));
        subnet = b.start();
    }

    @Override
    protected void after() {
        try {
            if (subnet != null) {
                subnet.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the test subnet did not stop", e);
        } finally {
            subnet = null;
            if (origin != null) {
                origin.close();
                origin = null;
            }
        }
    }

    public TestSubnet subnet() {
        return require(subnet);
    }

    public ScriptedOrigin origin() {
        return require(origin);
    }

    /** {@code https://localhost:<port><path>} of the origin. */
    public String url(String path) {
        return origin().url(path);
    }

    /** A GET of the origin's path, to refine and {@link #call}. */
    public OutcallJson get(String path) {
        return OutcallJson.get(url(path));
    }

    /** Makes the outcall through the proxy canister, as a REST client would, and waits (60 s at most) for its record. */
    public JsonNode call(OutcallJson request) throws InterruptedException {
        return subnet().call(request.toJson());
    }

    public JsonNode call(String requestJson) throws InterruptedException {
        return subnet().call(requestJson);
    }

    public JsonNode call(OutcallJson request, Duration timeout) throws InterruptedException {
        return subnet().await(subnet().submit(request.toJson()), timeout);
    }

    /** The response body of a completed record, as UTF-8 text. */
    public String bodyText(JsonNode record) {
        return OutcallJson.bodyText(record);
    }

    private static <T> T require(T t) {
        if (t == null) {
            throw new IllegalStateException("the rule is not running: use it as a @Rule or @ClassRule");
        }
        return t;
    }
}
