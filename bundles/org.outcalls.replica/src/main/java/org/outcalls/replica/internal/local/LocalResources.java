package org.outcalls.replica.internal.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.outcalls.crypto.NodeKey;
import org.outcalls.replica.internal.outcall.TransformRunner;
import org.outcalls.replica.local.LocalSubnet;

/** The keys, threads and transform runner a {@link LocalSubnet} makes for itself. */
final class LocalResources {
    private LocalResources() {
    }

    /** The key in {@code dir/name}, made and saved there if missing; a new throwaway key without a folder. */
    static NodeKey key(Path dir, String name) throws IOException {
        if (dir == null) {
            return NodeKey.generate();
        }
        Path file = dir.resolve(name);
        if (Files.exists(file)) {
            return NodeKey.load(file);
        }
        Files.createDirectories(dir);
        NodeKey k = NodeKey.generate();
        k.save(file);
        return k;
    }

    /** One transform runner for the {@code replicas} replicas of this JVM, each allowed the queue a runner of its own has. */
    static TransformRunner sharedTransformRunner(int replicas, int workers) {
        return new TransformRunner(TransformRunner.Budget.DEFAULT, workers, TransformRunner.QueueLimits.sharedBy(replicas));
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, …: a local subnet never keeps the JVM alive. */
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
