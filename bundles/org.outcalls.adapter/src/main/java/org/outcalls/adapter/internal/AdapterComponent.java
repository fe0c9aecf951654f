package org.outcalls.adapter.internal;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outcalls.adapter.FetchResult;
import org.outcalls.adapter.HttpsAdapter;
import org.outcalls.api.Limits;
import org.outcalls.api.OutcallRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter as an OSGi service, on the shared Vert.x instance. Configuration is optional: the
 * defaults are the IC's (2 s connect, 30 s request, private destinations refused). A bad value
 * fails activation with a message naming the key and the value.
 */
@Component(service = HttpsAdapter.class, configurationPid = "org.outcalls.adapter")
@Designate(ocd = AdapterComponent.Config.class)
public final class AdapterComponent implements HttpsAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterComponent.class);

    @ObjectClassDefinition(name = "Outcalls HTTPS adapter",
            description = "How each replica fetches outcalls (the outcalls run flags --trust-ca and --allow-target set trustCa and allowTargets).")
    public @interface Config {
        @AttributeDefinition(description = "Extra trusted root certificates (PEM files), beside the JDK's roots.")
        String[] trustCa() default {};

        @AttributeDefinition(description = "Roots trusted for one host only, as HOST=PEM (what outcalls run gives its demo origin); other hosts never see them.")
        String[] scopedTrustCa() default {};

        @AttributeDefinition(description = "Exempt from the private-destination block: HOST or IP (any port), HOST:PORT, IPv4:PORT or [IPv6]:PORT (that port only), or a CIDR range.")
        String[] allowTargets() default {};

        @AttributeDefinition(description = "TCP connect timeout in milliseconds.")
        int connectTimeoutMillis() default (int) Limits.CONNECT_TIMEOUT_MILLIS;

        @AttributeDefinition(description = "Whole-request deadline in milliseconds (DNS, connect, TLS, request and response).")
        long requestTimeoutMillis() default Limits.REQUEST_TIMEOUT_MILLIS;

        @AttributeDefinition(description = "Most connections kept to one host (HTTP/1.1 or HTTP/2); more requests wait for a free one.")
        int maxConnectionsPerHost() default AdapterSettings.DEFAULT_MAX_CONNECTIONS_PER_HOST;

        @AttributeDefinition(description = "Idle pooled connections are closed after this many seconds.")
        int idleTimeoutSeconds() default AdapterSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;

        @AttributeDefinition(description = "SOCKS5 proxy (host:port) tried when a direct connection fails; empty for none.")
        String socksProxy() default "";

        @AttributeDefinition(description = "user-agent sent when the request has none.")
        String userAgent() default Limits.DEFAULT_USER_AGENT;

        @AttributeDefinition(description = "Name servers asked for host names not in the hosts file, by address (ip, ip:port or [ipv6]:port), in order; empty for the system's (/etc/resolv.conf). A lookup ends within connectTimeoutMillis.")
        String[] dnsServers() default {};
    }

    private final VertxHttpsAdapter adapter;

    @Activate
    public AdapterComponent(@Reference Vertx vertx, Config config) {
        AdapterSettings settings = settings(config);
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        // Vert.x captures the context class loader when it creates clients.
        current.setContextClassLoader(Vertx.class.getClassLoader());
        try {
            this.adapter = new VertxHttpsAdapter(vertx, settings);
        } finally {
            current.setContextClassLoader(previous);
        }
        LOG.info("HTTPS adapter ready: {} extra trusted root file(s), {}, allowed targets {}, name servers {}, connect {} ms, request {} ms{}",
                settings.trustCa.size(), settings.scopedTrustCa.isEmpty() ? "no host-scoped roots"
                        : "host-scoped roots for " + String.join(", ", settings.scopedTrustCa.keySet()),
                config.allowTargets().length == 0 ? "none" : String.join(", ", config.allowTargets()),
                settings.dnsServers.isEmpty() ? "the system's" : settings.dnsServers,
                settings.connectTimeoutMillis, settings.requestTimeoutMillis,
                settings.socksEnabled() ? ", SOCKS5 fallback " + settings.socksHost + ":" + settings.socksPort : "");
    }

    static AdapterSettings settings(Config config) {
        AdapterSettings.Builder b = AdapterSettings.builder()
                .connectTimeoutMillis(config.connectTimeoutMillis())
                .requestTimeoutMillis(config.requestTimeoutMillis())
                .maxConnectionsPerHost(config.maxConnectionsPerHost())
                .idleTimeoutSeconds(config.idleTimeoutSeconds())
                .socksProxy(config.socksProxy())
                .userAgent(config.userAgent());
        for (String pem : list(config.trustCa())) {
            if (pem.isEmpty()) {
                throw new IllegalArgumentException("org.outcalls.adapter configuration: trustCa = '"
                        + String.join(",", config.trustCa()) + "' has an empty entry; expected paths of PEM files");
            }
            b.trustCa(Path.of(pem));
        }
        for (String entry : list(config.scopedTrustCa())) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("org.outcalls.adapter configuration: scopedTrustCa = '" + entry
                        + "' is not HOST=PEM (a host name or IP address, '=', the path of a PEM file)");
            }
            b.scopedTrustCa(entry.substring(0, eq), entry.substring(eq + 1));
        }
        for (String target : list(config.allowTargets())) {
            b.allowTarget(target);
        }
        // "dnsServers =" in a .cfg file means none given: the system's name servers.
        if (!String.join("", config.dnsServers()).isBlank()) {
            for (String server : list(config.dnsServers())) {
                b.dnsServer(server);
            }
        }
        return b.build();
    }

    /** Array values as given, and comma-separated ones as a .cfg file gives them ("a, b"). */
    private static java.util.List<String> list(String[] values) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            for (String part : (v == null ? "" : v).split(",", -1)) {
                out.add(part.trim());
            }
        }
        return out;
    }

    @Override
    public CompletionStage<FetchResult> fetch(OutcallRequest request) {
        return adapter.fetch(request);
    }

    /** Closes the adapter's connections; also what deactivation does. */
    @Deactivate
    public void close() {
        adapter.close();
        LOG.info("HTTPS adapter stopped");
    }
}
