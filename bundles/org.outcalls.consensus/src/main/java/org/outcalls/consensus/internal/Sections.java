package org.outcalls.consensus.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.outcalls.consensus.Block;
import org.outcalls.consensus.PayloadSection;
import org.outcalls.crypto.Hash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's payload sections in name order, and the {@link Context} a section sees when it
 * builds or validates a block's payload: its payloads in the block's ancestors, which depend only
 * on the chain.
 */
final class Sections {
    private static final Logger LOG = LoggerFactory.getLogger(Sections.class);

    private final TreeMap<String, PayloadSection> byName = new TreeMap<>();
    private final ConsensusState state;

    Sections(List<PayloadSection> sections, ConsensusState state) {
        this.state = state;
        for (PayloadSection s : sections) {
            if (!Block.validSectionName(s.name())) {
                throw new IllegalArgumentException("sections: invalid name " + s.name());
            }
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("sections: two sections are named " + s.name());
            }
        }
    }

    /** The sections, in name order. */
    Collection<PayloadSection> all() {
        return byName.values();
    }

    /** Their names, in order. */
    Set<String> names() {
        return byName.keySet();
    }

    boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** Whether any section has work for a block (a section that fails here has none). */
    boolean anyWork() {
        for (PayloadSection s : byName.values()) {
            try {
                if (s.hasWork()) {
                    return true;
                }
            } catch (RuntimeException e) {
                LOG.error("replica {}: section {} failed in hasWork", state.params.self(), s.name(), e);
            }
        }
        return false;
    }

    /** The context of {@code section} in the block at {@code height} with {@code parent}. */
    Context context(long height, long time, int maker, long maxBytes, String section, Hash parent) {
        return new Context(height, time, maker, maxBytes, () -> ancestors(section, height - 1, parent));
    }

    /** {@code section}'s payloads from the block {@code hash} at {@code height} downwards, newest first. */
    private List<byte[]> ancestors(String section, long height, Hash hash) {
        List<byte[]> out = new ArrayList<>();
        Hash cur = hash;
        for (long h = height; h >= 1 && out.size() < state.params.ancestryDepth(); h--) {
            Block b = state.knownBlock(h, cur);
            if (b == null) {
                // Only reachable for a block older than everything kept, which validation never needs.
                LOG.error("replica {}: ancestor {} at height {} is not available", state.params.self(), cur, h);
                break;
            }
            out.add(b.payloadOf(section));
            cur = b.parent();
        }
        return out;
    }
}
