package org.outcalls.gateway.apikeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files behind a gateway's API keys: hashes only, owner-only, revocations seen at once. */
class ApiKeyStoreTest {
    @TempDir
    Path temp;

    @Test
    void keepsOnlyTheHashOwnerOnlyAndSeesARevocationAtOnce() throws Exception {
        Path dir = temp.resolve("data").resolve("gateway");
        ApiKeyStore store = new ApiKeyStore(dir);
        ApiKeyStore.Created created = store.create("ci");
        assertTrue(created.secret().startsWith("ock_") && created.secret().length() == 47, created.secret());
        String file = Files.readString(dir.resolve(ApiKeyStore.FILE));
        assertFalse(file.contains(created.secret().substring(4)), "the secret is not kept");
        assertTrue(file.contains(ApiKeyStore.sha256(created.secret())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("api-keys"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ApiKeyStore.FILE))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("api-keys").resolve("ci.key"))));

        ApiKeyStore gateway = new ApiKeyStore(dir); // another process's view of the same files
        ApiKeyStore.Lookup valid = gateway.authenticate(created.secret());
        assertTrue(valid.valid());
        assertEquals(created.key().principal(), valid.key().principal());
        store.revoke("ci");
        ApiKeyStore.Lookup revoked = gateway.authenticate(created.secret());
        assertFalse(revoked.valid());
        assertTrue(revoked.key().isRevoked());
        assertFalse(gateway.authenticate("ock_" + "x".repeat(43)).valid());
        assertFalse(gateway.authenticate("not a key").valid());
    }

    @Test
    void namesAreCheckedAndNeverReused() throws Exception {
        ApiKeyStore store = new ApiKeyStore(temp);
        store.create("a");
        store.revoke("a");
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> store.create("a"));
        assertTrue(again.getMessage().startsWith("name: ") && again.getMessage().contains("(revoked)"), again.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> store.create("../x")).getMessage().startsWith("name: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> store.revoke("b")).getMessage().contains("no API key"));
    }
}
