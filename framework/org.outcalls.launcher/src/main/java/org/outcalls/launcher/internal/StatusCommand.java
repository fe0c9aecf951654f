package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls status}: the subnet's replicas, heights and state-hash agreement, and its plugins. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the subnet: replicas, finalized heights, state hashes, registry and plugins.",
                "Exit codes: 0 shown, 3 subnet unreachable."})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--json", description = "Print the status document as JSON.")
    boolean json;

    @Option(names = "--gateway", paramLabel = "URL", description = "The subnet's gateway (default: $OUTCALLS_GATEWAY or "
            + GatewayClient.DEFAULT_GATEWAY + ").")
    String gateway;

    @Override
    public Integer call() throws Exception {
        try {
            GatewayClient.Reply r = new GatewayClient(gateway).get("api/v1/subnet", Duration.ofSeconds(10));
            if (r.status() != 200) {
                System.err.println("outcalls status: " + r.status() + " " + r.errorMessage());
                return ExitCodes.UNREACHABLE;
            }
            if (json) {
                System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.json()));
            } else {
                print(r.json());
            }
            return ExitCodes.OK;
        } catch (GatewayClient.Unreachable e) {
            System.err.println("outcalls status: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }

    private static void print(JsonNode s) {
        System.out.println("subnet " + s.path("subnet_id").asText("?") + ": " + s.path("replicas").size()
                + " replicas, f = " + s.path("faults_tolerated").asInt() + ", registry version "
                + s.path("registry_version").asLong());
        System.out.printf("%-8s %-10s %-8s %s%n", "replica", "state", "height", "state hash");
        for (JsonNode r : s.path("replicas")) {
            System.out.printf("%-8s %-10s %-8d %s%n", r.path("index").asText(), r.path("state").asText(),
                    r.path("finalized_height").asLong(), r.path("state_hash").asText(""));
        }
        System.out.println("enabled plugins: " + s.path("enabled_plugins"));
        if (s.has("missing_plugins") && s.get("missing_plugins").size() > 0) {
            System.out.println("MISSING plugins: " + s.get("missing_plugins"));
        }
    }
}
