package org.outcalls.testkit.origin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for processes started later to listen on (replicas of a test or of the
 * benchmark). A port the kernel hands out for {@code bind(0)} lies in its ephemeral range, from
 * which it also picks the local port of every outgoing connection: between the moment a test picks
 * it and the moment a replica's JVM binds it (seconds later), a connection of this machine may take
 * it, and the replica fails with "Address already in use" (seen in a fresh-clone run of a
 * multi-process test). These ports lie below that range, are free when handed out, and are never
 * handed out twice by this JVM.
 */
public final class ListenPorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> handedOut = new HashSet<>();

    private ListenPorts() {
    }

    /** One free port. */
    public static int free() throws IOException {
        return free(1);
    }

    /** The first of {@code span} consecutive free ports (a command that counts up from a base port). */
    public static synchronized int free(int span) throws IOException {
        int below = ephemeralLow();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, below - span);
            boolean all = true;
            for (int p = first; p < first + span && all; p++) {
                all = !handedOut.contains(p) && bindable(p);
            }
            if (all) {
                for (int p = first; p < first + span; p++) {
                    handedOut.add(p);
                }
                return first;
            }
        }
        throw new IOException("no " + span + " free consecutive ports in " + LOWEST + ".." + below);
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The lowest ephemeral port (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range}; 32768 elsewhere). */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            return Math.max(LOWEST + 1_000, low);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
