package org.outcalls.replica.internal.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.Policies;
import org.outcalls.replica.BundledPlugins;
import org.outcalls.replica.CanisterResolver;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.local.ConsensusTiming;
import org.outcalls.replica.local.LocalSubnet;
import org.outcalls.replica.local.LocalSubnets;
import org.outcalls.replica.local.Plugins;
import org.outcalls.transport.NetworkConditions;

/**
 * The local subnet of {@code outcalls run}: n replicas in this JVM, registered as the
 * {@link SubnetNode} the gateway serves. Plugins are tracked dynamically; the initial registry
 * enables the bundled policies and the methods plugin at the distribution's version.
 */
@Component(immediate = true, configurationPid = "org.outcalls.subnet.embedded", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EmbeddedSubnetComponent.Config.class)
public final class EmbeddedSubnetComponent {

    /** Service properties of the registered {@link SubnetNode}: what the launcher prints when ready. */
    public static final String SUBNET_ID_PROPERTY = "outcalls.subnet.id";
    public static final String REPLICAS_PROPERTY = "outcalls.subnet.replicas";
    /** What each development account gets: a tenth of the proxy's default cycles, about 1.5 million outcalls. */
    static final long DEVELOPMENT_CYCLES = 10_000_000_000_000_000L;

    @ObjectClassDefinition(name = "Outcalls local subnet")
    public @interface Config {
        @AttributeDefinition(description = "Replicas in the subnet.")
        int replicas() default 4;

        @AttributeDefinition(description = "Development only: how many replicas misbehave.")
        int faulty() default 0;

        @AttributeDefinition(description = "How the faulty replicas misbehave: " + LocalSubnet.Fault.CHOICES + ".")
        String fault() default "";

        @AttributeDefinition(description = "Folder for the replicas' keys.")
        String dataDir() default "";

        @AttributeDefinition(description = "Rank delay Δ in milliseconds.")
        long rankDelayMillis() default 300;

        @AttributeDefinition(description = "Heartbeat of an idle subnet in milliseconds.")
        long heartbeatMillis() default 1000;

        @AttributeDefinition(description = "Outcalls without an agreed result this long after their request time are timed out.")
        long consensusTimeoutMillis() default 60_000;

        @AttributeDefinition(description = "Plugins the initial registry enables: name (at this distribution's version) "
                + "or name@version; an entry may list several, comma-separated.")
        String[] plugins() default {Policies.TWO_THIRDS, Policies.SINGLE_REPLICA, Policies.MEDIAN, Policies.METHODS,
            BundledPlugins.IDENTITY, BundledPlugins.STRIP_HEADERS, BundledPlugins.KEEP_HEADERS, BundledPlugins.JSON,
            BundledPlugins.NUMBER, BundledPlugins.REGEX};

        @AttributeDefinition(description = "Cycles the proxy canister starts with.")
        long proxyCycles() default 100_000_000_000_000_000L;

        @AttributeDefinition(description = "More canisters the initial registry installs, as id=cycles.")
        String[] canisters() default {};

        @AttributeDefinition(description = "Development only: cycles the proxy canister credits at start, as an admin "
                + "top-up, to the gateway's own identity (what loopback JSON calls are signed as) and to each of "
                + "developmentAccounts; 0 credits none.")
        long developmentCycles() default DEVELOPMENT_CYCLES;

        @AttributeDefinition(description = "Development only: principals (64 hex digits) credited developmentCycles at "
                + "start besides the gateway's own identity; outcalls run adds the user's CLI identity.")
        String[] developmentAccounts() default {};

        @AttributeDefinition(description = "Development only: entries REPLICA:NAME make that replica run as if plugin "
                + "NAME were not installed, to see how the subnet copes with a replica that lacks it.")
        String[] hidePlugins() default {};
    }

    private final LocalSubnet subnet;
    private final ReadyRegistration registration;

    @Activate
    public EmbeddedSubnetComponent(BundleContext context, @Reference HttpsAdapter adapter,
                                   @Reference CanisterResolver canisters, @Reference Plugins plugins, Config config)
            throws IOException {
        Version v = context.getBundle().getVersion();
        String pluginVersion = v.getMajor() + "." + v.getMinor() + "." + v.getMicro();
        Map<String, String> enabled = new TreeMap<>();
        for (String entry : commaSeparated(config.plugins())) {
            String e = entry.strip();
            int at = e.indexOf('@');
            if (!e.isEmpty()) {
                enabled.put(at < 0 ? e : e.substring(0, at), at < 0 ? pluginVersion : e.substring(at + 1));
            }
        }
        LocalSubnet.Fault fault = config.faulty() == 0 ? LocalSubnet.Fault.NONE : LocalSubnet.Fault.parse(config.fault());
        LocalSubnet.Settings settings = new LocalSubnet.Settings(config.replicas(), config.faulty(), fault,
                new ConsensusTiming(Duration.ofMillis(config.rankDelayMillis()), Duration.ofMillis(config.heartbeatMillis()),
                        ConsensusTiming.DEFAULT.clockTolerance(), ConsensusTiming.DEFAULT.ancestryDepth()),
                config.consensusTimeoutMillis(), enabled, canisters(config),
                config.dataDir().isBlank() ? null : Path.of(config.dataDir()), NetworkConditions.perfect(), 1);
        this.subnet = LocalSubnets.start(settings, adapter, plugins, canisters);
        java.util.SortedMap<String, Long> accounts;
        try {
            hidden(commaSeparated(config.hidePlugins()), config.replicas()).forEach(subnet::hidePlugins);
            accounts = developmentAccounts(config, subnet);
        } catch (IllegalArgumentException e) {
            subnet.close();
            throw e;
        }
        // Registered only once ready: no ingress, hence no outcall, reaches the subnet before its settings are
        // complete and its development accounts are credited.
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(SUBNET_ID_PROPERTY, subnet.genesis().subnetId());
        props.put(REPLICAS_PROPERTY, config.replicas());
        this.registration = new ReadyRegistration(context, subnet, plugins, enabled, accounts, props);
    }

    /** Entries as given, each split at commas too (a {@code conf/*.cfg} file gives one comma-separated string). */
    private static List<String> commaSeparated(String[] entries) {
        List<String> out = new java.util.ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** The gateway's own identity and the configured principals, each with {@code developmentCycles}. */
    private static java.util.SortedMap<String, Long> developmentAccounts(Config config, LocalSubnet subnet) {
        java.util.SortedMap<String, Long> out = new TreeMap<>();
        if (config.developmentCycles() < 0) {
            throw new IllegalArgumentException("org.outcalls.subnet.embedded developmentCycles: must not be negative (was "
                    + config.developmentCycles() + ")");
        }
        if (config.developmentCycles() == 0) {
            return out;
        }
        out.put(subnet.developmentPrincipal(), config.developmentCycles());
        for (String principal : commaSeparated(config.developmentAccounts())) {
            if (!principal.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("org.outcalls.subnet.embedded developmentAccounts: '" + principal
                        + "' is not a principal (64 lower-case hex digits)");
            }
            out.put(principal, config.developmentCycles());
        }
        return out;
    }

    private static Map<Integer, List<String>> hidden(List<String> entries, int replicas) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            int replica;
            try {
                replica = Integer.parseInt(entry.substring(0, Math.max(0, colon)).strip());
            } catch (NumberFormatException e) {
                replica = -1;
            }
            String name = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (replica < 0 || replica >= replicas || name.isEmpty()) {
                throw new IllegalArgumentException("org.outcalls.subnet.embedded hidePlugins: '" + entry
                        + "' is not REPLICA:NAME with REPLICA within 0.." + (replicas - 1));
            }
            out.computeIfAbsent(replica, k -> new java.util.ArrayList<>()).add(name);
        }
        return out;
    }

    private static Map<String, Long> canisters(Config config) {
        Map<String, Long> out = new TreeMap<>();
        out.put("proxy", config.proxyCycles());
        for (String entry : config.canisters()) {
            int eq = entry.indexOf('=');
            try {
                out.put(entry.substring(0, eq).strip(), Long.parseLong(entry.substring(eq + 1).strip()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("org.outcalls.subnet.embedded canisters: '" + entry
                        + "' is not id=cycles");
            }
        }
        return out;
    }

    @Deactivate
    void stop() throws InterruptedException {
        try {
            registration.close();
        } finally {
            subnet.close();
        }
    }
}
