package org.outcalls.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.outcalls.crypto.Ed25519Work;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.Genesis;
import org.outcalls.replica.multihost.ReplicaConfig;

/**
 * n replicas, each in a JVM of its own ({@link ReplicaMain}), connected by TCP with mutual TLS over
 * loopback: as on n hosts, every replica checks every signature itself (no verified-signature
 * cache shared between replicas) and has its own heap, collector and JIT. Each gets a
 * {@code replica.json} as {@code outcalls subnet init} writes one. Outcalls are submitted to replica
 * 0 over its standard input; every replica reports the results its canister is handed. CPU and heap
 * are the replicas' JVMs' own (this JVM, which drives the load, is not counted).
 */
final class HostsTarget implements Target {
    private final int n;
    private final List<ReplicaProcess> replicas = new ArrayList<>();

    HostsTarget(String classPath, Path originCa, int n, Probe probe, Path dir) throws Exception {
        this.n = n;
        probe.deliveriesPerOutcall(n);
        List<Integer> ports = Ports.free(n);
        List<NodeKey> keys = new ArrayList<>();
        Genesis.Builder g = Genesis.builder().timeMillis(System.currentTimeMillis()).admin(NodeKey.generate().publicKey())
                .consensusTimeoutMillis(Subnets.CONSENSUS_TIMEOUT_MILLIS);
        for (int i = 0; i < n; i++) {
            keys.add(NodeKey.generate());
            g.member(keys.get(i).publicKey(), "127.0.0.1:" + ports.get(i));
        }
        Subnets.enabledPlugins().forEach(g::plugin);
        g.canister(BenchCanister.ID, Subnets.CANISTER_CYCLES);
        Genesis genesis = g.build();
        try {
            for (int i = 0; i < n; i++) {
                Path home = Files.createDirectories(dir.resolve("replica-" + i));
                Path key = home.resolve("node.key");
                keys.get(i).save(key);
                ReplicaConfig config = new ReplicaConfig(home.resolve("replica.json"), i, key, "127.0.0.1", ports.get(i),
                        home.resolve("data"), Optional.empty(), Subnets.TIMING.rankDelay(), Subnets.TIMING.heartbeat(),
                        ReplicaConfig.Store.DEFAULT, genesis);
                config.write();
                replicas.add(ReplicaProcess.start(classPath, config.file(), originCa, home.resolve("replica.log"), probe));
            }
            for (ReplicaProcess r : replicas) {
                r.awaitReady();
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    public String transport() {
        return "hosts";
    }

    @Override
    public boolean jvmPerReplica() {
        return true;
    }

    @Override
    public int replicas() {
        return n;
    }

    @Override
    public long height() {
        try {
            return Long.parseLong(replicas.get(0).command("h"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public boolean submit(long tag, String url) {
        try {
            return replicas.get(0).command("s " + tag + " " + url).equals("accepted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The replicas' JVMs' CPU time together. */
    @Override
    public long cpuNanos(long driverThreadId) {
        long sum = 0;
        for (ReplicaProcess r : replicas) {
            sum += r.cpuNanos();
        }
        return sum;
    }

    /** The replicas' JVMs' Ed25519 work together. */
    @Override
    public Ed25519Work ed25519Work() {
        Ed25519Work sum = new Ed25519Work(0, 0);
        for (ReplicaProcess r : replicas) {
            try {
                String[] a = r.command("w").split(" ");
                sum = sum.plus(new Ed25519Work(Long.parseLong(a[0]), Long.parseLong(a[1])));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return sum;
    }

    /** The replicas' live heaps together, each measured in its own JVM at the same time. */
    @Override
    public long liveHeapBytes(int samples) {
        List<CompletableFuture<Long>> each = new ArrayList<>();
        for (ReplicaProcess r : replicas) {
            each.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return Long.parseLong(r.command("m " + samples));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        return each.stream().mapToLong(CompletableFuture::join).sum();
    }

    @Override
    public void close() {
        replicas.parallelStream().forEach(ReplicaProcess::close);
    }
}
