package org.outcalls.crypto;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process-wide, bounded memory of signatures that verified: SHA-256(key, domain prefix, body,
 * signature) of each success. When n replicas share one JVM (the embedded subnet) every share is
 * checked by n − 1 of them; with this memory the Ed25519 work is done once. Only successes are
 * remembered, and the remembered digest covers every input, so a different key, message or
 * signature can never hit. Oldest entries are forgotten first.
 */
final class VerifiedSignatures {
    static final int CAPACITY = 1 << 16;
    private static final ConcurrentHashMap<Hash, Boolean> SEEN = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Hash> ORDER = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SIZE = new AtomicInteger();

    private VerifiedSignatures() {
    }

    static Hash digest(byte[] key, byte[] prefix, byte[] body, byte[] signature) {
        return Hash.sha256(key, prefix, body, signature);
    }

    static boolean contains(Hash digest) {
        return SEEN.containsKey(digest);
    }

    static void add(Hash digest) {
        if (SEEN.putIfAbsent(digest, Boolean.TRUE) == null) {
            ORDER.add(digest);
            if (SIZE.incrementAndGet() > CAPACITY) {
                Hash old = ORDER.poll();
                if (old != null) {
                    SEEN.remove(old);
                    SIZE.decrementAndGet();
                }
            }
        }
    }
}
