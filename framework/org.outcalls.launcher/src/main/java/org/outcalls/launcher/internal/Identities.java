package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Principals;

/**
 * The caller identities of this user: Ed25519 keys in {@code <config>/identities/NAME.key} (mode
 * 600, folders 700) and the name of the current one in {@code <config>/identity}. The config folder
 * is {@code $OUTCALLS_CONFIG}, else {@code $XDG_CONFIG_HOME/outcalls}, else {@code ~/.config/outcalls}.
 */
final class Identities {
    static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    private final Path folder;

    /** One identity: its name and key; the principal is what the subnet calls it. */
    record Identity(String name, NodeKey key, Path file) {
        String principal() {
            return Principals.ofKey(key.publicKey());
        }
    }

    Identities(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** The user's config folder for outcalls, from the environment. */
    static Identities ofUser() {
        return new Identities(configFolder(System.getenv("OUTCALLS_CONFIG"), System.getenv("XDG_CONFIG_HOME"),
                System.getProperty("user.home")));
    }

    static Path configFolder(String outcallsConfig, String xdgConfigHome, String home) {
        if (outcallsConfig != null && !outcallsConfig.isBlank()) {
            return Path.of(outcallsConfig);
        }
        if (xdgConfigHome != null && !xdgConfigHome.isBlank()) {
            return Path.of(xdgConfigHome, "outcalls");
        }
        return Path.of(home, ".config", "outcalls");
    }

    Path folder() {
        return folder;
    }

    Identity create(String name) throws IOException {
        checkName(name);
        Path file = keyFile(name);
        ownerOnlyFolders();
        if (Files.exists(file)) {
            throw new IllegalArgumentException("an identity named '" + name + "' exists already (" + file + ")");
        }
        NodeKey key = NodeKey.generate();
        key.save(file);
        return new Identity(name, key, file);
    }

    Identity load(String name) throws IOException {
        checkName(name);
        Path file = keyFile(name);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no identity named '" + name + "' in " + folder.resolve("identities")
                    + "; there are " + names() + " (`outcalls identity new " + name + "` makes one)");
        }
        return new Identity(name, NodeKey.load(file), file);
    }

    List<String> names() throws IOException {
        Path dir = folder.resolve("identities");
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".key"))
                        .map(f -> f.substring(0, f.length() - 4)).filter(n -> NAME.matcher(n).matches()).sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** The name of the current identity: the one {@link #use} chose, else {@code default}. */
    String currentName() throws IOException {
        Path file = folder.resolve("identity");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : DEFAULT;
    }

    void use(String name) throws IOException {
        load(name);
        ownerOnlyFolders();
        Path tmp = Files.createTempFile(folder, ".identity", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, folder.resolve("identity"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The identity calls are signed with: {@code name} if given, else the current one. The current
     * {@code default} is made on first use, and {@code created} is told so (once: it exists after).
     */
    Identity signer(String name, Consumer<Identity> created) throws IOException {
        if (name != null) {
            return load(name);
        }
        String current = currentName();
        if (current.equals(DEFAULT) && !Files.exists(keyFile(DEFAULT))) {
            try {
                Identity made = create(DEFAULT);
                created.accept(made);
                return made;
            } catch (IllegalArgumentException raced) {
                // another outcalls made it at the same moment: use that one
            }
        }
        return load(current);
    }

    private Path keyFile(String name) {
        return folder.resolve("identities").resolve(name + ".key");
    }

    /** The config folder and its identities folder, created or narrowed to their owner (700). */
    private void ownerOnlyFolders() throws IOException {
        for (Path dir : List.of(folder, folder.resolve("identities"))) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_FOLDER);
            }
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("NAME: '" + name + "' is not 1 to 64 lower-case letters, digits, '.', '_' "
                    + "or '-' starting with a letter or digit");
        }
    }
}
