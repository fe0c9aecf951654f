package org.outcalls.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A node's Ed25519 signing key. Signs {@code domain.message(body)} only, so every signature is
 * bound to the kind of message it was made for. Thread-safe (each signature uses its own signer).
 * Stored as a PKCS#8 PEM file readable by its owner only.
 */
public final class NodeKey {
    public static final int SEED_LENGTH = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;

    private NodeKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = PublicKey.wrap(privateKey.generatePublicKey().getEncoded());
    }

    /** A new key from the system's strong random source. */
    public static NodeKey generate() {
        return generate(new SecureRandom());
    }

    public static NodeKey generate(SecureRandom random) {
        return new NodeKey(new Ed25519PrivateKeyParameters(random));
    }

    /** The key for a 32-byte seed (RFC 8032 private key). Same seed, same key: for tests and key derivation. */
    public static NodeKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("seed: must be " + SEED_LENGTH + " bytes");
        }
        return new NodeKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Signs {@code domain.message(body)}; a 64-byte Ed25519 signature (deterministic). The signature
     * is remembered as valid (see {@link PublicKey#verify}).
     */
    public byte[] sign(Domain domain, byte[] body) {
        Ed25519Work.signed();
        byte[] signed = body.clone(); // what is remembered is exactly what was signed, whatever the caller does meanwhile
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, privateKey);
        byte[] prefix = domain.prefix();
        s.update(prefix, 0, prefix.length);
        s.update(signed, 0, signed.length);
        byte[] signature = s.generateSignature();
        // A signature made here is valid by construction: a replica in this JVM that receives it
        // (a share broadcast in the embedded subnet, an ingress message the front replica signed
        // for its caller) finds it in the memory, while it is remembered, instead of checking the
        // curve again.
        VerifiedSignatures.add(VerifiedSignatures.digest(publicKey.raw(), prefix, signed, signature));
        return signature;
    }

    Ed25519PrivateKeyParameters privateParams() {
        return privateKey;
    }

    /** The private key as PKCS#8 PEM ("PRIVATE KEY"), as TLS stacks read it. */
    public String privateKeyPem() {
        try {
            PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(privateKey);
            StringWriter out = new StringWriter();
            try (PemWriter w = new PemWriter(out)) {
                w.writeObject(new PemObject("PRIVATE KEY", info.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the node key", e);
        }
    }

    /** Parses a PKCS#8 PEM Ed25519 private key. */
    public static NodeKey fromPem(String pem) throws IOException {
        PemObject obj;
        try (PemReader r = new PemReader(new StringReader(pem))) {
            obj = r.readPemObject();
        }
        if (obj == null || !"PRIVATE KEY".equals(obj.getType())) {
            throw new IOException("not a PKCS#8 PEM private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        AsymmetricKeyParameter p;
        try {
            p = PrivateKeyFactory.createKey(obj.getContent());
        } catch (IOException | RuntimeException e) {
            throw new IOException("malformed PKCS#8 private key: " + e.getMessage(), e);
        }
        if (!(p instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IOException("not an Ed25519 key: " + p.getClass().getSimpleName());
        }
        return new NodeKey(ed);
    }

    /**
     * Writes the key as PEM, readable and writable by the owner only (0600 where the file system
     * has POSIX permissions), atomically: a reader sees the old file or the new one, never a part.
     */
    public void save(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".nodekey", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".nodekey", ".tmp");
        try {
            Files.writeString(tmp, privateKeyPem(), StandardCharsets.US_ASCII);
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a key written by {@link #save}. Refuses a file that group or others may read or write,
     * as ssh does: such a key may have leaked.
     */
    public static NodeKey load(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
            extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            if (!extra.isEmpty()) {
                throw new IOException("node key " + file + " is accessible by others ("
                        + PosixFilePermissions.toString(perms) + "); run chmod 600 on it");
            }
        }
        return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "NodeKey[" + publicKey + "]";
    }
}
