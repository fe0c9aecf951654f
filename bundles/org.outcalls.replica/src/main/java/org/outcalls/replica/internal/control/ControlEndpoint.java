package org.outcalls.replica.internal.control;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's local control endpoint: a loopback port that answers {@code outcalls backup} (the
 * only command) to whoever presents the token from {@link ControlFile} — that is, to whoever can read
 * the replica's data folder. Separate from the gateway, which may be off or exposed. One request at
 * a time, on its own thread, so a backup never runs on the protocol thread longer than its snapshot.
 *
 * <p>Protocol, one request per connection: the client sends {@code backup TOKEN\n}; the endpoint
 * answers {@code OK\n} followed by the archive until it closes, or {@code ERROR message\n}.
 */
public final class ControlEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlEndpoint.class);
    static final int MAX_REQUEST_BYTES = 256;

    /** Makes a backup: a consistent snapshot first, then (after {@code OK} is sent) its archive. */
    public interface BackupSource {
        PreparedBackup prepare() throws Exception;
    }

    /** A snapshot taken and checked, ready to be written out; closing it deletes its files. */
    public interface PreparedBackup extends AutoCloseable {
        void writeTo(OutputStream out) throws IOException;

        @Override
        void close();
    }

    private final Path data;
    private final ServerSocket server;
    private final byte[] token;
    private final BackupSource backups;
    private final Thread thread;

    private ControlEndpoint(Path data, ServerSocket server, byte[] token, BackupSource backups) {
        this.data = data;
        this.server = server;
        this.token = token;
        this.backups = backups;
        this.thread = new Thread(this::serve, "outcalls-control");
        thread.setDaemon(true);
    }

    public static ControlEndpoint start(Path data, int replica, BackupSource backups) throws IOException {
        ServerSocket s = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        ControlEndpoint e = new ControlEndpoint(data, s, token, backups);
        try {
            new ControlFile(s.getLocalPort(), HexFormat.of().formatHex(token), ProcessHandle.current().pid(), replica)
                    .write(data);
        } catch (IOException ex) {
            s.close();
            throw ex;
        }
        e.thread.start();
        LOG.info("control endpoint on 127.0.0.1:{} (token in {})", s.getLocalPort(), data.resolve(ControlFile.NAME));
        return e;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket c = server.accept()) {
                c.setSoTimeout(10_000);
                handle(c);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("control endpoint: {}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.error("control endpoint failed on a request", e);
            }
        }
    }

    private void handle(Socket c) throws IOException {
        String request = readLine(c.getInputStream());
        OutputStream out = new BufferedOutputStream(c.getOutputStream(), 64 * 1024);
        String[] parts = request.split(" ", 2);
        if (parts.length != 2 || !MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().formatHex(token).getBytes(StandardCharsets.US_ASCII))) {
            LOG.warn("control endpoint: a request without the token from {} was refused", c.getRemoteSocketAddress());
            reply(out, "ERROR wrong token: read it from " + data.resolve(ControlFile.NAME) + " as the replica's user");
            return;
        }
        if (!parts[0].equals("backup")) {
            reply(out, "ERROR unknown command '" + parts[0] + "'; this replica knows: backup");
            return;
        }
        c.setSoTimeout(0); // writing the archive may take as long as the client reads
        PreparedBackup b;
        try {
            b = backups.prepare();
        } catch (Exception e) {
            LOG.error("backup failed", e);
            reply(out, "ERROR the backup failed: " + e.getMessage());
            return;
        }
        try (b) {
            reply(out, "OK");
            b.writeTo(out);
            out.flush();
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed before the end of the line");
            }
            if (sb.length() >= MAX_REQUEST_BYTES) {
                throw new IOException("line longer than " + MAX_REQUEST_BYTES + " bytes");
            }
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the control endpoint", e);
        }
        try {
            Files.deleteIfExists(data.resolve(ControlFile.NAME));
        } catch (IOException e) {
            LOG.debug("removing {}", ControlFile.NAME, e);
        }
    }
}
