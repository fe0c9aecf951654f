package org.outcalls.shell.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyCall;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.RequestJsonException;
import org.outcalls.replica.Diagnostics;
import org.outcalls.replica.PluginTable;
import org.outcalls.replica.SubnetNode;
import org.outcalls.replica.SubnetStatus;

/**
 * The {@code outcalls:} commands of the Gogo shell, over the {@link SubnetNode} of this process.
 * Each returns the text the shell prints; a failure is an exception whose message says what to do.
 */
@Component(service = OutcallsCommands.class, property = {
        "osgi.command.scope=outcalls",
        "osgi.command.function=status",
        "osgi.command.function=call",
        "osgi.command.function=plugins",
        "osgi.command.function=enable",
        "osgi.command.function=disable"})
public final class OutcallsCommands {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration ADMIN_WAIT = Duration.ofSeconds(30);
    static final int MAX_WAIT_SECONDS = 120;

    /** The subnet of this process, when one runs (an optional, dynamic reference: the shell works without it). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SubnetNode subnet;

    @Activate
    public OutcallsCommands() {
    }

    OutcallsCommands(SubnetNode subnet) {
        this.subnet = subnet;
    }

    private SubnetNode node() {
        SubnetNode n = subnet;
        if (n == null) {
            throw new IllegalStateException("no subnet runs in this process (outcalls run starts one)");
        }
        return n;
    }

    @Descriptor("the subnet: replicas, heights, lag, state hash agreement, blocks per second, outcalls")
    public String status() {
        SubnetNode node = node();
        SubnetStatus s = node.status();
        Diagnostics d = node.diagnostics();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "subnet %s: %s replicas, f = %s, threshold %s, registry v%s%n",
                s.subnetId(), s.replicaCount(), s.faultsTolerated(), s.threshold(), s.registryVersion()));
        out.append(String.format(Locale.ROOT, "%.2f blocks/s, state hashes %s, %d outcalls in flight%n",
                d.blocksPerSecond(), d.stateHashAgreement() ? "agree" : "DIFFER", d.inFlight().size()));
        out.append(String.format(Locale.ROOT, "%-3s %-8s %-10s %10s %10s %5s %-16s %s%n", "#", "state", "fault",
                "finalized", "executed", "lag", "state hash", "peers heard"));
        for (Diagnostics.ReplicaView r : d.replicas()) {
            long heard = r.peers().stream().filter(Diagnostics.Peer::connected).count();
            out.append(String.format(Locale.ROOT, "%-3d %-8s %-10s %10d %10d %5d %-16s %d/%d%s%n", r.index(), r.state(),
                    r.fault(), r.finalizedHeight(), r.executedHeight(), r.lag(),
                    r.stateHash().substring(0, Math.min(16, r.stateHash().length())), heard, r.peers().size(),
                    r.missingPlugins().isEmpty() ? "" : "  missing " + r.missingPlugins()));
        }
        d.outcomes().forEach((status, kinds) -> kinds.forEach((kind, n) ->
                out.append("outcalls ").append(status).append(' ').append(kind).append(": ").append(n).append('\n')));
        return out.toString().stripTrailing();
    }

    @Descriptor("per plugin: the version the registry enables and, per installed version, the replicas that have it")
    public String plugins() {
        SubnetStatus s = node().status();
        StringBuilder out = new StringBuilder("registry v").append(s.registryVersion()).append('\n');
        out.append(PluginTable.render(PluginTable.of(s)));
        if (!s.missingPlugins().isEmpty()) {
            out.append("\nMISSING (enabled but not installed on some replica): ").append(s.missingPlugins());
        }
        return out.toString();
    }

    @Descriptor("enable a policy, transform or the methods plugin at the height of the block that executes the admin message")
    public String enable(@Descriptor("name[@version]; without a version, the one installed here") String plugin)
            throws Exception {
        String[] nv = split(plugin);
        return admin("enabled", plugin, node().enablePlugin(nv[0], nv[1]));
    }

    @Descriptor("disable a plugin at the height of the block that executes the admin message")
    public String disable(@Descriptor("name[@version]") String plugin) throws Exception {
        String[] nv = split(plugin);
        return admin("disabled", plugin, node().disablePlugin(nv[0], nv[1]));
    }

    @Descriptor("make an outcall through the proxy canister and wait for its result")
    public String call(
            @Descriptor("HTTP method") @Parameter(names = {"-m", "--method"}, absentValue = "GET") String method,
            @Descriptor("header 'name: value' (one)") @Parameter(names = {"-H", "--header"}, absentValue = "") String header,
            @Descriptor("request body (UTF-8 text)") @Parameter(names = {"-d", "--body"}, absentValue = "") String body,
            @Descriptor("transform plugin name") @Parameter(names = {"-t", "--transform"}, absentValue = "") String transform,
            @Descriptor("transform context (UTF-8 text)") @Parameter(names = {"-c", "--context"}, absentValue = "") String context,
            @Descriptor("agreement policy") @Parameter(names = {"-p", "--policy"}, absentValue = "") String policy,
            @Descriptor("max_response_bytes") @Parameter(names = {"-x", "--max-response-bytes"}, absentValue = "0") long maxResponseBytes,
            @Descriptor("seconds to wait for the result") @Parameter(names = {"-w", "--wait"}, absentValue = "60") int waitSeconds,
            @Descriptor("https URL") String url) throws Exception {
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new IllegalArgumentException("--wait: must be within 0.." + MAX_WAIT_SECONDS + " seconds (was " + waitSeconds + ")");
        }
        ObjectNode doc = MAPPER.createObjectNode().put("url", url).put("method", method.toUpperCase(Locale.ROOT));
        ArrayNode headers = doc.putArray("headers");
        if (!header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header: expected 'name: value', got '" + header + "'");
            }
            headers.addObject().put("name", header.substring(0, colon).strip()).put("value", header.substring(colon + 1).strip());
        }
        if (!body.isEmpty()) {
            doc.put("body", base64(body));
        }
        if (!transform.isEmpty()) {
            doc.putObject("transform").put("name", transform).put("context", base64(context));
        }
        if (!policy.isEmpty()) {
            doc.put("policy", policy);
        }
        if (maxResponseBytes > 0) {
            doc.put("max_response_bytes", maxResponseBytes);
        }
        SubnetNode node = node();
        ProxyCall parsed;
        try {
            parsed = OutcallJson.parseRequest(MAPPER.writeValueAsBytes(doc));
        } catch (RequestJsonException e) {
            throw new IllegalArgumentException(e.field() + ": " + e.getMessage());
        }
        String id = join(node.submit(ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL, OutcallJson.writeArgument(parsed)),
                Duration.ofSeconds(10));
        JsonNode record = awaitRecord(node, id, Duration.ofSeconds(waitSeconds));
        return describe(id, record);
    }

    private static JsonNode awaitRecord(SubnetNode node, String id, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode last = null;
        do {
            try {
                last = MAPPER.readTree(join(node.query(ProxyProtocol.CANISTER_ID, ProxyProtocol.QUERY_GET,
                        id.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10)));
                if (!ProxyProtocol.STATUS_PENDING.equals(last.path("status").asText())) {
                    return last;
                }
            } catch (ExecutionException e) {
                if (!String.valueOf(e.getCause().getMessage()).startsWith(ProxyProtocol.NOT_FOUND_PREFIX)) {
                    throw e;
                }
                SubnetNode.IngressState state = node.ingressState(id);
                if (state.status() == SubnetNode.IngressState.Status.FAILED
                        || state.status() == SubnetNode.IngressState.Status.EXPIRED) {
                    throw new IllegalStateException("outcall " + id + " " + state.status().name().toLowerCase(Locale.ROOT)
                            + ": " + state.message());
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return last == null ? MAPPER.createObjectNode().put("id", id).put("status", ProxyProtocol.STATUS_PENDING) : last;
    }

    static String describe(String id, JsonNode r) {
        StringBuilder out = new StringBuilder("outcall ").append(id).append(": ").append(r.path("status").asText());
        if (r.has("height")) {
            out.append(" at height ").append(r.path("height").asLong());
        }
        out.append('\n');
        JsonNode response = r.path("response");
        if (response.isObject()) {
            out.append("HTTP ").append(response.path("status").asInt()).append('\n');
            response.path("headers").forEach(h -> out.append(h.path("name").asText()).append(": ")
                    .append(h.path("value").asText()).append('\n'));
            byte[] body = Base64.getDecoder().decode(response.path("body").asText(""));
            out.append('\n').append(new String(body, StandardCharsets.UTF_8)).append('\n');
        }
        if (r.has("value") && !r.path("value").isNull()) {
            out.append("value ").append(r.path("value")).append('\n');
        }
        JsonNode reject = r.path("reject");
        if (reject.isObject()) {
            out.append("reject ").append(reject.path("code").asText()).append(" (").append(reject.path("kind").asText())
                    .append("): ").append(reject.path("message").asText()).append('\n');
        }
        if (r.path("status").asText().equals(ProxyProtocol.STATUS_PENDING)) {
            out.append("still pending; look again with outcalls call --wait or GET /api/v1/outcalls/").append(id).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private String admin(String done, String plugin, CompletionStage<String> submitted) throws Exception {
        SubnetNode node = node();
        String id;
        try {
            id = join(submitted, Duration.ofSeconds(10));
        } catch (ExecutionException e) {
            throw new IllegalStateException((done.equals("enabled") ? "enable " : "disable ") + plugin + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        long deadline = System.nanoTime() + ADMIN_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            SubnetNode.IngressState s = node.ingressState(id);
            switch (s.status()) {
                case EXECUTED -> {
                    return done + " " + plugin + (s.height() >= 0 ? " at height " + s.height() : "") + " (registry v"
                            + node.status().registryVersion() + "; message " + id + ")";
                }
                case FAILED, EXPIRED -> throw new IllegalStateException("the subnet refused: " + s.message());
                default -> Thread.sleep(50);
            }
        }
        return "submitted " + id + "; not executed within " + ADMIN_WAIT.toSeconds() + " s (see outcalls:plugins)";
    }

    static String[] split(String plugin) {
        if (plugin == null || plugin.isBlank()) {
            throw new IllegalArgumentException("name the plugin: name[@version]");
        }
        int at = plugin.indexOf('@');
        return at < 0 ? new String[] {plugin.strip(), null}
                : new String[] {plugin.substring(0, at).strip(), plugin.substring(at + 1).strip()};
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T join(CompletionStage<T> stage, Duration timeout) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CompletionException c && c.getCause() != null) {
                throw new ExecutionException(c.getCause());
            }
            throw e;
        }
    }
}
