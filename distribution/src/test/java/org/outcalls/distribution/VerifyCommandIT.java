package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outcalls call --json} then {@code outcalls verify} as a user runs them against
 * {@code outcalls run} and its demo origin: a saved result verifies online and offline and says
 * what it rests on; the same file with another URL does not; a single-replica result is refused
 * when two-thirds is required.
 */
class VerifyCommandIT {
    private static final Duration CLI = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    static OutcallsProcess run;
    static String gateway;
    static String demo;

    @BeforeAll
    static void startSubnetAndDemo() throws Exception {
        run = OutcallsProcess.start(Dist.home(), temp, "run", "--http-port", "0", "--demo-port", "0",
                "--data", temp.resolve("data").toString());
        String ready = run.awaitStdout(l -> l.startsWith("outcalls ready in "), Duration.ofSeconds(60));
        Matcher g = Pattern.compile("gateway (http://\\S+/)").matcher(ready);
        Matcher d = Pattern.compile("demo origin (https://\\S+/)").matcher(ready);
        assertTrue(g.find() && d.find(), ready);
        gateway = g.group(1);
        demo = d.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        run.terminate();
        run.awaitExit(Duration.ofSeconds(30));
    }

    private static OutcallsProcess.Result outcalls(String... args) throws Exception {
        return OutcallsProcess.run(Dist.home(), temp, CLI, args);
    }

    private static Path saved(String name, String... callArgs) throws Exception {
        OutcallsProcess.Result call = outcalls(callArgs);
        assertEquals(0, call.exitCode(), call.stdout() + call.stderr());
        Path file = temp.resolve(name);
        Files.writeString(file, call.stdout());
        return file;
    }

    @Test
    void aSavedResultVerifiesOnlineAndOfflineAndAnEditedOneDoesNot() throws Exception {
        Path result = saved("hello.json", "call", demo + "hello", "--json", "--gateway", gateway);

        OutcallsProcess.Result online = outcalls("verify", result.toString(), "--gateway", gateway);
        assertEquals(0, online.exitCode(), online.stdout() + online.stderr());
        assertTrue(online.stdout().matches("(?s)GENUINE: [34] of 4 replicas agreed on this response \\(policy two-thirds@.*"),
                online.stdout());
        assertTrue(online.stdout().contains("request: GET " + demo + "hello, policy two-thirds"), online.stdout());

        Path subnet = temp.resolve("subnet.json");
        HttpResponse<String> keys = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway + "api/v1/subnet")).build(), HttpResponse.BodyHandlers.ofString());
        Files.writeString(subnet, keys.body());
        OutcallsProcess.Result offline = outcalls("verify", result.toString(), "--subnet", subnet.toString(),
                "--require-policy", "two-thirds", "--min-signers", "3");
        assertEquals(0, offline.exitCode(), offline.stdout() + offline.stderr());

        ObjectNode doc = (ObjectNode) JSON.readTree(result.toFile());
        ((ObjectNode) doc.path("request")).put("url", demo + "price");
        Path edited = temp.resolve("edited.json");
        Files.writeString(edited, doc.toString());
        OutcallsProcess.Result refused = outcalls("verify", edited.toString(), "--subnet", subnet.toString());
        assertEquals(1, refused.exitCode(), refused.stdout() + refused.stderr());
        assertTrue(refused.stdout().startsWith("NOT GENUINE: request: the request shown is not the one the replicas signed"),
                refused.stdout());
    }

    @Test
    void aSingleReplicaResultIsOneReplicasWordAndRefusedWhenTwoThirdsIsRequired() throws Exception {
        Path result = saved("single.json", "call", demo + "hello", "--policy", "single-replica", "--json",
                "--gateway", gateway);
        OutcallsProcess.Result plain = outcalls("verify", result.toString(), "--gateway", gateway);
        assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());
        assertTrue(plain.stdout().startsWith("GENUINE: ONE replica (replica "), plain.stdout());

        OutcallsProcess.Result strict = outcalls("verify", result.toString(), "--gateway", gateway,
                "--require-policy", "two-thirds");
        assertEquals(1, strict.exitCode(), strict.stdout() + strict.stderr());
        assertTrue(strict.stdout().contains("not the required two-thirds"), strict.stdout());
    }
}
