package org.outcalls.replica.internal.byzantine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.byzantine.PayloadForger;

/**
 * A payload section whose blocks a faulty replica makes pass its payload forger. It validates
 * others' blocks honestly, but lets its own forgeries through (a maker checks what it built before
 * proposing it; a faulty one does not).
 */
final class ScriptedSection implements PayloadSection {
    private static final int REMEMBERED = 64;
    private final PayloadSection honest;
    private final ScriptedAdversary adversary;
    private final Set<Hash> forged = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Hash, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    ScriptedSection(PayloadSection honest, ScriptedAdversary adversary) {
        this.honest = honest;
        this.adversary = adversary;
    }

    @Override
    public String name() {
        return honest.name();
    }

    @Override
    public boolean hasWork() {
        return honest.hasWork() || adversary.payloadForger() != null;
    }

    @Override
    public byte[] build(PayloadContext context) {
        byte[] built = honest.build(context);
        PayloadForger forger = adversary.payloadForger();
        if (forger == null) {
            return built;
        }
        byte[] made = forger.forge(honest.name(), context, built);
        if (made == null) {
            return new byte[0];
        }
        synchronized (forged) {
            forged.add(Hash.sha256(made));
        }
        return made;
    }

    @Override
    public void validate(PayloadContext context, byte[] payload) throws InvalidPayloadException {
        synchronized (forged) {
            if (forged.contains(Hash.sha256(payload))) {
                return;
            }
        }
        honest.validate(context, payload);
    }
}
