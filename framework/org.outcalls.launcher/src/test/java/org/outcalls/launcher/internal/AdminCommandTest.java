package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;

/**
 * {@code outcalls admin} against a stand-in gateway that checks what it receives the way a replica
 * does: the canonical encoding decodes, the signature verifies against the admin key, and the
 * message is exactly {@code enable_plugin}/{@code disable_plugin} with the expected argument.
 */
class AdminCommandTest {
    @TempDir
    Path temp;

    private HttpServer gateway;
    private NodeKey admin;
    private Path keyFile;
    private final List<IngressMessage> relayed = new CopyOnWriteArrayList<>();
    private volatile String outcome = "{\"status\":\"executed\",\"height\":17}";

    @BeforeEach
    void start() throws IOException {
        admin = NodeKey.generate();
        keyFile = temp.resolve("admin.key");
        admin.save(keyFile);
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/api/v1/subnet", ex -> reply(ex, 200, "{\"subnet_id\":\"" + StandInGateway.SUBNET.hex()
                + "\",\"registry_version\":3,"
                + "\"enabled_plugins\":{\"median\":\"0.1.0\",\"two-thirds\":\"0.1.0\"},"
                + "\"installed_plugins\":{\"methods\":[\"methods@0.1.0\"],\"policies\":[\"median@0.1.0\",\"two-thirds@0.1.0\"],"
                + "\"transforms\":[\"identity@0.1.0\"]},"
                + "\"replicas\":[" + replica(0, "") + "," + replica(1, "\"shout@1.0.1\"") + "," + replica(2, "\"shout@1.0.1\"") + ","
                + "{\"index\":3,\"missing_plugins\":[\"median@0.1.0\"],\"installed_plugins\":[\"two-thirds@0.1.0\"]}]}"));
        gateway.createContext("/api/v1/ingress", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                byte[] body = ex.getRequestBody().readAllBytes();
                try {
                    IngressMessage m = IngressMessage.decode(body);
                    if (!m.verifySignature()) {
                        reply(ex, 400, "{\"error\":{\"status\":400,\"message\":\"bad signature\"}}");
                        return;
                    }
                    relayed.add(m);
                    reply(ex, 202, "{\"id\":\"" + m.idHex() + "\"}");
                } catch (DecodeException e) {
                    reply(ex, 400, "{\"error\":{\"status\":400,\"message\":\"malformed\"}}");
                }
            } else {
                reply(ex, 200, outcome.replace("{", "{\"id\":\"x\","));
            }
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run admin(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "admin";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = Main.commandLine().execute(all);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A replica that has the distribution's plugins installed, and {@code more}. */
    private static String replica(int index, String more) {
        return "{\"index\":" + index + ",\"missing_plugins\":[],\"installed_plugins\":[\"median@0.1.0\",\"two-thirds@0.1.0\","
                + "\"methods@0.1.0\",\"identity@0.1.0\"" + (more.isEmpty() ? "" : "," + more) + "]}";
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.getAddress().getPort();
    }

    @Test
    void enableSignsWithTheAdminKeyTakesTheInstalledVersionAndPrintsTheHeight() {
        Run r = admin("enable", "median", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, relayed.size());
        IngressMessage m = relayed.get(0);
        assertEquals(ManagementCanister.ID, m.canisterId());
        assertEquals(ManagementCanister.ENABLE_PLUGIN, m.method());
        assertEquals("median@0.1.0", new String(m.argument(), StandardCharsets.UTF_8));
        assertEquals(admin.publicKey(), m.sender());
        assertEquals(StandInGateway.SUBNET, m.subnetId(), "signed for the gateway's subnet");
        assertTrue(m.checkExpiry(System.currentTimeMillis()).isEmpty(), "valid now and not too far ahead");
        assertTrue(r.out().contains("done at height 17"), r.out());
        assertTrue(r.err().contains("replicas [3] do not have median@0.1.0 installed"), r.err());
    }

    @Test
    void disableSendsTheNameAsGivenAndAnExplicitVersionIsKept() {
        assertEquals(0, admin("disable", "methods", "--key", keyFile.toString(), "--gateway", url()).exit());
        assertEquals(0, admin("enable", "median@9.9.9", "--force", "--key", keyFile.toString(), "--gateway", url()).exit());
        assertEquals(ManagementCanister.DISABLE_PLUGIN, relayed.get(0).method());
        assertEquals("methods", new String(relayed.get(0).argument(), StandardCharsets.UTF_8));
        assertEquals("median@9.9.9", new String(relayed.get(1).argument(), StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalIsExitOneWithTheSubnetsReason() {
        outcome = "{\"status\":\"failed\",\"height\":5,\"message\":\"disable_plugin: 'median' is not enabled\"}";
        Run r = admin("disable", "median", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("at height 5") && r.err().contains("is not enabled"), r.err());
    }

    @Test
    void aVersionFewerThanNMinusFReplicasHaveIsNotEnabledUnlessForced() {
        Run r = admin("enable", "shout@1.0.1", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("shout@1.0.1 is installed on 2 of 4 replicas (1, 2) and missing on replicas 0, 3; "
                + "n - f = 3 must have it before it is enabled"), r.err());
        assertEquals(0, relayed.size(), "nothing was sent");
        Run forced = admin("enable", "shout@1.0.1", "--force", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(0, forced.exit(), forced.err());
        assertEquals("shout@1.0.1", new String(relayed.get(0).argument(), StandardCharsets.UTF_8));
    }

    @Test
    void aTransformIsEnabledLikeAPolicy() {
        Run r = admin("enable", "identity", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(0, r.exit(), r.err());
        assertEquals("identity@0.1.0", new String(relayed.get(0).argument(), StandardCharsets.UTF_8));
    }

    @Test
    void wrongUseIsExitTwoAndSendsNothing() {
        Run noKey = admin("enable", "median", "--key", temp.resolve("nope.key").toString(), "--gateway", url());
        assertEquals(2, noKey.exit());
        assertTrue(noKey.err().contains("no admin key at"), noKey.err());
        assertEquals(2, admin("enable", "@1.0", "--key", keyFile.toString(), "--gateway", url()).exit());
        assertEquals(2, admin("frobnicate", "median").exit());
        assertEquals(0, relayed.size());
    }

    @Test
    void anUnreachableGatewayIsExitThree() {
        gateway.stop(0);
        Run r = admin("enable", "median@0.1.0", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(3, r.exit(), r.err());
    }

    @Test
    void aBadNameOrVersionIsWrongUsageSaidBeforeAnythingIsSent() {
        for (String[] c : new String[][] {
                {"shout@abc", "the version 'abc' is not MAJOR.MINOR.MICRO"},
                {"shout@1.0", "the version '1.0' is not MAJOR.MINOR.MICRO"},
                {"shout@", "the version is empty"},
                {"@1.0.0", "the name is empty"},
                {"sh out@1.0.0", "the name 'sh out' is not 1 to 128 of [A-Za-z0-9._-]"}}) {
            Run r = admin("enable", c[0], "--key", keyFile.toString(), "--gateway", url());
            assertEquals(2, r.exit(), c[0] + ": " + r.err());
            assertTrue(r.err().contains("outcalls admin enable: '" + c[0] + "' is not NAME or NAME@VERSION: " + c[1]), r.err());
        }
        Run d = admin("disable", "median@x", "--key", keyFile.toString(), "--gateway", url());
        assertEquals(2, d.exit(), d.err());
        assertEquals(0, relayed.size(), "nothing was sent");
    }

    @Test
    void aGatewayThatIsNoHttpUrlIsWrongUsageWithoutAStackTrace() {
        for (String g : new String[] {"notaurl", "ftp://x", "http://", "http://a b"}) {
            Run r = admin("enable", "median", "--key", keyFile.toString(), "--gateway", g);
            assertEquals(2, r.exit(), g + ": " + r.err());
            assertTrue(r.err().startsWith("outcalls admin enable: --gateway: '" + g + "' is not "), r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
