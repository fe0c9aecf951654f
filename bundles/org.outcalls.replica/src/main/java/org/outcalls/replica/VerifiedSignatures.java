package org.outcalls.replica;

import java.util.LinkedHashMap;
import java.util.Map;
import org.outcalls.crypto.Hash;

/**
 * Remembers which (message id, signature) pairs verified, so that pool admission, validation by
 * every replica in this JVM and execution check one message's signature once. Verification is a
 * pure function of the message, so remembering it cannot change any verdict. Only successes are
 * kept; the oldest are forgotten past {@link #CAPACITY}.
 */
final class VerifiedSignatures {
    public static final int CAPACITY = 65_536;
    private static final Map<Hash, Boolean> VERIFIED = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    private VerifiedSignatures() {
    }

    public static Hash key(Hash messageId, byte[] signature) {
        return Hash.sha256(messageId.bytes(), signature);
    }

    public static boolean known(Hash key) {
        synchronized (VERIFIED) {
            return VERIFIED.get(key) != null;
        }
    }

    public static void remember(Hash key) {
        synchronized (VERIFIED) {
            VERIFIED.put(key, Boolean.TRUE);
        }
    }
}
