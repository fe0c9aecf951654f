package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.crypto.Hash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code outcalls balance}: the current identity's account in the proxy canister. A signed call:
 * the proxy answers it for the signer only, so no one learns another's balance.
 */
@Command(name = "balance", mixinStandardHelpOptions = true,
        description = {"Show your account in the proxy canister: cycles, open outcalls, kept result bytes, and the quotas.",
                "Exit codes: 0 shown, 1 refused, 2 wrong usage, 3 subnet unreachable or no answer in time."})
final class BalanceCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--identity", paramLabel = "NAME", description = "Whose account (default: the current identity).")
    String identity;

    @Option(names = "--json", description = "Print the proxy's record as JSON.")
    boolean json;

    @Option(names = "--gateway", paramLabel = "URL", description = "The subnet's gateway (default: $OUTCALLS_GATEWAY or "
            + GatewayClient.DEFAULT_GATEWAY + ").")
    String gateway;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the answer (default 60).")
    int timeoutSeconds = 60;

    @Override
    public Integer call() throws Exception {
        Identities.Identity signer;
        try {
            signer = SignedCalls.signer(identity);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("outcalls balance: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(gateway);
        try {
            Hash subnet = AdminCommand.subnetOf(client, null, "outcalls balance");
            if (subnet == null) {
                return ExitCodes.UNREACHABLE;
            }
            String id = SignedCalls.relay(client, subnet, signer.key(), ProxyProtocol.CANISTER_ID,
                    ProxyProtocol.METHOD_BALANCE, new byte[0]);
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            JsonNode record;
            do {
                GatewayClient.Reply r = client.get("api/v1/outcalls/" + id + "?wait=5", Duration.ofSeconds(15));
                if (r.status() != 200) {
                    throw new GatewayClient.Unreachable("looking up " + id + " failed (" + r.status() + "): " + r.errorMessage());
                }
                record = r.json();
            } while ("pending".equals(record.path("status").asText()) && System.nanoTime() < deadline);
            if (json) {
                System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(record));
            }
            if (!"completed".equals(record.path("status").asText())) {
                System.err.println("outcalls balance: " + record.path("status").asText() + ": "
                        + record.path("reject").path("message").asText("no answer in time"));
                return "pending".equals(record.path("status").asText()) ? ExitCodes.UNREACHABLE : ExitCodes.REJECTED;
            }
            if (!json) {
                JsonNode a = record.path("account");
                JsonNode q = record.path("quotas");
                System.out.println(signer.name() + " " + signer.principal() + ": " + a.path("balance").asLong() + " cycles");
                System.out.println("open outcalls " + a.path("open_outcalls").asLong() + " of " + q.path("max_open_outcalls")
                        .asLong() + " (" + a.path("open_request_bytes").asLong() + " of " + q.path("max_open_request_bytes")
                        .asLong() + " request bytes); results kept " + a.path("result_bytes").asLong() + " of "
                        + q.path("max_result_bytes").asLong() + " bytes, each for " + q.path("retention_ms").asLong() / 1000
                        + " s of block time");
            }
            return ExitCodes.OK;
        } catch (SignedCalls.Refused e) {
            System.err.println("outcalls balance: the gateway refused the request (" + e.status + "): " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        } catch (GatewayClient.Unreachable e) {
            System.err.println("outcalls balance: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }
}
