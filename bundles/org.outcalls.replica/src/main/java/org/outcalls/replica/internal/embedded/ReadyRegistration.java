package org.outcalls.replica.internal.embedded;

import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.SortedMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.local.DevelopmentAccounts;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.replica.local.PluginSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the local subnet as the {@link SubnetNode} once callers can use it: its development
 * accounts are credited. That takes a block, so it happens on a thread of its own — the component's
 * activation must not wait for blocks while the plugin bundles wait to register their services —
 * and only once the plugins the registry enables are served, so the first block finds them.
 */
final class ReadyRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadyRegistration.class);
    private static final Duration PLUGINS_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CREDIT_TIMEOUT = Duration.ofSeconds(30);

    private final Thread thread;
    private ServiceRegistration<SubnetNode> registration;
    private boolean closed;

    ReadyRegistration(BundleContext context, LocalSubnet subnet, PluginSource plugins, Map<String, String> enabled,
                      SortedMap<String, Long> accounts, Hashtable<String, Object> properties) {
        this.thread = new Thread(() -> {
            try {
                if (!accounts.isEmpty()) {
                    awaitPlugins(plugins, enabled);
                    DevelopmentAccounts.credit(subnet, accounts, CREDIT_TIMEOUT);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("development accounts not credited: {}", e.getMessage());
            }
            synchronized (this) {
                if (!closed) {
                    registration = context.registerService(SubnetNode.class, subnet, properties);
                }
            }
        }, "outcalls-subnet-ready");
        thread.setDaemon(true);
        thread.start();
    }

    private static void awaitPlugins(PluginSource plugins, Map<String, String> enabled) throws InterruptedException {
        long deadline = System.nanoTime() + PLUGINS_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline
                && !enabled.entrySet().stream().allMatch(e -> plugins.serves(e.getKey(), e.getValue()))) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            if (registration != null) {
                registration.unregister();
            }
        }
        thread.interrupt();
        thread.join(5_000);
    }
}
