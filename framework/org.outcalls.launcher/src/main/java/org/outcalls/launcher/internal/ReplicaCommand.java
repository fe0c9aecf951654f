package org.outcalls.launcher.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.outcalls.replica.multihost.ReplicaConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls replica --config FILE}: one replica of a multi-host subnet, with its gateway if configured. */
@Command(name = "replica", mixinStandardHelpOptions = true,
        description = {"Run one replica of a multi-host subnet from the configuration 'outcalls subnet init' wrote. "
                + "Its data (store, logs, framework cache) go to the configuration's data folder."})
final class ReplicaCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCommand.class);
    private static final Duration CONFIG_ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PLUGINS_TIMEOUT = Duration.ofSeconds(10);
    /** Configuration PID of the multi-host replica component; its SubnetNode carries {@code outcalls.replica}. */
    static final String REPLICA_PID = "org.outcalls.replica";

    @Option(names = "--config", paramLabel = "FILE", required = true, description = "The replica's replica.json.")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: the one in the configuration).")
    Path data;

    @Option(names = "--http-port", paramLabel = "P", description = "Gateway port (overrides the configuration; 0 picks a free one).")
    Integer httpPort;

    @Option(names = "--no-gateway", description = "Run without the REST gateway even if the configuration has one.")
    boolean noGateway;

    @Option(names = "--trust-ca", paramLabel = "PEM", description = "Extra trusted root certificate(s) for outcalls, PEM; repeatable.")
    List<Path> trustCa;

    @Option(names = "--allow-target", paramLabel = "HOST[:PORT]|IP|IPv4:PORT|[IPv6]:PORT|CIDR", description = "Exempt a host, "
            + "an address or a range from the private-address block (with :PORT, at that port only); repeatable.")
    List<String> allowTargets;

    @Option(names = "--verbose", description = "Log debug messages to the console and the log file.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            return usage("--http-port must be within 0..65535 (was " + httpPort + ")");
        }
        ReplicaConfig rc;
        try {
            rc = ReplicaConfig.read(config);
        } catch (java.io.IOException e) {
            return usage("--config " + e.getMessage());
        }
        if (!java.nio.file.Files.isRegularFile(rc.nodeKey())) {
            return usage("node key " + rc.nodeKey() + " does not exist: put there the node.key that 'outcalls keygen' "
                    + "wrote on this host (or that 'outcalls subnet init' generated for replica " + rc.replica() + ")");
        }
                boolean gateway = !noGateway && (rc.gateway().isPresent() || httpPort != null);
        Layout layout = Layout.of(Layout.detectHome(), data == null ? rc.data() : data);
        Logging.configureRuntime(layout, verbose);
        StopRequest stop = new StopRequest();
        Signals.onTerminate(stop::request);
        OsgiRuntime runtime;
        String gatewayUrl = null;
        try {
            runtime = OsgiRuntime.start(layout, false, Map.of());
            stop.attach(runtime);
            List<String> late = runtime.awaitStarted(layout.plugins(), PLUGINS_TIMEOUT);
            if (!late.isEmpty()) {
                LOG.warn("plugins not started after {} s: {}; see the log for why", PLUGINS_TIMEOUT.toSeconds(), late);
            }
            // The adapter first: the replica and the gateway depend on it (configured later, it would restart both).
            Hashtable<String, Object> adapter = ConfFiles.read(layout.conf(), "org.outcalls.adapter");
            if (trustCa != null) {
                adapter.put("trustCa", trustCa.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new));
            }
            if (allowTargets != null) {
                adapter.put("allowTargets", allowTargets.toArray(String[]::new));
            }
            runtime.configure("org.outcalls.adapter", adapter, CONFIG_ADMIN_TIMEOUT);

            Hashtable<String, Object> replica = new Hashtable<>();
            replica.put("config", rc.file().toString());
            runtime.configure(REPLICA_PID, replica, CONFIG_ADMIN_TIMEOUT);
            runtime.awaitService("(outcalls.replica=" + rc.replica() + ")", READY_TIMEOUT);

            if (gateway) {
                Hashtable<String, Object> gw = ConfFiles.read(layout.conf(), "org.outcalls.gateway");
                rc.gateway().ifPresent(g -> {
                    gw.put("host", g.host());
                    gw.put("port", g.port());
                });
                if (httpPort != null) {
                    gw.put("port", httpPort);
                }
                gw.putIfAbsent("dataDir", layout.data().resolve("gateway").toString());
                runtime.configure("org.outcalls.gateway", gw, CONFIG_ADMIN_TIMEOUT);
                gatewayUrl = (String) runtime.awaitService("(" + RunCommand.GATEWAY_URL + "=*)", READY_TIMEOUT)
                        .getProperty(RunCommand.GATEWAY_URL);
            }
            runtime.requireAllActive();
        } catch (OsgiRuntime.StartupException | IllegalStateException e) {
            LOG.error("outcalls replica did not start: {}", e.getMessage(), e);
            System.err.println("outcalls replica did not start: " + e.getMessage());
            Logging.stop();
            return 1;
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        List<String> parts = new ArrayList<>();
        parts.add("replica " + rc.replica() + " of subnet " + rc.subnetId().substring(0, 12));
        parts.add("peers on " + rc.listenHost() + ":" + rc.listenPort());
        if (gatewayUrl != null) {
            parts.add("gateway " + gatewayUrl);
        }
        System.out.println("outcalls ready in " + uptime + " ms: " + String.join(", ", parts) + " (data: " + layout.data()
                + ")");
        LOG.info("ready in {} ms", uptime);
        return runtime.runUntilStopped();
    }


    private static int usage(String message) {
        System.err.println("outcalls replica: " + message);
        return ExitCodes.USAGE;
    }
}
