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
        assertEquals(1, before.path("enabled_plugins").size(), "--plugins started it with fewer: " + before);
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
        OutcallsProcess.Result r = outcalls("admin", "enable", "single-replica@1.0.0", "--key", stranger.toString(),
                "--gateway", gateway);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("is not an admin of this subnet"), r.stderr());
        assertEquals(version, status().path("registry_version").asLong());
    }

    @Test
    void aTransformNeedsNoEnabling() throws Exception {
        OutcallsProcess.Result r = outcalls("admin", "enable", "identity", "--data", data.toString(), "--gateway", gateway);
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("'identity' is a transform"), r.stderr());
    }
}
