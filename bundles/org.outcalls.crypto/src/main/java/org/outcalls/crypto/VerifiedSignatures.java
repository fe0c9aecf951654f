package org.outcalls.crypto;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A process-wide, bounded memory of signatures known to be valid: SHA-256(key, domain prefix, body,
 * signature) of each success, and of each signature {@link NodeKey#sign} made (valid by
 * construction: the public key is derived from the private key that signed). When n replicas share
 * one JVM (the embedded subnet) every share is checked by n − 1 of them; with this memory the
 * Ed25519 work is done at most once, and not at all for a signature made in the JVM while it is
 * remembered (made and checked seconds apart, it is). Only valid signatures are remembered, and the
 * remembered digest covers every input, so a different key, message or signature can never hit.
 * Oldest entries are forgotten first. A signature that several threads check at once (a share broadcast to every replica arrives at all of them together) is checked by
 * the first; the others wait for its answer rather than repeat the curve work.
 */
final class VerifiedSignatures {
    static final int CAPACITY = 1 << 16;
    private static final ConcurrentHashMap<Hash, Boolean> SEEN = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Hash> ORDER = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SIZE = new AtomicInteger();
    private static final ConcurrentHashMap<Hash, CompletableFuture<Boolean>> CHECKING = new ConcurrentHashMap<>();

    private VerifiedSignatures() {
    }

    static Hash digest(byte[] key, byte[] prefix, byte[] body, byte[] signature) {
        return Hash.sha256(key, prefix, body, signature);
    }

    /**
     * Whether the signature with this digest is valid: remembered, checked by another thread at
     * this moment (its answer), or checked here by {@code onCurve}. A check that ends without an
     * answer (an {@link Error} in that thread) gives the waiting threads none: each checks for
     * itself, so one thread's fault never becomes another's verdict.
     */
    static boolean check(Hash digest, BooleanSupplier onCurve) {
        if (SEEN.containsKey(digest)) {
            return true;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> other = CHECKING.putIfAbsent(digest, mine);
        if (other != null) {
            Boolean answer = other.join();
            return answer != null ? answer : checkAlone(digest, onCurve);
        }
        Boolean answer = null;
        try {
            answer = checkAlone(digest, onCurve); // it may have been remembered since the first look
            return answer;
        } finally {
            mine.complete(answer);
            CHECKING.remove(digest, mine);
        }
    }

    private static boolean checkAlone(Hash digest, BooleanSupplier onCurve) {
        boolean ok = SEEN.containsKey(digest) || onCurve.getAsBoolean();
        if (ok) {
            add(digest);
        }
        return ok;
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
