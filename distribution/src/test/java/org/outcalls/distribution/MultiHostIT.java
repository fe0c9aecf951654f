package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Four replica processes on loopback (TCP with mutual TLS, each with its own store), under a
 * continuous outcall load through replica 0's gateway: kill -9 one and restart it (it catches up
 * to the same state hash); kill f (the subnet goes on); kill f + 1 (it halts, and resumes when one
 * returns); crash points inside a checkpoint write and inside block persistence (the restart
 * recovers). At the end every submitted outcall has exactly one delivered result, the proxy's
 * cycles add up, and no two replicas ever finalized different blocks at one height.
 */
class MultiHostIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    static Path temp;

    @Test
    void fourReplicaProcessesSurviveKillsRestartsAndCrashPointsWithoutLosingOrRepeatingAnOutcall() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = new HostedSubnet(temp, origin.caPem(), 4, "--rank-delay-ms", "150",
                     "--heartbeat-ms", "300", "--checkpoint-interval", "10", "--retain-heights", "5000")) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"));
            subnet.startAll();
            Waits.awaitUntil("the subnet finalizes", () -> subnet.height(0) >= 5, HostedSubnet.READY);
            subnet.fundGateway(0);
            HostedSubnet.Load load = subnet.load(0, origin.url("/price"), 4096, 150);

            // kill -9 one replica (f = 1): the others go on; it restarts, catches up, same state hash
            subnet.procs.get(3).kill9();
            long h = subnet.height(0);
            Waits.awaitUntil("three replicas go on without replica 3", () -> subnet.height(0) >= h + 10, CATCH_UP);
            subnet.start(3, null);
            subnet.awaitSameState(3, 0);

            // kill f + 1: the subnet halts; one comes back: it resumes; the other comes back and catches up
            subnet.procs.get(2).kill9();
            subnet.procs.get(3).kill9();
            Thread.sleep(3000); // let in-flight rounds settle
            long halted = subnet.height(0);
            Thread.sleep(6000); // many heartbeats: a live subnet would have made blocks
            assertEquals(halted, subnet.height(0), "with two of four replicas down no block may be finalized");
            assertEquals(halted, subnet.height(1));
            subnet.start(2, null);
            Waits.awaitUntil("the subnet resumes with three replicas", () -> subnet.height(0) >= halted + 5, CATCH_UP);

            // crash point: replica 3 halts itself in the middle of a checkpoint write (while catching up)
            ReplicaProcess crashing = subnet.launch(3, subnet.home, "-Doutcalls.crashpoint=checkpoint");
            assertEquals(137, crashing.awaitExit(CATCH_UP), "halted at the crash point: " + crashing.output());
            subnet.start(3, null);
            subnet.awaitSameState(3, 0);

            // crash point: replica 1 halts itself right after committing a finalized block, before executing it
            subnet.procs.get(1).kill9();
            Waits.awaitUntil("the others go on",
                    () -> subnet.height(0) >= subnet.height(3) - 1 && subnet.height(0) >= halted + 15, CATCH_UP);
            ReplicaProcess crashing1 = subnet.launch(1, subnet.home, "-Doutcalls.crashpoint=block:3");
            assertEquals(137, crashing1.awaitExit(CATCH_UP), "halted at the crash point: " + crashing1.output());
            subnet.start(1, null);
            subnet.awaitSameState(1, 0);

            List<String> ids = load.stop();
            assertTrue(ids.size() >= 50, "the load submitted only " + ids.size() + " outcalls");

            // every outcall has exactly one result, the same on every replica's gateway
            long charged = 0;
            for (String id : ids) {
                JsonNode r0 = subnet.await(0, id);
                String status = r0.path("status").asText();
                assertTrue(status.equals("completed") || status.equals("rejected"), id + ": " + r0);
                assertEquals(HostedSubnet.CYCLES, r0.path("cycles").path("attached").asLong(), id + ": " + r0);
                charged += r0.path("cycles").path("charged").asLong();
                JsonNode r1 = subnet.await(1 + ids.indexOf(id) % 3, id);
                assertEquals(r0.path("height"), r1.path("height"), "delivered once, at one height: " + id);
                assertEquals(r0.path("response"), r1.path("response"));
            }
            // a second delivery would refund the attached cycles again: the balance shows any
            Waits.awaitUntil("all replicas at one height", () -> subnet.height(0) == subnet.height(1)
                    && subnet.height(1) == subnet.height(2) && subnet.height(2) == subnet.height(3), CATCH_UP);
            long balance = subnet.status(0).path("cycles").path("proxy").asLong();
            assertEquals(org.outcalls.replica.multihost.SubnetInit.DEFAULT_PROXY_CYCLES - charged, balance,
                    "proxy cycles: initial minus what the " + ids.size() + " outcalls were charged");

            subnet.stopAll();
            // no replica ever finalized a different block at any height
            long compared = subnet.assertNoFork();
            assertTrue(compared > 4 * 20, "compared " + compared + " finalized heights");
        }
    }
}
