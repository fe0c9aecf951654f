package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.NodeKey;

/**
 * {@code outcalls admin} as a user runs it, against {@code outcalls run --plugins two-thirds}: the
 * command signs with the admin key of that run, the gateway relays the bytes, the registry changes
 * at the height printed, and the subnet refuses what it must.
 */
class AdminCommandIT {
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    static OutcallsProcess run;
    static Path data;
    static String gateway;

    @BeforeAll
    static void startSubnetWithFewerPlugins() throws Exception {
        data = temp.resolve("data");
        run = OutcallsProcess.start(Dist.home(), temp, "run", "--plugins", "two-thirds", "--no-demo", "--http-port", "0",
                "--data", data.toString());
        String ready = run.awaitStdout(l -> l.startsWith("outcalls ready in "), Duration.ofSeconds(60));
        Matcher m = Pattern.compile("gateway (http://\\S+/)").matcher(ready);
        assertTrue(m.find(), ready);
        gateway = m.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        run.terminate();
        run.awaitExit(Duration.ofSeconds(30));
    }

    private static OutcallsProcess.Result outcalls(String... args) throws Exception {
        return OutcallsProcess.run(Dist.home(), temp, CLI, args);
    }

    private static JsonNode status() throws Exception {
        OutcallsProcess.Result r = outcalls("status", "--json", "--gateway", gateway);
        assertEquals(0, r.exitCode(), r.stderr());
        return JSON.readTree(r.stdout());
    }

    @Test
    void enableAndDisableChangeTheRegistryAtThePrintedHeight() throws Exception {
        JsonNode before = status();
        // --plugins started it with fewer (a test below may have enabled a transform meanwhile: tests share the subnet)
        assertTrue(before.path("enabled_plugins").has("two-thirds") && !before.path("enabled_plugins").has("median"),
                "--plugins started it with fewer: " + before);
        String v = before.path("enabled_plugins").path("two-thirds").asText();
        long version = before.path("registry_version").asLong();

        OutcallsProcess.Result enable = outcalls("admin", "enable", "median", "--data", data.toString(), "--gateway", gateway);
        assertEquals(0, enable.exitCode(), enable.stderr());
        Matcher at = Pattern.compile("enable_plugin median@" + Pattern.quote(v) + ": done at height (\\d+); registry version (\\d+)")
                .matcher(enable.stdout());
        assertTrue(at.find(), enable.stdout());
        assertEquals(version + 1, Long.parseLong(at.group(2)));
        JsonNode after = status();
        assertEquals(v, after.path("enabled_plugins").path("median").asText());
        assertTrue(after.path("replicas").get(0).path("executed_height").asLong() >= Long.parseLong(at.group(1)));

        OutcallsProcess.Result disable = outcalls("admin", "disable", "median", "--data", data.toString(), "--gateway", gateway);
        assertEquals(0, disable.exitCode(), disable.stderr());
        assertTrue(status().path("enabled_plugins").path("median").isMissingNode());

        OutcallsProcess.Result again = outcalls("admin", "disable", "median", "--data", data.toString(), "--gateway", gateway);
        assertEquals(1, again.exitCode(), again.stdout() + again.stderr());
        assertTrue(again.stderr().contains("'median' is not enabled"), again.stderr());
    }

    @Test
    void aKeyThatIsNotTheSubnetsAdminIsRefusedByTheSubnet() throws Exception {
        Path stranger = temp.resolve("stranger.key");
        NodeKey.generate().save(stranger);
        long version = status().path("registry_version").asLong();
        // the version installed everywhere, so the command's own readiness check passes and the subnet judges the key
        OutcallsProcess.Result r = outcalls("admin", "enable", "single-replica", "--key", stranger.toString(),
                "--gateway", gateway);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("is not an admin of this subnet"), r.stderr());
        assertEquals(version, status().path("registry_version").asLong());
    }

    /**
     * A new identity starts with nothing; the admin tops it up, and its balance (asked with its own
     * signed call) shows it; a stranger's top-up is refused. An API key's calls through the unsigned
     * route are signed as the key's own principal, until the key is revoked.
     */
    @Test
    void topUpCreditsOneAccountAndApiKeysSignAsTheirOwnIdentity() throws Exception {
        String name = "it-" + Long.toHexString(System.nanoTime());
        OutcallsProcess.Result made = outcalls("identity", "new", name);
        Matcher p = Pattern.compile("principal ([0-9a-f]{64})").matcher(made.stdout());
        assertTrue(p.find(), made.stdout() + made.stderr());
        String principal = p.group(1);
        assertTrue(balance(name).contains(": 0 cycles"), "a new identity starts at 0");

        OutcallsProcess.Result topUp = outcalls("admin", "top-up", principal, "123456789", "--data", data.toString(),
                "--gateway", gateway);
        assertEquals(0, topUp.exitCode(), topUp.stderr());
        assertTrue(topUp.stdout().contains("its balance is now 123456789 cycles"), topUp.stdout());
        assertTrue(balance(name).contains(": 123456789 cycles"), "the account holds the top-up");
        Path stranger = temp.resolve("not-admin.key");
        NodeKey.generate().save(stranger);
        OutcallsProcess.Result refused = outcalls("admin", "top-up", principal, "1", "--key", stranger.toString(),
                "--gateway", gateway);
        assertEquals(1, refused.exitCode(), refused.stdout() + refused.stderr());
        assertTrue(refused.stderr().contains("is not an admin of this subnet"), refused.stderr());

        OutcallsProcess.Result key = outcalls("admin", "api-key", "create", "it", "--data", data.toString());
        assertEquals(0, key.exitCode(), key.stderr());
        Matcher secret = Pattern.compile("api key it: (ock_\\S+)").matcher(key.stdout());
        Matcher keyPrincipal = Pattern.compile("principal ([0-9a-f]{64})").matcher(key.stdout());
        assertTrue(secret.find() && keyPrincipal.find(), key.stdout());
        java.net.http.HttpResponse<String> asked = unsignedBalance(secret.group(1));
        assertEquals(202, asked.statusCode(), asked.body());
        String id = JSON.readTree(asked.body()).path("id").asText();
        JsonNode record = JSON.readTree(http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway
                + "api/v1/outcalls/" + id + "?wait=30")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(keyPrincipal.group(1), record.path("caller").asText(), record.toString());
        assertEquals(0, outcalls("admin", "api-key", "revoke", "it", "--data", data.toString()).exitCode());
        assertEquals(401, unsignedBalance(secret.group(1)).statusCode(), "a revoked key is refused");
    }

    private static String balance(String identity) throws Exception {
        OutcallsProcess.Result r = outcalls("balance", "--identity", identity, "--gateway", gateway);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return r.stdout();
    }

    private static java.net.http.HttpClient http() {
        return java.net.http.HttpClient.newHttpClient();
    }

    private static java.net.http.HttpResponse<String> unsignedBalance(String apiKey) throws Exception {
        return http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway
                        + "api/v1/canisters/proxy/update/balance")).header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + apiKey).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** Since issue 16 a transform activates through the registry like a policy (it was: no enabling needed). */
    @Test
    void aTransformIsEnabledAndDisabledThroughTheRegistryToo() throws Exception {
        OutcallsProcess.Result r = outcalls("admin", "enable", "identity", "--data", data.toString(), "--gateway", gateway);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("enable_plugin identity@"), r.stdout());
        OutcallsProcess.Result off = outcalls("admin", "disable", "identity", "--data", data.toString(), "--gateway", gateway);
        assertEquals(0, off.exitCode(), off.stdout() + off.stderr());
        assertTrue(status().path("enabled_plugins").path("identity").isMissingNode());
        OutcallsProcess.Result bad = outcalls("admin", "enable", "identity@latest", "--data", data.toString(), "--gateway",
                gateway);
        assertEquals(2, bad.exitCode(), bad.stdout() + bad.stderr());
        assertTrue(bad.stderr().contains("the version 'latest' is not MAJOR.MINOR.MICRO"), bad.stderr());
    }

    @Test
    void aTransformNobodyInstalledIsAUsageErrorAndAnotherIsEnabledByABlock() throws Exception {
        assertTrue(status().path("enabled_plugins").path("strip-headers").isMissingNode(), "--plugins two-thirds");
        OutcallsProcess.Result enable = outcalls("admin", "enable", "strip-headers", "--data", data.toString(),
                "--gateway", gateway);
        assertEquals(0, enable.exitCode(), enable.stderr());
        assertTrue(enable.stdout().contains("enable_plugin strip-headers@"), enable.stdout());
        assertTrue(status().path("enabled_plugins").has("strip-headers"));

        OutcallsProcess.Result unknown = outcalls("admin", "enable", "no-such-transform", "--data", data.toString(),
                "--gateway", gateway);
        assertEquals(2, unknown.exitCode(), unknown.stdout() + unknown.stderr());
        assertTrue(unknown.stderr().contains("no plugin 'no-such-transform' is installed"), unknown.stderr());
    }
}
