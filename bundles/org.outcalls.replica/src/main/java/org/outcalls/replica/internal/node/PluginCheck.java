package org.outcalls.replica.internal.node;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.outcalls.replica.SubnetRegistry;
import org.outcalls.replica.local.PluginSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which plugins the subnet registry enables that this replica lacks. Says so in the log once per
 * {@code name@version} when it starts to be missing and once when it is served again. Local
 * knowledge only: it never changes what the replica executes or how it validates.
 */
final class PluginCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCheck.class);
    private final int replica;
    private final PluginSource plugins;
    private Set<String> missing = Set.of();

    PluginCheck(int replica, PluginSource plugins) {
        this.replica = replica;
        this.plugins = plugins;
    }

    /** The enabled {@code name@version} entries not served here, sorted. Any thread. */
    synchronized SortedSet<String> check(SubnetRegistry registry) {
        TreeSet<String> now = new TreeSet<>();
        registry.plugins().forEach((name, version) -> {
            if (!plugins.serves(name, version)) {
                now.add(name + "@" + version);
            }
        });
        for (String m : now) {
            if (!missing.contains(m)) {
                LOG.error("replica {}: plugin {} is enabled in the subnet registry (version {}) but not installed here; "
                        + "this replica does not fetch or validate what needs it until it is installed", replica, m,
                        registry.version());
            }
        }
        for (String m : missing) {
            if (!now.contains(m)) {
                LOG.info("replica {}: plugin {} is no longer missing here", replica, m);
            }
        }
        missing = Set.copyOf(now);
        return now;
    }
}
