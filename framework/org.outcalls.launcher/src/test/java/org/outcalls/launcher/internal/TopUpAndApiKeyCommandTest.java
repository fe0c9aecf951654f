package org.outcalls.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.crypto.NodeKey;
import org.outcalls.gateway.apikeys.ApiKeyStore;
import org.outcalls.replica.IngressMessage;

/** {@code outcalls admin top-up} signs the proxy's top_up with the admin key; {@code admin api-key} manages the files. */
class TopUpAndApiKeyCommandTest {
    private static final String PRINCIPAL = "ab".repeat(32);

    @TempDir
    Path temp;

    private StandInGateway gateway;
    private NodeKey admin;
    private Path keyFile;

    @BeforeEach
    void start() throws Exception {
        gateway = new StandInGateway();
        gateway.recordByMethod.put(ProxyProtocol.METHOD_TOP_UP, "{\"status\":\"completed\",\"top_up\":[{\"principal\":\""
                + PRINCIPAL + "\",\"cycles\":5000,\"balance\":7000}]}");
        admin = NodeKey.generate();
        keyFile = temp.resolve("admin.key");
        admin.save(keyFile);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void topUpSignsTheProxysTopUpWithTheAdminKey() {
        StandInGateway.Run r = StandInGateway.outcalls("admin", "top-up", PRINCIPAL.toUpperCase(), "5_000", "--key",
                keyFile.toString(), "--gateway", gateway.url());
        assertEquals(0, r.exit(), r.err());
        IngressMessage m = gateway.relayed.get(0);
        assertEquals(admin.publicKey(), m.sender());
        assertEquals(ProxyProtocol.CANISTER_ID, m.canisterId());
        assertEquals(ProxyProtocol.METHOD_TOP_UP, m.method());
        assertEquals(PRINCIPAL + " 5000\n", new String(m.argument(), StandardCharsets.UTF_8));
        assertTrue(r.out().contains("done at height 21; its balance is now 7000 cycles"), r.out());

        assertEquals(2, StandInGateway.outcalls("admin", "top-up", "abc", "5", "--key", keyFile.toString(),
                "--gateway", gateway.url()).exit());
        StandInGateway.Run zero = StandInGateway.outcalls("admin", "top-up", PRINCIPAL, "0", "--key", keyFile.toString(),
                "--gateway", gateway.url());
        assertEquals(2, zero.exit());
        assertTrue(zero.err().contains("CYCLES: '0'"), zero.err());
        assertEquals(1, gateway.relayed.size(), "nothing more was sent");
    }

    @Test
    void apiKeysAreMadeListedAndRevokedInTheGatewaysDataFolder() throws Exception {
        Path dir = temp.resolve("data").resolve("gateway");
        StandInGateway.Run made = StandInGateway.outcalls("admin", "api-key", "create", "ci", "--gateway-data", dir.toString());
        assertEquals(0, made.exit(), made.err());
        String secret = made.out().lines().findFirst().orElseThrow().replace("api key ci: ", "");
        assertTrue(secret.startsWith(ApiKeyStore.SECRET_PREFIX), made.out());
        assertTrue(new ApiKeyStore(dir).authenticate(secret).valid());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ApiKeyStore.FILE))));
        assertTrue(!Files.readString(dir.resolve(ApiKeyStore.FILE)).contains(secret), "only the hash is kept");

        StandInGateway.Run list = StandInGateway.outcalls("admin", "api-key", "list", "--gateway-data", dir.toString());
        assertTrue(list.out().startsWith("ci ") && !list.out().contains("revoked"), list.out());
        assertEquals(0, StandInGateway.outcalls("admin", "api-key", "revoke", "ci", "--gateway-data", dir.toString()).exit());
        assertTrue(StandInGateway.outcalls("admin", "api-key", "list", "--gateway-data", dir.toString()).out()
                .contains(" revoked "));
        assertTrue(!new ApiKeyStore(dir).authenticate(secret).valid());
        assertEquals(2, StandInGateway.outcalls("admin", "api-key", "create", "ci", "--gateway-data", dir.toString()).exit(),
                "a name is never reused");
    }
}
