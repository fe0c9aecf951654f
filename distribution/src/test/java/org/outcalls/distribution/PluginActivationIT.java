package org.outcalls.distribution;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Replica;
import org.outcalls.replica.SubnetNode;

/**
 * Activation by height inside Felix with the distribution's bundles, on a 4-replica subnet: a
 * subnet started with fewer plugins, {@code median} and {@code methods} enabled by admin messages
 * (one signed by the node, one signed here and relayed by {@code POST /api/v1/ingress}) and used,
 * {@code methods} disabled again; and one replica lacking a plugin the others have.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginActivationIT {
    private static Object origin;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin cm;

    @Configuration
    public Option[] config() throws Exception {
        var o = PluginOrigins.start();
        origin = o;
        return DistributionOptions.runtime("activation",
                systemProperty("it.origin").value(o.url("")),
                systemProperty("it.ca").value(o.caPem().toString()),
                systemProperty("it.data").value(Dist.target().resolve("exam").resolve("activation").resolve("data").toString()));
    }

    private ExamSubnet subnet(String name, Map<String, Object> settings) throws Exception {
        return ExamSubnet.start(context, cm, Path.of(System.getProperty("it.data")).resolve(name).toString(), settings);
    }

    private static String url(String path) {
        return System.getProperty("it.origin") + path;
    }

    private static String median() {
        return "{\"url\":\"" + url("/price") + "\",\"policy\":\"median\",\"transform\":{\"name\":\"number\",\"context\":\""
                + b64("/price") + "\"}}";
    }

    private static String post(String body) {
        return "{\"url\":\"" + url("/echo") + "\",\"method\":\"POST\",\"body\":\"" + b64(body) + "\"}";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(JsonNode r, String code, String kind) {
        assertEquals(r.toString(), "rejected", r.path("status").asText());
        assertEquals(r.toString(), code, r.path("reject").path("code").asText());
        assertEquals(r.toString(), kind, r.path("reject").path("kind").asText());
    }

    /** The version of a plugin installed here, from the node's status. */
    private static String installed(ExamSubnet s, String kind, String name) {
        Map<String, List<String>> installed = s.node.status().installedPlugins();
        return installed.get(kind).stream().filter(e -> e.startsWith(name + "@")).findFirst()
                .map(e -> e.substring(name.length() + 1)).orElseThrow(() -> new AssertionError(name + " not installed"));
    }

    /** Every replica executed the message in the block at the same height. */
    private static long sameHeightEverywhere(ExamSubnet s, String messageId) throws InterruptedException {
        long height = s.executed(messageId).height();
        s.awaitExecuted(height);
        for (Replica r : s.replicas()) {
            assertEquals("replica executed the admin message at", height, r.ingressStatus(messageId).orElseThrow().height());
        }
        return height;
    }

    @Test
    public void policiesAndMethodsAreEnabledAndDisabledByAdminMessagesAtAHeight() throws Exception {
        // number, the transform the median requests use, is enabled from the start: this is about policies and methods
        ExamSubnet s = subnet("enable", Map.of("plugins", new String[] {"two-thirds", "number"}));
        JsonNode status = s.rest("api/v1/subnet");
        assertEquals(status.toString(), 2, status.path("enabled_plugins").size());
        long version = status.path("registry_version").asLong();

        JsonNode early = s.call(median());
        assertRejected(early, "CANISTER_REJECT", "policy_not_enabled");
        assertRejected(s.call(post("a=1")), "CANISTER_REJECT", "method_not_allowed");

        // median: signed with the admin key the node holds (what the shell's command uses)
        String medianVersion = installed(s, "policies", "median");
        String enableMedian = s.node.enablePlugin("median", null).toCompletableFuture().join();
        assertEquals(SubnetNode.IngressState.Status.EXECUTED, s.executed(enableMedian).status());
        long h1 = sameHeightEverywhere(s, enableMedian);
        assertTrue("enabled after the refused request's block", h1 > early.path("height").asLong());
        for (Replica r : s.replicas()) {
            assertEquals(medianVersion, r.registry().plugins().get("median"));
            assertEquals(version + 1, r.registry().version());
        }
        JsonNode value = s.call(median());
        assertEquals(value.toString(), "completed", value.path("status").asText());
        assertEquals("42", value.path("value").path("median").asText());
        assertTrue(value.path("submitted_height").asLong() > h1);

        // methods: signed here, relayed as bytes by the gateway (what `outcalls admin` does)
        String methodsVersion = installed(s, "methods", "methods");
        byte[] signed = IngressMessage.sign(org.outcalls.crypto.Hash.wrap(s.local().genesis().subnetIdBytes()), ManagementCanister.ID, ManagementCanister.ENABLE_PLUGIN,
                ("methods@" + methodsVersion).getBytes(StandardCharsets.UTF_8), 1, System.currentTimeMillis() + 120_000,
                s.local().adminKey()).encode();
        HttpResponse<String> accepted = s.postBytes("api/v1/ingress", signed);
        assertEquals(accepted.body(), 202, accepted.statusCode());
        String enableMethods = ExamSubnet.json(accepted.body()).path("id").asText();
        JsonNode done = s.rest("api/v1/ingress/" + enableMethods + "?wait=30");
        assertEquals(done.toString(), "executed", done.path("status").asText());
        long h2 = done.path("height").asLong();
        assertEquals(h2, sameHeightEverywhere(s, enableMethods));
        JsonNode posted = s.call(post("a=1"));
        assertEquals(posted.toString(), "completed", posted.path("status").asText());
        assertEquals("POST a=1", new String(Base64.getDecoder().decode(posted.path("response").path("body").asText()),
                StandardCharsets.UTF_8));

        status = s.rest("api/v1/subnet");
        assertEquals(version + 2, status.path("registry_version").asLong());
        assertEquals(methodsVersion, status.path("enabled_plugins").path("methods").asText());
        assertEquals(medianVersion, status.path("enabled_plugins").path("median").asText());

        String disable = s.node.disablePlugin("methods", null).toCompletableFuture().join();
        long h3 = sameHeightEverywhere(s, disable);
        JsonNode refused = s.call(post("a=2"));
        assertRejected(refused, "CANISTER_REJECT", "method_not_allowed");
        assertTrue(refused.path("height").asLong() > h3);
        assertEquals(version + 3, s.rest("api/v1/subnet").path("registry_version").asLong());

        // an admin message from a key that is not the subnet's admin is executed as a failure, changing nothing
        byte[] stranger = IngressMessage.sign(org.outcalls.crypto.Hash.wrap(s.local().genesis().subnetIdBytes()), ManagementCanister.ID, ManagementCanister.DISABLE_PLUGIN,
                "median".getBytes(StandardCharsets.UTF_8), 2, System.currentTimeMillis() + 120_000,
                org.outcalls.crypto.NodeKey.generate()).encode();
        String strangerId = ExamSubnet.json(s.postBytes("api/v1/ingress", stranger).body()).path("id").asText();
        JsonNode failed = s.rest("api/v1/ingress/" + strangerId + "?wait=30");
        assertEquals(failed.toString(), "failed", failed.path("status").asText());
        assertTrue(failed.toString(), failed.path("message").asText().contains("not an admin"));
        assertEquals(version + 3, s.rest("api/v1/subnet").path("registry_version").asLong());
        assertTrue(s.rest("api/v1/subnet").path("state_hash_agreement").asBoolean());
    }

    @Test
    public void aReplicaLackingAPluginTheOthersHaveReportsItAndTheSubnetStillAgrees() throws Exception {
        ExamSubnet s = subnet("missing", Map.of("hidePlugins", new String[] {"3:median"}));
        String v = installed(s, "policies", "median");
        JsonNode value = s.call(median());
        assertEquals(value.toString(), "completed", value.path("status").asText());
        assertEquals("the three replicas with the policy decided", 3, value.path("value").path("count").asInt());
        JsonNode plain = s.call("{\"url\":\"" + url("/hello") + "\"}");
        assertEquals(plain.toString(), "completed", plain.path("status").asText());

        JsonNode status = s.rest("api/v1/subnet");
        assertEquals(status.toString(), List.of("median@" + v), strings(status.path("missing_plugins")));
        for (JsonNode replica : status.path("replicas")) {
            int i = replica.path("index").asInt();
            assertEquals(replica.toString(), i == 3 ? List.of("median@" + v) : List.of(), strings(replica.path("missing_plugins")));
        }
        assertEquals(List.of("median"), strings(status.path("replicas").get(3).path("hidden_plugins")));
        assertTrue(status.toString(), status.path("state_hash_agreement").asBoolean());
        // it never voted for the block it could not check, but follows it once n − f notarized it
        s.awaitExecuted(plain.path("height").asLong());
        assertTrue(s.replicas().get(3).height() >= value.path("height").asLong());
        String log = Files.readString(Path.of(System.getProperty("outcalls.exam.log")));
        assertTrue("the replica says so in the log", log.contains("replica 3: plugin median@" + v
                + " is enabled in the subnet registry"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
