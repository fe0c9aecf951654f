package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls admin top-up PRINCIPAL CYCLES}: credits a caller's account in the proxy canister.
 * Signed with the subnet's admin key; the proxy takes it from admins only, and never beyond the
 * cycles it holds and has not credited yet.
 */
@Command(name = "top-up", mixinStandardHelpOptions = true,
        description = {"Credit CYCLES to the account of PRINCIPAL in the proxy canister (an admin message).",
                "Exit codes: 0 done, 1 refused by the subnet, 2 wrong usage or no admin key, 3 subnet unreachable or no "
                        + "answer in time."})
final class TopUpCommand implements Callable<Integer> {
    private static final String WHO = "outcalls admin top-up";

    @Parameters(index = "0", paramLabel = "PRINCIPAL", description = "64 hex digits, as `outcalls identity list` shows them.")
    String principal;

    @Parameters(index = "1", paramLabel = "CYCLES", description = "A whole number, at least 1 (underscores allowed: 10_000_000).")
    String cycles;

    @Mixin
    AdminCommand.Target target;

    @Override
    public Integer call() throws Exception {
        String p = principal.strip().toLowerCase(Locale.ROOT);
        if (!p.matches("[0-9a-f]{64}")) {
            return usage("PRINCIPAL: '" + principal + "' is not 64 hex digits");
        }
        long amount;
        try {
            amount = Long.parseLong(cycles.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            amount = -1;
        }
        if (amount < 1) {
            return usage("CYCLES: '" + cycles + "' is not a whole number within 1.." + Long.MAX_VALUE);
        }
        if (target.timeoutSeconds < 0) {
            return usage("--timeout must not be negative (was " + target.timeoutSeconds + ")");
        }
        NodeKey key = AdminCommand.adminKey(target, WHO);
        if (key == null) {
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(target.gateway);
        try {
            Hash subnet = AdminCommand.subnetOf(client, target.subnetId, WHO);
            if (subnet == null) {
                return ExitCodes.USAGE;
            }
            TreeMap<String, Long> credit = new TreeMap<>();
            credit.put(p, amount);
            String id = SignedCalls.relay(client, subnet, key, ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_TOP_UP,
                    ProxyProtocol.topUpArgument(credit));
            if (target.timeoutSeconds == 0) {
                System.out.println("top_up " + p + " " + amount + " submitted as " + id);
                return ExitCodes.OK;
            }
            JsonNode outcome = AdminCommand.await(client, id, Duration.ofSeconds(target.timeoutSeconds));
            String status = outcome == null ? "received" : outcome.path("status").asText();
            if ("received".equals(status)) {
                System.err.println(WHO + ": no block executed " + id + " within " + target.timeoutSeconds
                        + " s; look it up later with GET " + client.base() + "api/v1/outcalls/" + id);
                return ExitCodes.UNREACHABLE;
            }
            if (!"executed".equals(status)) {
                String why = ProxyProtocol.refusal(outcome.path("message").asText(""))
                        .map(r -> r.kind() + ": " + r.message()).orElse(outcome.path("message").asText(""));
                System.err.println(WHO + ": the subnet refused the top-up (" + status + "): " + why);
                return ExitCodes.REJECTED;
            }
            JsonNode record = client.get("api/v1/outcalls/" + id, Duration.ofSeconds(10)).json();
            System.out.println("top_up " + p + ": done at height " + outcome.path("height").asLong() + "; its balance is now "
                    + record.path("top_up").path(0).path("balance").asLong() + " cycles");
            return ExitCodes.OK;
        } catch (SignedCalls.Refused e) {
            System.err.println(WHO + ": the gateway refused the message (" + e.status + "): " + e.getMessage());
            return e.status == 400 ? ExitCodes.REJECTED : ExitCodes.UNREACHABLE;
        } catch (GatewayClient.Unreachable e) {
            System.err.println(WHO + ": " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }

    private static int usage(String message) {
        System.err.println(WHO + ": " + message);
        return ExitCodes.USAGE;
    }
}
