package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Felix framework with the distribution's bundles: installs and starts everything in
 * {@code bundle/}, lets FileInstall watch {@code plugins/}, and stops cleanly.
 */
final class OsgiRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(OsgiRuntime.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Felix felix;

    private OsgiRuntime(Felix felix) {
        this.felix = felix;
    }

    /**
     * Starts the framework and every bundle in {@code bundle/}.
     *
     * @throws StartupException naming the bundle that failed and its missing requirement
     */
    static OsgiRuntime start(Layout layout, boolean shell, Map<String, String> extraProperties) throws StartupException {
        layout.requireRuntime();
        Map<String, Object> props = new HashMap<>(FrameworkProperties.of(layout.home(), layout.data(), shell));
        props.putAll(extraProperties);
        props.put("felix.log.logger", new FelixLogBridge());
        Felix felix = new Felix(props);
        try {
            felix.init();
            BundleContext context = felix.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : jars(layout.bundles())) {
                Bundle b = context.installBundle(jar.toUri().toString());
                LOG.debug("installed {} {} from {}", b.getSymbolicName(), b.getVersion(), jar.getFileName());
                installed.add(b);
            }
            felix.start();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    startBundle(b);
                }
            }
        } catch (BundleException e) {
            stopQuietly(felix);
            throw new StartupException(e.getMessage(), e);
        } catch (RuntimeException e) {
            stopQuietly(felix);
            throw e;
        }
        return new OsgiRuntime(felix);
    }

    private static void startBundle(Bundle b) throws BundleException {
        try {
            b.start();
        } catch (BundleException e) {
            throw new BundleException("bundle " + b.getSymbolicName() + " " + b.getVersion()
                    + " did not start: " + e.getMessage(), e.getType(), e);
        }
    }

    private static List<Path> jars(Path dir) throws StartupException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new StartupException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    BundleContext context() {
        return felix.getBundleContext();
    }

    Bundle[] bundles() {
        return felix.getBundleContext().getBundles();
    }

    /**
     * Pushes a configuration through Configuration Admin. Reflection keeps the launcher's class
     * path free of the ConfigAdmin API, so exactly one copy of it lives inside the framework.
     */
    void configure(String pid, Dictionary<String, Object> properties, Duration timeout) throws StartupException {
        ServiceReference<?> ref = awaitService("(objectClass=org.osgi.service.cm.ConfigurationAdmin)", timeout);
        Object admin = context().getService(ref);
        try {
            Class<?> adminType = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Class<?> configType = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object configuration = adminType.getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, pid, "?");
            configType.getMethod("update", Dictionary.class).invoke(configuration, properties);
        } catch (ReflectiveOperationException e) {
            throw new StartupException("cannot configure " + pid + ": " + e, e);
        } finally {
            context().ungetService(ref);
        }
    }

    /** Waits for a service matching the filter; the exception says which one never came. */
    ServiceReference<?> awaitService(String filter, Duration timeout) throws StartupException {
        ServiceTracker<Object, Object> tracker;
        try {
            tracker = new ServiceTracker<>(context(), context().createFilter(filter), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        tracker.open(true);
        try {
            if (tracker.waitForService(timeout.toMillis()) == null) {
                throw new StartupException("no service matching " + filter + " after " + timeout.toSeconds()
                        + " s; see the log under data/logs for the component that failed");
            }
            return tracker.getServiceReference();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for " + filter, e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until FileInstall has started every bundle in {@code dir}, so the subnet starts with its
     * plugins rather than reporting them missing for the first second. Returns the jars that did not
     * start in time (they are reported, not fatal: a broken plugin must not keep the subnet down).
     */
    List<String> awaitStarted(Path dir, Duration timeout) throws StartupException, InterruptedException {
        List<String> waiting = new ArrayList<>();
        for (Path jar : jars(dir)) {
            waiting.add(jar.getFileName().toString());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (Bundle b : bundles()) {
                boolean started = b.getState() == Bundle.ACTIVE || b.getHeaders().get(Constants.FRAGMENT_HOST) != null
                        && b.getState() == Bundle.RESOLVED;
                if (started) {
                    waiting.removeIf(name -> b.getLocation().endsWith("/" + name));
                }
            }
            if (!waiting.isEmpty()) {
                Thread.sleep(20);
            }
        }
        return waiting;
    }

    /** Asks the framework to stop; returns at once. */
    void requestStop() {
        try {
            felix.stop();
        } catch (BundleException e) {
            LOG.warn("framework stop failed: {}", e.getMessage(), e);
        }
    }

    /** Blocks until the framework has stopped; true if it stopped without an error. */
    /**
     * Throws naming every bundle that is not active (fragments excepted): a command prints "ready"
     * only when everything it installed runs.
     */
    void requireAllActive() {
        List<Bundle> inactive = java.util.Arrays.stream(bundles())
                .filter(b -> b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null)
                .toList();
        if (!inactive.isEmpty()) {
            throw new IllegalStateException("bundles not active: " + inactive.stream()
                    .map(b -> b.getSymbolicName() + " " + b.getVersion()).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /** Waits until the framework stops, reports threads left behind, closes logging; the command's exit code. */
    int runUntilStopped() throws InterruptedException {
        boolean clean = awaitStop();
        ThreadReport.warnAboutLingeringThreads();
        LOG.info("stopped");
        Logging.stop();
        return clean ? 0 : 1;
    }

    boolean awaitStop() throws InterruptedException {
        FrameworkEvent event = felix.waitForStop(0);
        return event.getType() != FrameworkEvent.ERROR;
    }

    /** Stops the framework and waits for it; false if it did not stop in time. */
    boolean stop() throws InterruptedException {
        requestStop();
        FrameworkEvent event = felix.waitForStop(STOP_TIMEOUT.toMillis());
        return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
    }

    private static void stopQuietly(Felix felix) {
        try {
            felix.stop();
            felix.waitForStop(STOP_TIMEOUT.toMillis());
        } catch (Exception e) {
            LOG.debug("stopping after a failed start", e);
        }
    }

    /** The runtime could not start; the message names the cause. */
    static final class StartupException extends Exception {
        private static final long serialVersionUID = 1L;

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }

        StartupException(String message) {
            super(message);
        }
    }
}
