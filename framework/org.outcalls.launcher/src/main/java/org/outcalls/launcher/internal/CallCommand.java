package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.outcalls.canister.proxy.OutcallJson;
import org.outcalls.canister.proxy.ProxyProtocol;
import org.outcalls.canister.proxy.RequestJsonException;
import org.outcalls.crypto.Hash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls call URL}: one agreed outcall through the proxy canister, signed here with the
 * current identity (its account pays) and relayed by the gateway; prints the response or the reject.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Make one outcall through the subnet and print the agreed response or the reject.",
                "Exit codes: 0 completed, 1 rejected, 2 wrong usage, 3 subnet unreachable or no answer in time."})
final class CallCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "URL", description = "The https URL to fetch.")
    String url;

    @Option(names = "--method", paramLabel = "M", description = "GET (default), HEAD, POST, PUT, DELETE or PATCH.")
    String method = "GET";

    @Option(names = "--header", paramLabel = "NAME:VALUE", description = "A request header; repeatable.")
    List<String> headers = List.of();

    @Option(names = "--data", paramLabel = "STRING|@FILE", description = "The request body, as text or from a file.")
    String data;

    @Option(names = "--transform", paramLabel = "NAME[:CONTEXT]",
            description = "Transform each replica applies before signing, with its context (text, or @FILE).")
    String transform;

    @Option(names = "--policy", paramLabel = "P", description = "two-thirds (default), single-replica or median.")
    String policy;

    @Option(names = "--max-response-bytes", paramLabel = "N", description = "Bound on response headers + body (default 2000000).")
    Long maxResponseBytes;

    @Option(names = "--cycles", paramLabel = "N", description = "Cycles to attach (default: exactly the fee).")
    Long cycles;

    @Option(names = "--json", description = "Print the result document as JSON (what `outcalls verify` checks).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the result (default 90).")
    int timeoutSeconds = 90;

    @Option(names = "--gateway", paramLabel = "URL", description = "The subnet's gateway (default: $OUTCALLS_GATEWAY or "
            + GatewayClient.DEFAULT_GATEWAY + ").")
    String gateway;

    @Option(names = "--identity", paramLabel = "NAME", description = "Sign with this identity instead of the current "
            + "one (`outcalls identity list`).")
    String identity;

    @Override
    public Integer call() throws Exception {
        byte[] argument;
        Identities.Identity signer;
        try {
            argument = OutcallJson.writeArgument(OutcallJson.parseRequest(MAPPER.writeValueAsBytes(request())));
            signer = SignedCalls.signer(identity);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("outcalls call: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RequestJsonException e) {
            System.err.println("outcalls call: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(gateway);
        try {
            Hash subnet = AdminCommand.subnetOf(client, null, "outcalls call");
            if (subnet == null) {
                return ExitCodes.UNREACHABLE;
            }
            String id;
            try {
                id = SignedCalls.relay(client, subnet, signer.key(), ProxyProtocol.CANISTER_ID, ProxyProtocol.METHOD_OUTCALL,
                        argument, Duration.ofSeconds(timeoutSeconds));
            } catch (SignedCalls.Refused e) {
                System.err.println("outcalls call: the gateway refused the request (" + e.status + "): " + e.getMessage());
                return e.status == 400 || e.status == 413 ? ExitCodes.USAGE : ExitCodes.UNREACHABLE;
            }
            JsonNode result = await(client, id);
            if (result == null) {
                System.err.println("outcalls call: no result within " + timeoutSeconds + " s; look it up later with "
                        + "GET " + client.base() + "api/v1/outcalls/" + id);
                return ExitCodes.UNREACHABLE;
            }
            if (json) {
                System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            } else {
                ResultPrinter.print(result, System.out);
            }
            return "completed".equals(result.path("status").asText()) ? ExitCodes.OK : ExitCodes.REJECTED;
        } catch (GatewayClient.Unreachable e) {
            System.err.println("outcalls call: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
    }

    private JsonNode await(GatewayClient client, String id) throws GatewayClient.Unreachable, InterruptedException {
        Progress progress = new Progress(System.err);
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                GatewayClient.Reply r = client.get("api/v1/outcalls/" + id + "?wait=1", Duration.ofSeconds(10));
                if (r.status() != 200) {
                    throw new GatewayClient.Unreachable("looking up " + id + " failed (" + r.status() + "): " + r.errorMessage());
                }
                if (!"pending".equals(r.json().path("status").asText())) {
                    return r.json();
                }
                progress.show("waiting for the replicas to agree on " + id.substring(0, 12) + "… "
                        + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
            }
            return null;
        } finally {
            progress.clear();
        }
    }

    private ObjectNode request() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("url", url);
        o.put("method", method.toUpperCase(java.util.Locale.ROOT));
        var hs = o.putArray("headers");
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header '" + h + "' is not NAME:VALUE");
            }
            hs.addObject().put("name", h.substring(0, colon).strip()).put("value", h.substring(colon + 1).strip());
        }
        if (data != null) {
            o.put("body", Base64.getEncoder().encodeToString(textOrFile(data, "--data")));
        }
        if (transform != null) {
            int colon = transform.indexOf(':');
            String name = colon < 0 ? transform : transform.substring(0, colon);
            if (name.isBlank()) {
                throw new IllegalArgumentException("--transform needs a name, as NAME or NAME:CONTEXT");
            }
            ObjectNode t = o.putObject("transform").put("name", name);
            if (colon >= 0) {
                t.put("context", Base64.getEncoder().encodeToString(textOrFile(transform.substring(colon + 1), "--transform")));
            }
        }
        if (policy != null) {
            o.put("policy", policy);
        }
        if (maxResponseBytes != null) {
            o.put("max_response_bytes", maxResponseBytes);
        }
        if (cycles != null) {
            o.put("cycles", cycles);
        }
        return o;
    }

    private static byte[] textOrFile(String value, String option) {
        if (!value.startsWith("@")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        Path file = Path.of(value.substring(1));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A single status line on a terminal, rewritten in place; nothing when output is redirected. */
    private static final class Progress {
        private final PrintStream out;
        private final boolean terminal = System.console() != null;
        private int shown;

        Progress(PrintStream out) {
            this.out = out;
        }

        void show(String line) {
            if (terminal) {
                out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
                out.flush();
                shown = line.length();
            }
        }

        void clear() {
            if (terminal && shown > 0) {
                out.print("\r" + " ".repeat(shown) + "\r");
                out.flush();
            }
        }
    }
}
