package org.outcalls.bench.internal;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.outcalls.consensus.FaultMode;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Ed25519Work;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.Member;
import org.outcalls.replica.internal.node.NodeSetup;
import org.outcalls.replica.internal.node.ReplicaNode;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.outcalls.transport.Clock;
import org.outcalls.transport.ProtocolThread;
import org.outcalls.transport.TcpTransport;
import org.outcalls.transport.Transports;

/**
 * One benchmark replica in a JVM of its own, as on a host of its own: its configuration file
 * ({@code replica.json}: genesis, key, address), TCP with mutual TLS to its peers, its own adapter,
 * signature verifier and caches, the benchmark canister. Wired as {@code outcalls replica} wires one,
 * without its store.
 *
 * <p>Arguments: {@code <replica.json> <origin ca.pem>}. Protocol on the standard streams: prints
 * {@code READY <index>} once started; then, for every result its canister is handed,
 * {@code D <tag> ok|busy|reject [description]}; and answers each command with one line: {@code s
 * <tag> <url>} (submit an outcall: {@code accepted}, {@code busy} or {@code refused <why>}), {@code h}
 * (executed height), {@code m <samples>} (live heap in bytes, {@link Meters#liveHeapBytes}), {@code c}
 * (CPU time in ns), {@code q} (quit).
 */
public final class ReplicaMain {
    private ReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        // Standard output is the protocol channel: whatever logs to the console goes to standard error.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ReplicaConfig config = ReplicaConfig.read(Path.of(args[0]));
        Lines out = new Lines(protocol);
        Genesis genesis = config.genesis();
        int index = config.replica();
        Vertx vertx = Vertx.vertx();
        Adapters adapters = new Adapters(vertx, Path.of(args[1]), 1);
        ProtocolThread thread = new ProtocolThread("outcalls-replica-" + index);
        List<TcpTransport.Peer> peers = new ArrayList<>();
        for (Member m : genesis.registry().members()) {
            peers.add(TcpTransport.Peer.of(m.index(), m.publicKey(), m.hostPort().orElseThrow()));
        }
        NodeKey key = NodeKey.load(config.nodeKey());
        TcpTransport transport = Transports.tcp(vertx, key, index, peers, config.listenHost(), config.listenPort(),
                genesis.subnetIdBytes(), thread, TcpTransport.Settings.DEFAULT);
        int cores = Runtime.getRuntime().availableProcessors();
        TransformRunner transforms = new TransformRunner(TransformRunner.Budget.DEFAULT, Math.max(2, cores));
        ExecutorService signing = Executors.newFixedThreadPool(Math.max(2, cores), r -> {
            Thread t = new Thread(r, "outcalls-sign");
            t.setDaemon(true);
            return t;
        });
        ReplicaNode node = new ReplicaNode(new NodeSetup(genesis, key, transport, thread, Clock.system(),
                Adapters.tagged(adapters.first(), index), transforms, Subnets.plugins(),
                Subnets.canisters(new BenchCanister(out::delivered)), Subnets.TIMING, FaultMode.NONE, false, signing,
                new BatchVerifier(65_536)));
        node.start();
        FrontDoor door = new FrontDoor(node, Hash.wrap(genesis.subnetIdBytes()));
        out.line("READY " + index);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("q"); line = in.readLine()) {
            out.line(answer(line, node, door));
        }
        node.stop();
        transport.close();
        thread.close();
        transforms.close();
        signing.shutdownNow();
        adapters.close();
        System.exit(0); // Vert.x threads are not daemons
    }

    private static String answer(String line, ReplicaNode node, FrontDoor door) {
        String[] parts = line.split(" ", 3);
        try {
            return switch (parts[0]) {
                case "s" -> switch (door.submit(Long.parseLong(parts[1]), parts[2])) {
                    case ACCEPTED -> "accepted";
                    case BUSY -> "busy";
                    case REFUSED -> "refused";
                };
                case "h" -> Long.toString(node.replica().height());
                case "m" -> Long.toString(Meters.liveHeapBytes(Integer.parseInt(parts[1])));
                case "c" -> Long.toString(Meters.processCpuNanos());
                case "w" -> {
                    Ed25519Work w = Ed25519Work.sinceStart();
                    yield w.signatures() + " " + w.verifications();
                }
                default -> "unknown command " + parts[0];
            };
        } catch (RuntimeException e) {
            return "error " + e.toString().replace('\n', ' ');
        }
    }

    /** The protocol channel: one line at a time from any thread, flushed at once (latency is measured). */
    static final class Lines {
        private final PrintStream out;

        Lines(PrintStream out) {
            this.out = out;
        }

        synchronized void line(String s) {
            out.print(s);
            out.print('\n');
            out.flush();
        }

        void delivered(long tag, String reject, boolean busy) {
            line("D " + tag + (busy ? " busy" : reject == null ? " ok" : " reject " + reject.replace('\n', ' ')));
        }
    }
}
