package org.outcalls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
    static final Domain A = Domain.of("outcalls/test/a", 1);
    static final Domain B = Domain.of("outcalls/test/b", 1);
    static final Domain A2 = Domain.of("outcalls/test/a", 2);

    @Test
    void seedGivesTheRfc8032PublicKey() {
        // RFC 8032, section 7.1, TEST 1
        NodeKey k = NodeKey.fromSeed(HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", k.publicKey().hex());
    }

    @Test
    void signaturesVerifyOnlyForTheirKeyDomainVersionAndBody() {
        NodeKey k = NodeKey.generate();
        NodeKey other = NodeKey.generate();
        byte[] body = {1, 2, 3};
        byte[] sig = k.sign(A, body);
        assertEquals(64, sig.length);
        assertTrue(k.publicKey().verify(A, body, sig));
        assertFalse(k.publicKey().verify(B, body, sig), "another domain");
        assertFalse(k.publicKey().verify(A2, body, sig), "another version of the domain");
        assertFalse(k.publicKey().verify(A, new byte[] {1, 2, 4}, sig), "another body");
        assertFalse(other.publicKey().verify(A, body, sig), "another key");
        byte[] tampered = sig.clone();
        tampered[10] ^= 1;
        assertFalse(k.publicKey().verify(A, body, tampered));
        assertFalse(k.publicKey().verify(A, body, new byte[63]));
        assertFalse(k.publicKey().verify(A, body, null));
        assertArrayEquals(sig, k.sign(A, body), "Ed25519 is deterministic");
    }

    @Test
    void aDomainPrefixIsNeverAPrefixOfAnother() {
        // tag "a" with body "b..." must not equal tag "ab": the tag is length-prefixed
        Domain x = Domain.of("ab", 1);
        Domain y = Domain.of("a", 1);
        NodeKey k = NodeKey.generate();
        byte[] sig = k.sign(x, new byte[0]);
        byte[] yBody = new byte[] {'b', 0, 1};
        assertFalse(k.publicKey().verify(y, yBody, sig));
        assertThrows(IllegalArgumentException.class, () -> Domain.of("Upper", 1));
        assertThrows(IllegalArgumentException.class, () -> Domain.of("a", 0));
    }

    @Test
    void savedKeysAreOwnerOnlyAndLoadBack(@TempDir Path dir) throws IOException {
        NodeKey k = NodeKey.generate();
        Path file = dir.resolve("keys/node.key");
        k.save(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(k.publicKey(), NodeKey.load(file).publicKey());
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        NodeKey replacement = NodeKey.generate();
        replacement.save(file);
        assertEquals(replacement.publicKey(), NodeKey.load(file).publicKey(), "overwritten atomically");
    }

    @Test
    void aKeyOthersCanReadIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.key");
        NodeKey.generate().save(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> NodeKey.load(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void malformedKeyFilesAreClearErrors() {
        assertThrows(IOException.class, () -> NodeKey.fromPem("hello"));
        assertThrows(IOException.class, () -> NodeKey.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
    }

    @Test
    void nodeIdsAreShortStableAndDistinct() {
        NodeKey a = NodeKey.fromSeed(new byte[32]);
        NodeKey b = NodeKey.fromSeed(Hash.sha256(new byte[] {1}).bytes());
        assertEquals(10, a.publicKey().nodeId().length());
        assertEquals(a.publicKey().nodeId(), NodeKey.fromSeed(new byte[32]).publicKey().nodeId());
        assertNotEquals(a.publicKey().nodeId(), b.publicKey().nodeId());
        assertEquals(a.publicKey(), PublicKey.fromHex(a.publicKey().hex()));
    }
}
