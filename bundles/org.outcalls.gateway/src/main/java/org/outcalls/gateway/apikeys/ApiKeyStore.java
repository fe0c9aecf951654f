package org.outcalls.gateway.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Principals;

/**
 * A gateway's API keys in its data folder: {@code api-keys.json} (name, principal, SHA-256 of the
 * secret, created, revoked) and {@code api-keys/NAME.key}, the custodial Ed25519 key the gateway
 * signs that key's calls with. Folders are owner-only (700), files too (600). The secret
 * ({@code ock_} and 43 characters: 256 random bits) is shown once, when it is made; a SHA-256 of
 * 256 random bits cannot be turned back into the secret, so the file is no key to the calls.
 * {@code outcalls admin api-key} writes these files (under a file lock) and the gateway reads them,
 * again whenever they change, so a revocation holds from the next request.
 */
public final class ApiKeyStore {
    public static final String FILE = "api-keys.json";
    public static final String KEY_FOLDER = "api-keys";
    public static final String SECRET_PREFIX = "ock_";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SECRET = Pattern.compile(Pattern.quote(SECRET_PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path folder;
    private final Map<String, NodeKey> custodialKeys = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(null, -1, Map.of());

    /** What {@link #create} returns: the stored key and its secret, which nothing keeps. */
    public record Created(ApiKey key, String secret) {
    }

    /** What a secret is worth: a valid key with its custodial signing key, a revoked key, or nothing. */
    public record Lookup(ApiKey key, NodeKey signer) {
        public boolean valid() {
            return key != null && !key.isRevoked() && signer != null;
        }
    }

    private record Snapshot(FileTime modified, long size, Map<String, ApiKey> bySha256) {
    }

    public ApiKeyStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** A new key for {@code name}; the name must not be taken (revoked names stay taken). */
    public Created create(String name) throws IOException {
        checkName(name);
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try (Lock ignored = lock()) {
            Map<String, ApiKey> keys = read();
            if (keys.containsKey(name)) {
                throw new IllegalArgumentException("name: an API key named '" + name + "' exists already"
                        + (keys.get(name).isRevoked() ? " (revoked)" : "") + "; choose another name");
            }
            NodeKey custodial = NodeKey.generate();
            Path keyFile = keyFile(name);
            Files.deleteIfExists(keyFile);
            custodial.save(keyFile);
            ApiKey key = new ApiKey(name, Principals.ofKey(custodial.publicKey()), sha256(secret),
                    Instant.now().toString(), null);
            keys.put(name, key);
            write(keys);
            return new Created(key, secret);
        }
    }

    /** Every key, valid or revoked, by name. */
    public List<ApiKey> list() throws IOException {
        return new ArrayList<>(read().values());
    }

    /** Revokes a key: from the next request on, its secret is refused. Its principal's account stays. */
    public ApiKey revoke(String name) throws IOException {
        checkName(name);
        try (Lock ignored = lock()) {
            Map<String, ApiKey> keys = read();
            ApiKey key = keys.get(name);
            if (key == null) {
                throw new IllegalArgumentException("name: no API key named '" + name + "'; there are " + keys.keySet());
            }
            if (!key.isRevoked()) {
                key = new ApiKey(key.name(), key.principal(), key.sha256(), key.created(), Instant.now().toString());
                keys.put(name, key);
                write(keys);
            }
            return key;
        }
    }

    /**
     * The key a secret from an {@code Authorization: Bearer} header stands for. Reads the file again
     * if it changed since the last lookup. Blocking (file I/O): call it off the event loop.
     */
    public Lookup authenticate(String secret) throws IOException {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            return new Lookup(null, null);
        }
        ApiKey key = current().bySha256().get(sha256(secret));
        if (key == null || key.isRevoked()) {
            return new Lookup(key, null);
        }
        NodeKey signer = custodialKeys.get(key.name());
        if (signer == null || !Principals.ofKey(signer.publicKey()).equals(key.principal())) {
            signer = NodeKey.load(keyFile(key.name()));
            if (!Principals.ofKey(signer.publicKey()).equals(key.principal())) {
                throw new IOException(keyFile(key.name()) + " holds another key than API key '" + key.name()
                        + "' was made with");
            }
            custodialKeys.put(key.name(), signer);
        }
        return new Lookup(key, signer);
    }

    /** Hex SHA-256 of a secret's UTF-8 bytes: what the file keeps. */
    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private Snapshot current() throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            return new Snapshot(null, -1, Map.of());
        }
        FileTime modified = Files.getLastModifiedTime(file);
        long size = Files.size(file);
        Snapshot s = snapshot;
        if (!modified.equals(s.modified()) || size != s.size()) {
            Map<String, ApiKey> bySha = new TreeMap<>();
            read().values().forEach(k -> bySha.put(k.sha256(), k));
            s = new Snapshot(modified, size, Map.copyOf(bySha));
            snapshot = s;
        }
        return s;
    }

    private Map<String, ApiKey> read() throws IOException {
        Path file = folder.resolve(FILE);
        Map<String, ApiKey> keys = new TreeMap<>();
        if (!Files.exists(file)) {
            return keys;
        }
        JsonNode root = JSON.readTree(file.toFile());
        for (JsonNode k : root.path("keys")) {
            ApiKey key = new ApiKey(k.path("name").asText(), k.path("principal").asText(), k.path("sha256").asText(),
                    k.path("created").asText(), k.hasNonNull("revoked") ? k.get("revoked").asText() : null);
            keys.put(key.name(), key);
        }
        return keys;
    }

    private void write(Map<String, ApiKey> keys) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        ArrayNode array = root.putArray("keys");
        for (ApiKey k : keys.values()) {
            ObjectNode o = array.addObject().put("name", k.name()).put("principal", k.principal())
                    .put("sha256", k.sha256()).put("created", k.created());
            if (k.isRevoked()) {
                o.put("revoked", k.revoked());
            } else {
                o.putNull("revoked");
            }
        }
        Path tmp = Files.createTempFile(folder, ".api-keys", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Creates the folders owner-only and holds the store's lock file until closed. */
    private Lock lock() throws IOException {
        ownerOnlyFolder(folder);
        ownerOnlyFolder(folder.resolve(KEY_FOLDER));
        FileChannel channel = FileChannel.open(folder.resolve(".api-keys.lock"), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            return new Lock(channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Another `outcalls admin api-key` at the same time waits for this one. */
    private record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static void ownerOnlyFolder(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // kept as it is: an operator may have chosen tighter or group permissions on purpose
        }
    }

    private Path keyFile(String name) {
        return folder.resolve(KEY_FOLDER).resolve(name + ".key");
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not 1 to 64 lower-case letters, digits, '.', '_' "
                    + "or '-' starting with a letter or digit");
        }
    }

    /** Whether a value looks like a secret this store makes (so a typo is told apart from a revoked key). */
    public static boolean looksLikeSecret(String value) {
        return value != null && SECRET.matcher(value).matches();
    }
}
