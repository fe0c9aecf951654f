package org.outcalls.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.outcalls.quorum.median.internal.MedianPolicy;
import org.outcalls.quorum.twothirds.internal.TwoThirdsPolicy;
import org.outcalls.testkit.TestSubnet;
import org.outcalls.testkit.origin.ScriptedOrigin;
import org.outcalls.transform.basic.internal.StripHeadersTransform;

/** The Gogo commands against a real 4-replica subnet (the shell only formats what they return). */
class OutcallsCommandsTest {
    static ScriptedOrigin origin;
    static TestSubnet subnet;
    static OutcallsCommands commands;

    @BeforeAll
    static void start() throws Exception {
        origin = ScriptedOrigin.start()
                .route("/hello", r -> ScriptedOrigin.Reply.text("hello from the origin").withHeader("x-replica",
                        Integer.toString(r.replica())));
        // median is installed but not enabled: `enable` must switch it on through a block
        subnet = TestSubnet.builder().origin(origin).plugin(new TwoThirdsPolicy(), "0.1.0")
                .plugin(new StripHeadersTransform(), "0.1.0").enable("two-thirds", "0.1.0")
                .enable("strip-headers", "0.1.0").plugin(new MedianPolicy(), "0.1.0").start();
        commands = new OutcallsCommands(subnet.node());
    }

    @AfterAll
    static void stop() throws Exception {
        subnet.close();
        origin.close();
    }

    @Test
    void enableAndDisableChangeTheRegistryThroughABlock() throws Exception {
        assertFalse(subnet.subnet().replicas().get(0).registry().plugins().containsKey("median"));
        assertFalse(commands.plugins().lines().findFirst().orElseThrow().contains("median"), commands.plugins());
        String enabled = commands.enable("median");
        assertTrue(enabled.startsWith("enabled median at height "), enabled);
        assertEquals("0.1.0", subnet.subnet().replicas().get(0).registry().plugins().get("median"));
        assertTrue(commands.plugins().lines().anyMatch(l -> l.matches("median +0\\.1\\.0 +0\\.1\\.0 \\[0, 1, 2, 3\\]")),
                commands.plugins());
        subnet.awaitHeight(subnet.honest().get(0).height(), java.time.Duration.ofSeconds(30));
        for (var r : subnet.honest()) {
            assertEquals("0.1.0", r.registry().plugins().get("median"), "every replica switched");
        }

        String disabled = commands.disable("median@0.1.0");
        assertTrue(disabled.startsWith("disabled median@0.1.0 at height "), disabled);
        assertFalse(subnet.subnet().replicas().get(0).registry().plugins().containsKey("median"));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> commands.disable("median"));
        assertTrue(refused.getMessage().contains("not enabled"), refused.getMessage());
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> commands.enable("nothing-here"));
        assertTrue(unknown.getMessage().contains("no plugin 'nothing-here' is installed"), unknown.getMessage());
    }

    @Test
    void callMakesAnAgreedOutcallAndPrintsTheResponse() throws Exception {
        String out = commands.call("GET", "", "", "strip-headers", "x-replica", "", 0, 60, origin.url("/hello"));
        assertTrue(out.contains(": completed at height "), out);
        assertTrue(out.contains("HTTP 200"), out);
        assertTrue(out.contains("hello from the origin"), out);

        String diverged = commands.call("GET", "", "", "", "", "", 0, 60, origin.url("/hello"));
        assertTrue(diverged.contains("rejected"), diverged);
        assertTrue(diverged.contains("reject SYS_TRANSIENT (no_consensus)"), diverged);

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> commands.call("GET", "no colon", "", "", "", "", 0, 60, origin.url("/hello")));
        assertTrue(bad.getMessage().startsWith("--header"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> commands.call("GET", "", "", "", "", "", 0, 500, origin.url("/hello")));
    }

    @Test
    void statusShowsEveryReplica() throws Exception {
        subnet.awaitHeight(3, java.time.Duration.ofSeconds(30));
        String s = commands.status();
        assertTrue(s.contains("4 replicas, f = 1, threshold 3"), s);
        assertTrue(s.contains("state hashes agree"), s);
        for (int i = 0; i < 4; i++) {
            String index = Integer.toString(i);
            assertTrue(s.lines().anyMatch(l -> l.matches("^" + index + "\\s+up\\s+none\\s+\\d+\\s+\\d+\\s+\\d+\\s+[0-9a-f]{16} 3/3$")), s);
        }
    }
}
