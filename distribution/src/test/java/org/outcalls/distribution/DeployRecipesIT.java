package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped systemd unit and container recipe ({@code deploy/} in the distribution) run exactly
 * the command the multi-host tests run ({@link ReplicaProcess#command}: {@code bin/outcalls replica
 * --config FILE}), from files the archive really has, as an unprivileged user, stopped by SIGTERM;
 * the unit restarts on failure and {@code systemd-analyze verify} accepts it; the container's health
 * check is {@code /readyz}.
 */
class DeployRecipesIT {
    private static final String PREFIX = "/opt/outcalls";
    private static final String CONFIG = "/var/lib/outcalls/replica.json";

    @TempDir
    Path temp;

    /** The words the tests run after the command itself, for the recipes' config path. */
    private static List<String> testedArguments() {
        List<String> tested = ReplicaProcess.command(Path.of(PREFIX), Path.of(CONFIG));
        return tested.subList(1, tested.size());
    }

    /** A path under the install prefix, as a file of the assembled distribution. */
    private static Path inDistribution(String path) {
        assertTrue(path.startsWith(PREFIX + "/"), path + " is not under " + PREFIX);
        return Dist.home().resolve(path.substring(PREFIX.length() + 1));
    }

    @Test
    void theUnitRunsTheTestedCommandUnprivilegedRestartsOnFailureAndStopsBySigterm() throws Exception {
        Path file = Dist.home().resolve("deploy").resolve("outcalls-replica.service");
        Map<String, Map<String, List<String>>> unit = DeployRecipes.unit(file);
        Map<String, List<String>> service = unit.get("Service");
        List<String> exec = List.of(service.get("ExecStart").get(0).split("\\s+"));
        assertTrue(Files.isExecutable(inDistribution(exec.get(0))), exec.get(0) + " is the distribution's bin/outcalls");
        assertEquals(ReplicaProcess.command(Path.of(PREFIX), Path.of(CONFIG)).get(0), exec.get(0));
        assertEquals(testedArguments(), exec.subList(1, exec.size()), "the command line the ITs run");
        assertEquals(Path.of(CONFIG).getParent().toString(), service.get("WorkingDirectory").get(0));
        assertNotEquals("root", service.get("User").get(0));
        assertEquals("on-failure", service.get("Restart").get(0));
        assertEquals("SIGTERM", service.get("KillSignal").get(0));
        assertEquals("/bin/kill -TERM $MAINPID", service.get("ExecStop").get(0));
        assertTrue(service.get("ReadWritePaths").contains(Path.of(CONFIG).getParent().toString()), "it may write its folder");
        assertEquals(List.of("multi-user.target"), unit.get("Install").get("WantedBy"));
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path unit = Dist.home().resolve("deploy").resolve("outcalls-replica.service");
        ProcessBuilder probe = new ProcessBuilder("systemd-analyze", "--version").redirectErrorStream(true);
        try {
            probe.start().waitFor(30, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            Assumptions.abort("systemd-analyze is not installed here: the unit's syntax is not checked by systemd");
        }
        // verify checks that ExecStart exists: point the copy at this distribution instead of /opt/outcalls
        Path copy = temp.resolve("outcalls-replica.service");
        Files.writeString(copy, Files.readString(unit).replace(PREFIX + "/", Dist.home().toAbsolutePath() + "/"));
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", copy.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "systemd-analyze verify: " + out);
        assertTrue(out.lines().noneMatch(l -> l.contains(copy.getFileName().toString())), "no complaint about the unit: " + out);
    }

    @Test
    void theContainerRunsTheTestedCommandUnprivilegedWithReadyzAsItsHealthCheck() throws Exception {
        List<String[]> df = DeployRecipes.dockerfile(Dist.home().resolve("deploy").resolve("Dockerfile"));
        assertEquals("FROM", df.get(0)[0]);
        assertTrue(df.get(0)[1].matches("\\S*17\\S*"), "a Java 17 base image: " + df.get(0)[1]);
        assertEquals(". " + PREFIX, DeployRecipes.last(df, "COPY"), "the distribution folder becomes " + PREFIX);
        List<String> entry = DeployRecipes.execForm(DeployRecipes.last(df, "ENTRYPOINT"));
        List<String> cmd = DeployRecipes.execForm(DeployRecipes.last(df, "CMD"));
        assertEquals(List.of(PREFIX + "/bin/outcalls"), entry);
        assertTrue(Files.isExecutable(inDistribution(entry.get(0))));
        assertEquals(testedArguments(), cmd, "the command line the ITs run");
        assertEquals("outcalls", DeployRecipes.last(df, "USER"));
        assertEquals(Path.of(CONFIG).getParent().toString(), DeployRecipes.last(df, "WORKDIR"));
        assertEquals("SIGTERM", DeployRecipes.last(df, "STOPSIGNAL"));
        String health = DeployRecipes.last(df, "HEALTHCHECK");
        assertTrue(health.contains("CMD curl -fsS \"http://127.0.0.1:${OUTCALLS_HTTP_PORT}/readyz\""), health);
        assertTrue(DeployRecipes.last(df, "ENV").contains("OUTCALLS_HTTP_PORT=7450"), "the gateway port subnet init gives");
        assertTrue(DeployRecipes.last(df, "EXPOSE").contains("7470"), "the peer port subnet init's examples use");
    }
}
