package org.outcalls.replica.internal.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The client side of {@link ControlEndpoint}: asks the replica running on a data folder for a backup. */
public final class ControlClient {
    private ControlClient() {
    }

    /** No replica answers on that data folder. */
    public static final class NotRunning extends IOException {
        private static final long serialVersionUID = 1L;

        NotRunning(String message) {
            super(message);
        }
    }

    /** The replica answered with an error. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Streams the running replica's backup archive into {@code out}; returns the bytes written. */
    public static long backup(Path data, OutputStream out) throws IOException {
        ControlFile f;
        try {
            f = ControlFile.read(data);
        } catch (NoSuchFileException e) {
            throw new NotRunning("no replica runs on the data folder " + data + " (no " + ControlFile.NAME
                    + "): start it, or, while it is stopped, copy the folder");
        } catch (AccessDeniedException e) {
            throw new Refused("cannot read " + data.resolve(ControlFile.NAME) + ": run this as the replica's user");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.port())) {
            s.getOutputStream().write(("backup " + f.token() + "\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String status = ControlEndpoint.readLine(in);
            if (!status.equals("OK")) {
                throw new Refused(status.startsWith("ERROR ") ? status.substring(6) : "unexpected answer: " + status);
            }
            return in.transferTo(out);
        } catch (ConnectException e) {
            throw new NotRunning("the replica of " + data + " (pid " + f.pid() + ") does not answer on 127.0.0.1:" + f.port()
                    + ": it is not running (a stale " + ControlFile.NAME + ")");
        }
    }
}
