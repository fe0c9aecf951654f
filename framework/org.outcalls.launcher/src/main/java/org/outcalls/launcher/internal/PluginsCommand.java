package org.outcalls.launcher.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.outcalls.replica.PluginTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code outcalls plugins}: per plugin, the version the registry enables and which replicas have which version installed. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"Show the subnet's plugins: the version the registry enables (what new requests use) and, per "
                + "installed version, the replicas that have it.",
                "Exit codes: 0 shown, 3 subnet unreachable."})
final class PluginsCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--gateway", paramLabel = "URL", description = "The subnet's gateway (default: $OUTCALLS_GATEWAY or "
            + GatewayClient.DEFAULT_GATEWAY + ").")
    String gateway;

    @Override
    public Integer call() throws Exception {
        try {
            GatewayClient.Reply r = new GatewayClient(gateway).get("api/v1/subnet", Duration.ofSeconds(10));
            if (r.status() != 200) {
                System.err.println("outcalls plugins: " + r.status() + " " + r.errorMessage());
                return ExitCodes.UNREACHABLE;
            }
            Map<String, Object> status = MAPPER.convertValue(r.json(), new TypeReference<Map<String, Object>>() { });
            System.out.println(PluginTable.render(PluginTable.of(status)));
            return ExitCodes.OK;
        } catch (GatewayClient.Unreachable e) {
            System.err.println("outcalls plugins: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }
}
