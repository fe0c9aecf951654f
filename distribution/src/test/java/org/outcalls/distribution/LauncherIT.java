package org.outcalls.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code outcalls} command as a user runs it: from a copied distribution, in a path with spaces. */
class LauncherIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path temp;

    static Path home;

    @BeforeAll
    static void copyDistributionToAPathWithSpaces() throws IOException {
        home = temp.resolve("a folder with spaces").resolve("outcalls");
        HostFiles.copyTree(Dist.home(), home);
    }

    @Test
    void runPrintsReadyStopsCleanlyOnSigtermAndRestartsAtOnce() throws Exception {
        Path data = temp.resolve("data dir");
        Path elsewhere = Files.createDirectories(temp.resolve("some other working dir"));
        for (int round = 1; round <= 2; round++) {
            try (OutcallsProcess p = OutcallsProcess.start(home, elsewhere, "run", "--data", data.toString(), "--http-port", "0")) {
                String ready = p.awaitStdout(l -> l.startsWith("outcalls ready in "), START);
                assertTrue(ready.matches("outcalls ready in \\d+ ms: .*"), ready);
                p.terminate();
                assertEquals(0, p.awaitExit(Duration.ofSeconds(30)), "exit code after SIGTERM, round " + round
                        + "; stderr: " + p.stderr());
                assertTrue(p.stderr().stream().allMatch(OutcallsProcess::isIdentityNotice),
                        "quiet by default (but for making the identity `default` once), but stderr had: " + p.stderr());
            }
        }
        Path log = data.resolve("logs").resolve("outcalls.log");
        assertTrue(Files.readString(log).contains("ready in"), "log file " + log + " records the start");
    }

    @Test
    void verbosePrintsDebugMessages() throws Exception {
        try (OutcallsProcess p = OutcallsProcess.start(home, temp, "run", "--data", temp.resolve("verbose").toString(),
                "--http-port", "0", "--verbose")) {
            p.awaitStdout(l -> l.startsWith("outcalls ready in "), START);
            p.terminate();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)));
            assertTrue(p.stderr().stream().anyMatch(l -> l.contains(" DEBUG ")), "no debug line in " + p.stderr().size()
                    + " lines of stderr");
        }
    }

    /**
     * {@code run} exempts only the demo origin's own endpoint from the private-address block: the
     * demo answers, while another loopback port (the gateway's, open) and a closed one are refused
     * alike, before any connection, so replicas cannot be used to scan this machine's ports.
     */
    @Test
    void runReachesTheDemoOriginButNoOtherLoopbackPort() throws Exception {
        try (OutcallsProcess p = OutcallsProcess.start(home, temp, "run", "--data", temp.resolve("edge").toString(),
                "--http-port", "0", "--demo-port", "0")) {
            String ready = p.awaitStdout(l -> l.startsWith("outcalls ready in "), START);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("gateway (http://[^,]+?:(\\d+))/?, demo origin "
                    + "https://localhost:(\\d+)/").matcher(ready);
            assertTrue(m.find(), ready);
            String gateway = m.group(1);
            int gatewayPort = Integer.parseInt(m.group(2));
            int demoPort = Integer.parseInt(m.group(3));
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            OutcallsProcess.Result demo = call(gateway, "https://localhost:" + demoPort + "/hello");
            assertEquals(0, demo.exitCode(), demo.stdout() + demo.stderr());
            assertTrue(demo.stdout().contains("hello from the demo origin"), demo.stdout());
            assertCallsAreSignedWithTheCurrentIdentity(gateway, "https://localhost:" + demoPort + "/hello");
            OutcallsProcess.Result open = call(gateway, "https://localhost:" + gatewayPort + "/");
            OutcallsProcess.Result closed = call(gateway, "https://localhost:" + closedPort + "/");
            assertEquals(1, open.exitCode(), open.stdout() + open.stderr());
            assertTrue(open.stdout().contains("reject: SYS_TRANSIENT (destination_blocked)"), open.stdout());
            assertTrue(open.stdout().contains("127.0.0.0/8 (Loopback"), open.stdout());
            assertEquals(reject(open), reject(closed), "an open and a closed port look the same");
            p.terminate();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)));
        }
    }

    /**
     * {@code call} signs with the current identity: the proxy records that principal as the caller,
     * and pays from its account ({@code run} credited {@code default}; a new identity has nothing).
     */
    private static void assertCallsAreSignedWithTheCurrentIdentity(String gateway, String url) throws Exception {
        OutcallsProcess.Result list = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "identity", "list");
        java.util.regex.Matcher current = java.util.regex.Pattern.compile("\\* (\\S+) ([0-9a-f]{64})").matcher(list.stdout());
        assertTrue(current.find(), list.stdout() + list.stderr());
        OutcallsProcess.Result json = OutcallsProcess.run(home, temp, Duration.ofSeconds(120), "call", "--json",
                "--gateway", gateway, url);
        assertEquals(0, json.exitCode(), json.stdout() + json.stderr());
        assertEquals(current.group(2), new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout())
                .path("caller").asText(), "the result's caller is the current identity");

        String name = "it-" + Long.toHexString(System.nanoTime());
        OutcallsProcess.Result made = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "identity", "new", name);
        java.util.regex.Matcher principal = java.util.regex.Pattern.compile("principal ([0-9a-f]{64})").matcher(made.stdout());
        assertTrue(principal.find(), made.stdout() + made.stderr());
        assertEquals(0, OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "identity", "use", name).exitCode());
        try {
            OutcallsProcess.Result broke = call(gateway, url);
            assertEquals(1, broke.exitCode(), broke.stdout() + broke.stderr());
            assertTrue(broke.stdout().contains("reject: CANISTER_REJECT (insufficient_cycles)")
                    && broke.stdout().contains("caller " + principal.group(1) + " holds 0 cycles"), broke.stdout());
        } finally {
            OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "identity", "use", current.group(1));
        }
    }

    private static OutcallsProcess.Result call(String gateway, String url) throws Exception {
        return OutcallsProcess.run(home, temp, Duration.ofSeconds(120), "call", "--gateway", gateway, url);
    }

    /** The reject's lines: code, kind and message (the first line has the height, which differs). */
    private static String reject(OutcallsProcess.Result r) {
        return r.stdout().substring(r.stdout().indexOf("reject:"));
    }

    @Test
    void wrongFlagPrintsUsageAndExitsTwo() throws Exception {
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "run", "--no-such-flag");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("Unknown option: '--no-such-flag'"), r.stderr());
        assertTrue(r.stderr().contains("Usage: outcalls run"), r.stderr());
    }

    @Test
    void badValuePrintsWhatIsWrongAndExitsTwo() throws Exception {
        OutcallsProcess.Result r = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "run", "--replicas", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--replicas must be at least 1"), r.stderr());
    }

    @Test
    void everySubcommandHasHelp() throws Exception {
        OutcallsProcess.Result top = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), "--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.stdout().contains("Usage: outcalls"), top.stdout());
        String commands = top.stdout().substring(top.stdout().indexOf("Commands:"));
        for (String line : commands.split("\n")) {
            if (!line.matches("  \\S.*")) {
                continue; // the heading, or a wrapped description
            }
            String name = line.strip().split("\\s+")[0];
            if (name.equals("help")) {
                continue;
            }
            OutcallsProcess.Result sub = OutcallsProcess.run(home, temp, Duration.ofSeconds(30), name, "--help");
            assertEquals(0, sub.exitCode(), name + " --help");
            assertTrue(sub.stdout().contains("Usage: outcalls " + name), sub.stdout());
        }
    }
}
