package org.outcalls.launcher.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls run}: a local subnet in one JVM, with the gateway and, on request, the shell. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a local subnet of replicas in this JVM, with the REST gateway and dashboard.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration CONFIG_ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PLUGINS_TIMEOUT = Duration.ofSeconds(10);
    /** Property of the marker service the gateway registers once it listens. */
    static final String GATEWAY_URL = "outcalls.gateway.url";
    static final String SUBNET_ID = "outcalls.subnet.id";
    static final String DEMO_URL = "outcalls.demo.url";
    static final String DEMO_CA = "outcalls.demo.ca";
    static final String DEMO_ADDRESS = "outcalls.demo.address";

    private String demoUrl;
    private String subnetId;
    private Identities.Identity developer;

    @Option(names = "--replicas", paramLabel = "N", description = "Replicas in the subnet (default: 4).")
    Integer replicas;

    @Option(names = "--http-port", paramLabel = "P", description = "Port of the REST gateway and dashboard (default: 7450).")
    Integer httpPort;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder: framework cache, logs, replica state (default: <home>/data).")
    Path data;

    @Option(names = "--trust-ca", paramLabel = "PEM", description = "Extra trusted root certificate(s) for outcalls, PEM; repeatable.")
    List<Path> trustCa;

    @Option(names = "--allow-target", paramLabel = "HOST[:PORT]|IP|IPv4:PORT|[IPv6]:PORT|CIDR", description = "Exempt a host, "
            + "an address or a range from the private-address block (with :PORT, at that port only); repeatable.")
    List<String> allowTargets;

    @Option(names = "--faulty", paramLabel = "K", description = "Development only: K replicas misbehave (default: 0).")
    Integer faulty;

    @Option(names = "--fault", paramLabel = "MODE", description = "How faulty replicas misbehave: crash, silent, "
            + "equivocate, forge (garbage consensus and forged shares), forge-policy (as block maker, answers open requests "
            + "with its own one-share item of another policy), extreme-value (signs extreme decimals and maximal contents), "
            + "flood (maximal frames, unknown channels, replayed content requests).")
    String fault;

    @Option(names = "--no-demo", description = "Do not start the local demo origin and price-feed canister.")
    boolean noDemo;

    @Option(names = "--demo-port", paramLabel = "P", description = "Port of the demo origin on loopback (default: 7443).")
    Integer demoPort;

    @Option(names = "--plugins", paramLabel = "NAME[@VERSION],…", split = ",",
            description = "Plugins (agreement policies, methods) the initial registry enables (default: all the distribution "
                    + "ships, at its version); --plugins= enables none. Change them later with `outcalls admin`.")
    List<String> plugins;

    @Option(names = "--hide-plugin", paramLabel = "REPLICA:NAME", description = "Development only: replica REPLICA runs "
            + "as if plugin NAME were not installed, to see how the subnet copes; repeatable.")
    List<String> hidePlugins;

    @Option(names = "--shell", description = "Attach the Gogo shell to this terminal.")
    boolean shell;

    @Option(names = "--verbose", description = "Log debug messages to the console and the log file.")
    boolean verbose;

    static final List<String> FAULT_MODES = List.of("crash", "silent", "equivocate", "forge", "forge-policy", "extreme-value",
            "flood");

    private static final java.util.regex.Pattern PLUGIN =
            java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}(@[A-Za-z0-9._+-]{1,64})?");
    private static final java.util.regex.Pattern HIDDEN = java.util.regex.Pattern.compile("\\d{1,3}:[A-Za-z0-9._-]{1,64}");

    @Override
    public Integer call() throws Exception {
        if (replicas != null && replicas < 1) {
            return usage("--replicas must be at least 1 (was " + replicas + ")");
        }
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            return usage("--http-port must be within 0..65535 (was " + httpPort + ")");
        }
        if ((faulty != null && faulty > 0) != (fault != null)) {
            return usage("--faulty K and --fault MODE go together");
        }
        if (fault != null && !FAULT_MODES.contains(fault)) {
            return usage("--fault must be one of " + String.join(", ", FAULT_MODES) + " (was '" + fault + "')");
        }
        for (String p : plugins == null ? List.<String>of() : plugins) {
            if (!p.isBlank() && !PLUGIN.matcher(p.strip()).matches()) {
                return usage("--plugins: '" + p + "' is not NAME or NAME@VERSION (letters, digits, '.', '_', '-')");
            }
        }
        for (String h : hidePlugins == null ? List.<String>of() : hidePlugins) {
            if (!HIDDEN.matcher(h.strip()).matches()) {
                return usage("--hide-plugin: '" + h + "' is not REPLICA:NAME, for example 3:median");
            }
        }
        Layout layout = Layout.of(Layout.detectHome(), data);
        try {
            // the identity `outcalls call` will sign with gets a development balance, so the walkthrough just works
            developer = SignedCalls.signer(null);
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("outcalls run: warning: your identity cannot be read, so it gets no development balance: "
                    + e.getMessage());
        }
        Logging.configureRuntime(layout, verbose);
        StopRequest stop = new StopRequest();
        Signals.onTerminate(stop::request);
        OsgiRuntime runtime;
        String gateway;
        try {
            runtime = OsgiRuntime.start(layout, shell, Map.of());
            stop.attach(runtime);
            List<String> late = runtime.awaitStarted(layout.plugins(), PLUGINS_TIMEOUT);
            if (!late.isEmpty()) {
                LOG.warn("plugins not started after {} s: {}; see the log for why", PLUGINS_TIMEOUT.toSeconds(), late);
            }
            applyConfiguration(runtime, layout);
            runtime.requireAllActive();
            gateway = (String) runtime.awaitService("(" + GATEWAY_URL + "=*)", READY_TIMEOUT).getProperty(GATEWAY_URL);
            subnetId = (String) runtime.awaitService("(" + SUBNET_ID + "=*)", READY_TIMEOUT).getProperty(SUBNET_ID);
        } catch (OsgiRuntime.StartupException | IllegalStateException e) {
            LOG.error("outcalls did not start: {}", e.getMessage(), e);
            System.err.println("outcalls did not start: " + e.getMessage());
            Logging.stop();
            return 1;
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        System.out.println("outcalls ready in " + uptime + " ms: " + describeSubnet() + ", gateway " + gateway
                + (demoUrl == null ? "" : ", demo origin " + demoUrl) + " (data: " + layout.data() + ")");
        LOG.info("ready in {} ms", uptime);
        return runtime.runUntilStopped();
    }

    private void applyConfiguration(OsgiRuntime runtime, Layout layout) throws OsgiRuntime.StartupException {
        RunAdapterConfiguration.DemoOrigin demo = null;
        if (!noDemo) {
            Hashtable<String, Object> demoConfig = ConfFiles.read(layout.conf(), "org.outcalls.demo");
            putIfSet(demoConfig, "port", demoPort);
            runtime.configure("org.outcalls.demo", demoConfig, CONFIG_ADMIN_TIMEOUT);
            var marker = runtime.awaitService("(" + DEMO_CA + "=*)", READY_TIMEOUT);
            demoUrl = (String) marker.getProperty(DEMO_URL);
            demo = RunAdapterConfiguration.DemoOrigin.of(demoUrl, (String) marker.getProperty(DEMO_ADDRESS),
                    (String) marker.getProperty(DEMO_CA));
        }
        // The adapter first: the subnet and the gateway depend on it, so configuring it later would restart both
        // (and move a gateway on port 0 away from the address printed as ready).
        runtime.configure("org.outcalls.adapter", RunAdapterConfiguration.of(ConfFiles.read(layout.conf(),
                "org.outcalls.adapter"), trustCa, allowTargets, demo), CONFIG_ADMIN_TIMEOUT);

        Hashtable<String, Object> subnet = ConfFiles.read(layout.conf(), "org.outcalls.subnet.embedded");
        putIfSet(subnet, "replicas", replicas);
        putIfSet(subnet, "faulty", faulty);
        putIfSet(subnet, "fault", fault);
        if (plugins != null) {
            subnet.put("plugins", plugins.stream().map(String::strip).filter(p -> !p.isEmpty()).toArray(String[]::new));
        }
        if (hidePlugins != null) {
            subnet.put("hidePlugins", hidePlugins.stream().map(String::strip).toArray(String[]::new));
        }
        if (!noDemo) {
            subnet.put("canisters", new String[] {"price-feed=100000000000000000"});
        }
        subnet.put("dataDir", layout.data().resolve("replicas").toString());
        if (developer != null) {
            subnet.put("developmentAccounts", new String[] {developer.principal()});
        }
        runtime.configure("org.outcalls.subnet.embedded", subnet, CONFIG_ADMIN_TIMEOUT);

        Hashtable<String, Object> gateway = ConfFiles.read(layout.conf(), "org.outcalls.gateway");
        putIfSet(gateway, "port", httpPort);
        gateway.putIfAbsent("dataDir", layout.data().resolve("gateway").toString());
        runtime.configure("org.outcalls.gateway", gateway, CONFIG_ADMIN_TIMEOUT);
    }

    private String describeSubnet() {
        int n = replicas == null ? 4 : replicas;
        return "subnet " + subnetId.substring(0, 16) + "… of " + n + " replicas"
                + (faulty != null && faulty > 0 ? " (" + faulty + " " + fault + ")" : "");
    }

    private static void putIfSet(Hashtable<String, Object> props, String key, Object value) {
        if (value != null) {
            props.put(key, value);
        }
    }


    private static int usage(String message) {
        System.err.println("outcalls run: " + message);
        return ExitCodes.USAGE;
    }
}
