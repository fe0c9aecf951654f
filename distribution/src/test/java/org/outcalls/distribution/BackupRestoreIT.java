package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.testkit.origin.ScriptedOrigin;

/**
 * Operations on four {@code outcalls replica} processes on loopback, under a continuous outcall
 * load: {@code outcalls backup} of a running replica; {@code outcalls restore} refuses a running
 * replica, a corrupted archive, a backup of another subnet and one of another node; the replica is
 * stopped, its data folder wiped, the backup restored, and started again it catches up from its
 * peers to the others' state hash and serves the same results. {@code /readyz} of a real replica:
 * 200 in a healthy subnet, 503 naming the missing peers when two of four are down, 200 again.
 */
class BackupRestoreIT {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration CLI = Duration.ofSeconds(120);
    /** Generous: on a loaded 2-core machine catching up a few hundred heights under load takes minutes. */
    private static final Duration CATCH_UP = Duration.ofSeconds(300);
    /** Given to {@code subnet init} of this subnet and of the other one whose replica the restore refuses. */
    private static final String[] INIT_FLAGS = {"--rank-delay-ms", "150", "--heartbeat-ms", "300",
            "--checkpoint-interval", "10", "--retain-heights", "5000"};

    @TempDir
    static Path temp;

    @Test
    void aRunningReplicaIsBackedUpAndRestoredIntoAWipedDataFolderAndCatchesUp() throws Exception {
        try (ScriptedOrigin origin = ScriptedOrigin.start();
             HostedSubnet subnet = new HostedSubnet(temp, origin.caPem(), 4, INIT_FLAGS)) {
            origin.route("/price", r -> ScriptedOrigin.Reply.json("{\"price\":42}"));
            Path home = subnet.home;
            String replica3 = subnet.configs.get(3).toString();
            subnet.startAll();
            Waits.awaitUntil("the subnet finalizes", () -> subnet.height(0) >= 5, READY);
            Waits.awaitUntil("replica 0 is ready", () -> subnet.readyz(0).status() == 200, READY);
            subnet.fundGateway(0); // the load goes through replica 0's gateway: paid, so it completes

            HostedSubnet.Load load = subnet.load(0, origin.url("/price"), 4096, 150);
            Waits.awaitUntil("a checkpoint and some outcalls", () -> subnet.height(0) >= 25 && load.ids.size() >= 10,
                    READY);

            // backup of replica 3 while it runs, under load
            Path backup = temp.resolve("replica-3.tar.gz");
            OutcallsProcess.Result b = cli(home, "backup", "--config", replica3, "--out", backup.toString());
            assertEquals(0, b.exitCode(), b.stderr());
            assertTrue(b.stdout().contains("backup of replica 3 ") && b.stdout().contains("; checked)"), b.stdout());
            long backedUpTo = Long.parseLong(b.stdout().replaceAll("(?s).*finalized heights \\d+\\.\\.(\\d+),.*", "$1"));
            assertTrue(backedUpTo >= 20, b.stdout());
            OutcallsProcess.Result exists = cli(home, "backup", "--config", replica3, "--out", backup.toString());
            assertEquals(2, exists.exitCode(), exists.stderr());
            assertTrue(exists.stderr().contains("exists (--force replaces it)"), exists.stderr());

            // refused before replica 3 is even stopped (the archive is checked first): a corrupted archive, another
            // subnet's replica, another node of this subnet
            Path corrupted = temp.resolve("corrupted.tar.gz");
            byte[] bytes = Files.readAllBytes(backup);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(corrupted, bytes);
            OutcallsProcess.Result bad = cli(home, "restore", "--config", replica3, "--from", corrupted.toString());
            assertEquals(1, bad.exitCode(), bad.stderr());
            assertTrue(bad.stderr().contains("refused: " + corrupted + " is damaged: "), bad.stderr());

            Path otherSubnets3 = HostedSubnet.initOnly(home, temp, "other-subnet", 4, INIT_FLAGS).get(3);
            OutcallsProcess.Result foreign = cli(home, "restore", "--config", otherSubnets3.toString(), "--from",
                    backup.toString());
            assertEquals(1, foreign.exitCode(), foreign.stderr());
            assertTrue(foreign.stderr().contains("is a backup of subnet ") && foreign.stderr().contains(", but "),
                    foreign.stderr());

            Path twin = HostFiles.copyTree(subnet.configs.get(2).getParent(), temp.resolve("replica-2-elsewhere"));
            OutcallsProcess.Result otherNode = cli(home, "restore", "--config", twin.resolve("replica.json").toString(),
                    "--from", backup.toString());
            assertEquals(1, otherNode.exitCode(), otherNode.stderr());
            assertTrue(otherNode.stderr().contains("(replica 3), but ") && otherNode.stderr().contains("(replica 2): a replica "
                    + "restores only its own backups"), otherNode.stderr());
            OutcallsProcess.Result whileRunning = cli(home, "restore", "--config", replica3, "--from", backup.toString());
            assertEquals(1, whileRunning.exitCode(), whileRunning.stderr());
            assertTrue(whileRunning.stderr().contains("replica 3 is running on ") && whileRunning.stderr().contains("(pid "),
                    whileRunning.stderr());

            // stop it and wipe its data folder
            assertEquals(0, subnet.procs.get(3).stop(), "replica 3 stops cleanly");
            OutcallsProcess.Result stopped = cli(home, "backup", "--config", replica3, "--out",
                    temp.resolve("none.tar.gz").toString());
            assertEquals(3, stopped.exitCode(), stopped.stderr());
            assertTrue(stopped.stderr().contains("no replica runs on the data folder"), stopped.stderr());
            HostFiles.deleteTree(subnet.data(3));

            assertTrue(!Files.exists(subnet.data(3).resolve("store")), "a wiped folder");

            OutcallsProcess.Result restored = cli(home, "restore", "--config", replica3, "--from", backup.toString());
            assertEquals(0, restored.exitCode(), restored.stderr());
            assertTrue(restored.stdout().contains("restored replica 3 ") && restored.stdout().contains(".." + backedUpTo + ","),
                    restored.stdout());
            OutcallsProcess.Result again = cli(home, "restore", "--config", replica3, "--from", backup.toString());
            assertEquals(1, again.exitCode(), again.stderr());
            assertTrue(again.stderr().contains("already holds a store (finalized heights "), again.stderr());

            // started again, it catches up from its peers to the same state
            long othersAt = subnet.height(0);
            assertTrue(othersAt > backedUpTo, "the others went on past the backup");
            subnet.start(3, null);
            subnet.awaitSameState(3, 0, CATCH_UP);
            Waits.awaitUntil("replica 3 is ready", () -> subnet.readyz(3).status() == 200, READY);
            // it forgot what it signed after the backup: catching up, it must not sign those heights again
            // (its peers are the ones who would see it and log it)
            for (int peer = 0; peer < 3; peer++) {
                assertEquals(List.of(), HostFiles.linesOf(subnet.data(peer).resolve("logs").resolve("outcalls.log"),
                        "maker 3 proposed two blocks"), "replica 3 contradicted itself, seen by replica " + peer);
            }

            List<String> ids = load.stop();
            assertTrue(ids.size() >= 20, "the load submitted only " + ids.size() + " outcalls");
            long loadEnded = subnet.height(0);
            Waits.awaitUntil("replica 3 executes what the load submitted", () -> subnet.height(3) >= loadEnded, CATCH_UP);
            for (String id : ids) {
                JsonNode r0 = subnet.await(0, id);
                JsonNode r3 = subnet.await(3, id);
                assertEquals(r0.path("height"), r3.path("height"), "the restored replica delivered " + id + " at one height");
                assertEquals(r0.path("response"), r3.path("response"), id);
                assertEquals("completed", r0.path("status").asText(), "every outcall of the load completes: " + r0);
            }

            // readiness of a real replica: two of four down leaves replica 0 one peer: 503 with the reason
            assertEquals(0, subnet.procs.get(2).stop());
            assertEquals(0, subnet.procs.get(3).stop());
            HostedSubnet.Reply notReady = Waits.awaitReply(() -> subnet.readyz(0), r -> r.status() == 503, READY);
            assertTrue(notReady.body().path("reasons").toString().contains("reaches 1 of its 3 peers; the subnet needs this "
                    + "replica and 2 peers to finalize"), notReady.body().toString());
            assertEquals(200, subnet.get(0, "/healthz").statusCode());
            subnet.start(2, null);
            Waits.awaitUntil("replica 0 is ready again", () -> subnet.readyz(0).status() == 200, READY);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, subnet.procs.get(i).stop(), "replica " + i + " stops cleanly");
            }
        }
    }

    private static OutcallsProcess.Result cli(Path home, String... args) throws Exception {
        return OutcallsProcess.run(home, temp, CLI, args);
    }
}
