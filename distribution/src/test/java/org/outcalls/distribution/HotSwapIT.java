package org.outcalls.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot swap inside Felix with the distribution's bundles, on a 4-replica subnet: a transform plugin
 * dropped into the watched {@code plugins/} folder, updated there (same symbolic name, new version)
 * under continuous outcall load, removed; fifty updates by hand (as the Gogo shell's
 * {@code update} does) leave no old class loader behind. The plugin bundles are built by bnd in the
 * test driver ({@link TestBundles}) against {@code org.outcalls.api} alone; the host versions the
 * transform by its bundle, and it serves once the registry enables that version (an admin message,
 * as {@code outcalls admin enable} sends).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final String TAG = "hotswap-tag";
    /** Outcalls per second under load; {@code -Dit.hotswap.rate=N} to try another. */
    private static final String RATE = "it.hotswap.rate";
    /** Outcalls of the load decided by v1 before the swap, and opened after v2 is enabled, at least. */
    private static final int DECIDED_EACH_SIDE = 20;
    /** How long the load may take to get there on a loaded machine: a bound for a hang, not a speed. */
    private static final Duration LOADED = Duration.ofSeconds(120);
    private static Object origin;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Configuration
    public Option[] config() throws Exception {
        Path work = Dist.target().resolve("exam").resolve("hotswap");
        Path built = work.resolve("built");
        Path plugins = work.resolve("plugins");
        clean(plugins);
        Files.createDirectories(plugins);
        var o = PluginOrigins.start();
        origin = o;
        return DistributionOptions.runtime("hotswap",
                frameworkProperty("felix.fileinstall.poll").value("200"),
                systemProperty("it.origin").value(o.url("")),
                systemProperty("it.ca").value(o.caPem().toString()),
                systemProperty("it.data").value(work.resolve("data").toString()),
                systemProperty("it.plugins").value(plugins.toString()),
                systemProperty("it.staging").value(Files.createDirectories(work.resolve("staging")).toString()),
                systemProperty("it.tag.v1").value(TestBundles.tag(built, "1.0.0").toString()),
                systemProperty("it.tag.v2").value(TestBundles.tag(built, "2.0.0").toString()),
                systemProperty(RATE).value(System.getProperty(RATE, "300")));
    }

    private static void clean(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @After
    public void emptyPluginsFolder() throws Exception {
        clean(Path.of(System.getProperty("it.plugins")));
    }

    private ExamSubnet subnet(String name) throws Exception {
        return ExamSubnet.start(context, cm, Path.of(System.getProperty("it.data")).resolve(name).toString(), Map.of());
    }

    /** Enables the tag transform at {@code version} through a block; returns the height every replica switched at. */
    private static long enableTag(ExamSubnet s, String version) throws Exception {
        String id = ExamSubnet.whenNotBusy(() -> s.node.enablePlugin(TAG, version).toCompletableFuture().join());
        long height = s.executed(id).height();
        s.awaitExecuted(height);
        return height;
    }

    private static String tagRequest() {
        // max_response_bytes keeps the fee small; the cycles exceed it, so every delivery refunds the rest
        return "{\"url\":\"" + url("/hello") + "\",\"max_response_bytes\":2000,\"cycles\":100000000,"
                + "\"transform\":{\"name\":\"" + TAG + "\"}}";
    }

    private static String url(String path) {
        return System.getProperty("it.origin") + path;
    }

    /** Copies a jar into plugins/ atomically (FileInstall never sees half a file). */
    private static void drop(String jarProperty, String fileName) throws IOException {
        Path tmp = Path.of(System.getProperty("it.staging")).resolve(fileName + ".part");
        Files.copy(Path.of(System.getProperty(jarProperty)), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, Path.of(System.getProperty("it.plugins")).resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static String body(JsonNode r) {
        return new String(Base64.getDecoder().decode(r.path("response").path("body").asText()), StandardCharsets.UTF_8);
    }

    private static long proxyBalance(ExamSubnet s) throws InterruptedException {
        s.awaitExecuted(s.maxExecuted());
        List<Long> balances = s.replicas().stream().map(r -> r.cyclesBalance("proxy").orElseThrow()).distinct().toList();
        assertEquals("every replica has the same proxy balance", 1, balances.size());
        return balances.get(0);
    }

    @Test
    public void aTransformUpdatedUnderLoadSwitchesResultsLosingAndDoublingNothing() throws Exception {
        ExamSubnet s = subnet("update");
        drop("it.tag.v1", "tag.jar");
        s.awaitTransform(TAG, List.of("1.0.0"), LOADED);
        enableTag(s, "1.0.0");
        assertEquals("tag 1.0.0: " + PluginOrigins.HELLO, body(s.call(tagRequest())));
        assertImportsOnlyTheApi(bundles(TestBundles.TAG_BSN).get(0));
        long balanceBefore = proxyBalance(s);

        int rate = Integer.getInteger(RATE);
        OutcallLoad load = OutcallLoad.start(s, tagRequest(), rate);
        // v1 decides some of the load before the swap begins (waited for, not slept for: a loaded
        // machine may take many seconds to decide the first of them)
        for (OutcallLoad.Sent x : load.awaitSent(DECIDED_EACH_SIDE, LOADED)) {
            s.await(x.id(), LOADED);
        }
        long beforeSwap = s.maxExecuted();
        drop("it.tag.v2", "tag.jar"); // the same file, a new version: FileInstall updates the bundle
        s.awaitTransform(TAG, List.of("2.0.0"), LOADED);
        long afterSwap = enableTag(s, "2.0.0"); // requests made from here on are transformed by 2.0.0
        // every replica executed afterSwap, so what the load submits from now on opens above it
        load.awaitSent(load.sentCount() + DECIDED_EACH_SIDE, LOADED);
        List<OutcallLoad.Sent> sent = load.stop();
        assertEquals("submissions refused by the subnet (other than busy, which are made again)", 0, load.refused());

        long start = System.nanoTime();
        Map<String, Integer> outcomes = new TreeMap<>();
        int before = 0;
        int after = 0;
        long charged = 0;
        for (OutcallLoad.Sent x : sent) {
            JsonNode r = s.await(x.id(), Duration.ofSeconds(120)); // fails the test if any request is left without a result
            String outcome = r.path("status").asText().equals("completed") ? body(r) : r.path("reject").path("kind").asText();
            outcomes.merge(outcome, 1, Integer::sum);
            JsonNode cycles = r.path("cycles");
            assertEquals(r.toString(), cycles.path("attached").asLong(),
                    cycles.path("charged").asLong() + cycles.path("refunded").asLong());
            charged += cycles.path("charged").asLong();
            if (r.path("height").asLong() <= beforeSwap) {
                before++;
                assertEquals("decided before the swap began: " + r, "tag 1.0.0: " + PluginOrigins.HELLO, outcome);
            } else if (r.path("submitted_height").asLong() > afterSwap) {
                after++;
                assertEquals("opened after v2 replaced v1 everywhere: " + r, "tag 2.0.0: " + PluginOrigins.HELLO, outcome);
            } else {
                // In flight across the swap: v1, v2, or a clear reject if replicas fetched in between.
                assertTrue("in flight across the swap: " + r, outcome.startsWith("tag 1.0.0") || outcome.startsWith("tag 2.0.0")
                        || outcome.equals("transform_error") || outcome.equals("no_consensus"));
            }
        }
        double drained = (System.nanoTime() - start) / 1e9;
        System.out.printf("hot swap under load: %d outcalls submitted at %.0f/s (target %d/s; %d busy refusals made again), "
                + "%d decided before the swap, %d opened after it, outcomes %s; results all in %.1f s after the load stopped%n",
                sent.size(), load.rate(), rate, load.busy(), before, after, outcomes, drained);
        assertTrue("some outcalls were decided by v1 before the swap", before >= DECIDED_EACH_SIDE);
        assertTrue("some outcalls were opened after the swap", after >= DECIDED_EACH_SIDE);
        // Each delivery refunds attached - charged; one delivered twice would refund twice.
        assertEquals("proxy balance = before - all charges, on every replica", balanceBefore - charged, proxyBalance(s));
        assertTrue(s.rest("api/v1/subnet").path("state_hash_agreement").asBoolean());
    }

    @Test
    public void aRemovedTransformGivesTransformErrorAndTheSubnetStaysHealthy() throws Exception {
        ExamSubnet s = subnet("remove");
        drop("it.tag.v1", "tag.jar");
        s.awaitTransform(TAG, List.of("1.0.0"), LOADED);
        enableTag(s, "1.0.0");
        assertEquals("tag 1.0.0: " + PluginOrigins.HELLO, body(s.call(tagRequest())));

        Files.delete(Path.of(System.getProperty("it.plugins")).resolve("tag.jar"));
        s.awaitTransform(TAG, List.of(), LOADED);
        // FileInstall stops the bundle (its service goes) before it uninstalls it: wait for both
        long uninstalled = System.nanoTime() + LOADED.toNanos();
        while (!bundles(TestBundles.TAG_BSN).isEmpty() && System.nanoTime() < uninstalled) {
            Thread.sleep(50);
        }
        assertTrue("the bundle is uninstalled", bundles(TestBundles.TAG_BSN).isEmpty());
        // a height with no open request pinning 1.0.0: the removed version is released, not kept for later requests
        s.awaitExecuted(s.maxExecuted() + 1);

        JsonNode r = s.call(tagRequest());
        assertEquals(r.toString(), "rejected", r.path("status").asText());
        assertEquals(r.toString(), "CANISTER_ERROR", r.path("reject").path("code").asText());
        assertEquals(r.toString(), "transform_error", r.path("reject").path("kind").asText());
        // the request pins the enabled version, which no replica has any more
        assertTrue(r.toString(), r.path("reject").path("message").asText().contains("'" + TAG + "@1.0.0' not found"));

        // every replica reports the enabled version missing until the registry no longer enables it
        s.awaitExecuted(s.executed(ExamSubnet.whenNotBusy(() -> s.node.disablePlugin(TAG, null).toCompletableFuture().join()))
                .height());
        JsonNode plain = s.call("{\"url\":\"" + url("/hello") + "\"}");
        assertEquals(plain.toString(), "completed", plain.path("status").asText());
        JsonNode status = s.rest("api/v1/subnet");
        assertTrue(status.toString(), status.path("state_hash_agreement").asBoolean());
        for (JsonNode replica : status.path("replicas")) {
            assertEquals(replica.toString(), "up", replica.path("state").asText());
        }
        assertEquals("a disabled transform is missed by nobody", 0, status.path("missing_plugins").size());
    }

    @Test
    public void fiftyUpdatesLeaveNoOldClassLoaderBehind() throws Exception {
        ExamSubnet s = subnet("cycles");
        Path v1 = Path.of(System.getProperty("it.tag.v1"));
        Path v2 = Path.of(System.getProperty("it.tag.v2"));
        Bundle b;
        try (InputStream in = Files.newInputStream(v1)) {
            b = context.installBundle("hotswap:cycles", in);
        }
        b.start();
        s.awaitTransform(TAG, List.of("1.0.0"), LOADED);
        enableTag(s, "1.0.0");
        OutcallLoad load = OutcallLoad.start(s, tagRequest(), 20);
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        int cycles = 50;
        for (int i = 1; i <= cycles; i++) {
            old.add(new WeakReference<>(b.adapt(BundleWiring.class).getClassLoader()));
            String version = i % 2 == 1 ? "2.0.0" : "1.0.0";
            try (InputStream in = Files.newInputStream(i % 2 == 1 ? v2 : v1)) {
                b.update(in);
            }
            refresh(b);
            s.awaitTransform(TAG, List.of(version), LOADED);
            if (i % 10 == 0) {
                enableTag(s, version);
                assertEquals("tag " + version + ": " + PluginOrigins.HELLO, body(s.call(tagRequest())));
            }
        }
        List<OutcallLoad.Sent> sent = load.stop();
        for (OutcallLoad.Sent x : sent) {
            JsonNode r = s.await(x.id(), Duration.ofSeconds(120));
            String outcome = r.path("status").asText().equals("completed") ? body(r) : r.path("reject").path("kind").asText();
            assertTrue(r.toString(), outcome.startsWith("tag ") || outcome.equals("transform_error")
                    || outcome.equals("no_consensus"));
        }
        b.uninstall();
        refresh(b);
        s.awaitTransform(TAG, List.of(), LOADED);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long alive = old.size();
        while (alive > 0 && System.nanoTime() < deadline) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int i = 0; i < pressure.length; i++) {
                pressure[i] = new byte[1 << 20];
            }
            Thread.sleep(100);
            alive = old.stream().filter(r -> r.get() != null).count();
        }
        System.out.printf("%d update cycles under load (%d outcalls): %d of %d old class loaders still reachable after GC%n",
                cycles, sent.size(), alive, old.size());
        assertEquals("old bundle revisions' class loaders still reachable", 0, alive);
    }

    /** A plugin built against org.outcalls.api alone needs nothing else from the runtime. */
    private static void assertImportsOnlyTheApi(Bundle plugin) {
        String imports = plugin.getHeaders().get("Import-Package");
        assertNotNull(imports);
        for (String clause : imports.split(",(?=[a-z])")) {
            String name = clause.split(";")[0].strip();
            assertTrue("imports only the API and the framework: " + imports,
                    name.startsWith("org.outcalls.api") || name.equals("org.osgi.framework"));
        }
    }

    private List<Bundle> bundles(String symbolicName) {
        List<Bundle> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                out.add(b);
            }
        }
        return out;
    }

    private void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED || e.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        assertTrue("refresh did not finish", done.await(LOADED.toSeconds(), TimeUnit.SECONDS));
    }
}
