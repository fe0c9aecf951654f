package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.IngressMessage;

/**
 * {@code outcalls identity} keeps keys owner-only in $OUTCALLS_CONFIG (the build sets it to
 * target/test-config), and {@code outcalls call} signs with the current identity, making
 * {@code default} on first use and saying so once.
 */
class IdentityCommandTest {
    private final Path config = Identities.ofUser().folder();
    private StandInGateway gateway;

    @BeforeEach
    void start() throws Exception {
        assertTrue(config.toString().contains("test-config"), "the build points OUTCALLS_CONFIG at target/: " + config);
        clean();
        gateway = new StandInGateway();
        gateway.recordByMethod.put(ProxyProtocol.METHOD_OUTCALL, "{\"status\":\"completed\",\"height\":21,"
                + "\"cycles\":{\"attached\":5,\"charged\":5,\"refunded\":0},"
                + "\"response\":{\"status\":200,\"headers\":[],\"body\":\"aGk=\"}}");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        clean();
    }

    private void clean() throws Exception {
        if (Files.exists(config)) {
            try (Stream<Path> all = Files.walk(config)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void newListAndUseKeepOwnerOnlyFiles() throws Exception {
        Files.createDirectories(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        StandInGateway.Run made = StandInGateway.outcalls("identity", "new", "alice");
        assertEquals(0, made.exit(), made.err());
        Path key = config.resolve("identities").resolve("alice.key");
        assertEquals("rw-------", perms(key));
        assertEquals("rwx------", perms(config.resolve("identities")));
        assertEquals("rwx------", perms(config), "a config folder open to others is narrowed to its owner");
        String principal = new Identities(config).load("alice").principal();
        assertTrue(made.out().contains("principal " + principal), made.out());

        assertEquals(0, StandInGateway.outcalls("identity", "new", "bob").exit());
        StandInGateway.Run used = StandInGateway.outcalls("identity", "use", "bob");
        assertEquals(0, used.exit(), used.err());
        assertEquals("rw-------", perms(config.resolve("identity")));
        StandInGateway.Run list = StandInGateway.outcalls("identity", "list");
        assertTrue(list.out().contains("  alice " + principal) && list.out().contains("* bob "), list.out());

        assertEquals(2, StandInGateway.outcalls("identity", "new", "alice").exit(), "names are not reused");
        assertEquals(2, StandInGateway.outcalls("identity", "use", "carol").exit());
        StandInGateway.Run bad = StandInGateway.outcalls("identity", "new", "../x");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("NAME: '../x'"), bad.err());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        StandInGateway.Run exposed = StandInGateway.outcalls("identity", "use", "alice");
        assertEquals(2, exposed.exit(), "a key others can read is refused");
        assertTrue(exposed.err().contains("chmod 600"), exposed.err());
    }

    @Test
    void callSignsWithTheCurrentIdentityMakingDefaultOnFirstUse() throws Exception {
        StandInGateway.Run first = StandInGateway.outcalls("call", "https://a.example/x", "--gateway", gateway.url());
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("completed at height 21"), first.out());
        NodeKey defaultKey = NodeKey.load(config.resolve("identities").resolve("default.key"));
        assertTrue(first.err().contains("created identity 'default'"), first.err());
        IngressMessage m = gateway.relayed.get(0);
        assertEquals(defaultKey.publicKey(), m.sender(), "signed with the new default identity");
        assertEquals(ProxyProtocol.CANISTER_ID, m.canisterId());
        assertEquals(ProxyProtocol.METHOD_OUTCALL, m.method());
        assertEquals("https://a.example/x", OutcallJson.parseArgument(m.argument()).request().url());

        StandInGateway.Run second = StandInGateway.outcalls("call", "https://a.example/x", "--gateway", gateway.url());
        assertFalse(second.err().contains("created identity"), "said once: " + second.err());
        assertEquals(defaultKey.publicKey(), gateway.relayed.get(1).sender());

        assertEquals(0, StandInGateway.outcalls("identity", "new", "ci").exit());
        assertEquals(0, StandInGateway.outcalls("identity", "use", "ci").exit());
        assertEquals(0, StandInGateway.outcalls("call", "https://a.example/x", "--gateway", gateway.url()).exit());
        assertEquals(new Identities(config).load("ci").key().publicKey(), gateway.relayed.get(2).sender(),
                "after `identity use ci`, calls are signed with ci");
        assertEquals(2, StandInGateway.outcalls("call", "https://a.example/x", "--max-response-bytes", "-1",
                "--gateway", gateway.url()).exit(), "a bad request is refused before anything is signed");
        assertEquals(3, gateway.relayed.size());
        assertTrue(new String(Files.readAllBytes(config.resolve("identity")), StandardCharsets.UTF_8).startsWith("ci"));
    }
}
