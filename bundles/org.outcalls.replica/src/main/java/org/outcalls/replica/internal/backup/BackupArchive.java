package org.outcalls.replica.internal.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A replica's backup as a {@code .tar.gz}: {@value BackupManifest#NAME} first, then the files it
 * lists ({@value #STORE}, and {@value #GATEWAY_KEY} when the replica has one). Reading checks every
 * tar header, each file's size and SHA-256 against the manifest, and the gzip CRC, so damage is
 * reported as {@link Damaged} with what is wrong, never restored.
 */
public final class BackupArchive {
    public static final String STORE = "store/store.mv";
    public static final String GATEWAY_KEY = "gateway.key";
    private static final Set<String> KNOWN = Set.of(STORE, GATEWAY_KEY);

    private BackupArchive() {
    }

    /** The archive is not a sound outcalls backup; the message says why. */
    public static final class Damaged extends IOException {
        private static final long serialVersionUID = 1L;

        public Damaged(String message) {
            super(message);
        }
    }

    /** Writes the manifest and {@code files} (archive path → file; sizes and hashes as the manifest says). */
    public static void write(BackupManifest manifest, Map<String, Path> files, OutputStream sink) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(sink, 64 * 1024);
        TarOutput tar = new TarOutput(gz);
        long now = System.currentTimeMillis() / 1000;
        byte[] json = manifest.toJson();
        tar.file(BackupManifest.NAME, json.length, 0644, now, new ByteArrayInputStream(json));
        for (Map.Entry<String, Path> f : files.entrySet()) {
            try (InputStream in = Files.newInputStream(f.getValue())) {
                tar.file(f.getKey(), manifest.files().get(f.getKey()).bytes(), 0600, now, in);
            }
        }
        tar.finish();
        gz.finish();
        sink.flush();
    }

    /** Size and SHA-256 of a file, as the manifest records them. */
    public static BackupManifest.FileEntry describe(Path file) throws IOException {
        MessageDigest sha = sha256();
        long bytes = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                bytes += n;
            }
        }
        return new BackupManifest.FileEntry(bytes, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Unpacks an archive into the empty folder {@code dir}, checking it whole.
     *
     * @throws Damaged if anything does not match (the folder may then hold partial files: discard it)
     */
    public static BackupManifest extract(InputStream source, Path dir) throws IOException {
        try {
            return extractChecked(source, dir);
        } catch (Damaged e) {
            throw e;
        } catch (java.io.EOFException e) {
            throw new Damaged("the archive is truncated: " + e.getMessage());
        } catch (IOException e) {
            throw new Damaged("the archive does not read as a gzip-compressed tar: " + e.getMessage());
        }
    }

    private static BackupManifest extractChecked(InputStream source, Path dir) throws IOException {
        GZIPInputStream gz = new GZIPInputStream(source, 64 * 1024);
        TarInput tar = new TarInput(gz);
        TarInput.Entry first = tar.next();
        if (first == null || !first.name().equals(BackupManifest.NAME) || first.size() > 1 << 20) {
            throw new Damaged("the archive does not start with " + BackupManifest.NAME + ": not an outcalls backup");
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        copy(tar, json, null);
        BackupManifest m;
        try {
            m = BackupManifest.parse(json.toByteArray());
        } catch (IOException e) {
            throw new Damaged(e.getMessage());
        }
        for (String name : m.files().keySet()) {
            if (!KNOWN.contains(name)) {
                throw new Damaged(BackupManifest.NAME + " lists " + name + ", which no outcalls backup holds");
            }
        }
        if (!m.files().containsKey(STORE)) {
            throw new Damaged(BackupManifest.NAME + " lists no " + STORE);
        }
        Set<String> seen = new HashSet<>();
        for (TarInput.Entry e = tar.next(); e != null; e = tar.next()) {
            BackupManifest.FileEntry expected = m.files().get(e.name());
            if (expected == null || !seen.add(e.name())) {
                throw new Damaged("the archive holds " + e.name() + (expected == null ? ", which its manifest does not list"
                        : " twice"));
            }
            Path target = dir.resolve(e.name());
            Files.createDirectories(target.getParent());
            MessageDigest sha = sha256();
            long bytes;
            try (OutputStream out = Files.newOutputStream(target)) {
                bytes = copy(tar, out, sha);
            }
            ownerOnly(target); // keys and the store: for the replica's user alone, as the replica keeps them
            String hash = HexFormat.of().formatHex(sha.digest());
            if (bytes != expected.bytes() || !hash.equals(expected.sha256())) {
                throw new Damaged(e.name() + " has " + bytes + " bytes with SHA-256 " + hash + ", its manifest says "
                        + expected.bytes() + " bytes with " + expected.sha256() + " (damaged archive)");
            }
        }
        for (String name : m.files().keySet()) {
            if (!seen.contains(name)) {
                throw new Damaged("the archive lacks " + name + ", which its manifest lists (truncated?)");
            }
        }
        // the rest of the stream: reading to the end makes GZIPInputStream check its CRC and length
        byte[] rest = new byte[8192];
        while (gz.read(rest) >= 0) {
            // padding after the end blocks
        }
        return m;
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
    }

    private static long copy(TarInput tar, OutputStream out, MessageDigest sha) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = tar.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (sha != null) {
                sha.update(buf, 0, n);
            }
            total += n;
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
