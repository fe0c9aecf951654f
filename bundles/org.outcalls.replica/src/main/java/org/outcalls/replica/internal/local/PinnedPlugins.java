package org.outcalls.replica.internal.local;

import java.util.Set;
import java.util.TreeSet;
import org.outcalls.replica.Replica;
import org.outcalls.replica.RequestContext;
import org.outcalls.replica.local.Plugins;

/** The plugin versions ({@code name@version}) the open request contexts of some replicas pin. */
public final class PinnedPlugins {
    private PinnedPlugins() {
    }

    public static Set<String> of(Iterable<Replica> replicas) {
        Set<String> pinned = new TreeSet<>();
        for (Replica r : replicas) {
            for (RequestContext c : r.openContexts().values()) {
                pinned.add(c.policy() + "@" + c.policyVersion());
                c.request().transform().ifPresent(t -> {
                    int at = t.name().lastIndexOf('@');
                    pinned.add((at < 0 ? t.name() : t.name().substring(0, at)) + "@" + c.transformVersion());
                });
            }
        }
        return pinned;
    }

    /** After each executed height: releases the retired plugin versions none of {@code replicas} still needs. */
    public static void release(Plugins plugins, Iterable<Replica> replicas) {
        if (plugins.retiredCount() > 0) {
            plugins.releaseUnpinned(of(replicas));
        }
    }
}
