package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.HttpHeader;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.consensus.outcall.CertificateVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code outcalls verify FILE}: checks a saved result against its certificate and the subnet's public keys. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a saved outcall result (from `outcalls call --json` or GET /api/v1/outcalls/{id}) against "
                + "its certificate and the subnet's public keys.",
                "The keys come from --subnet (a saved GET /api/v1/subnet document; fully offline) or else from the gateway.",
                "Exit codes: 0 genuine, 1 not genuine or no certificate, 2 wrong usage, 3 keys unavailable."})
final class VerifyCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FILE", description = "The result document (JSON).")
    Path file;

    @Option(names = "--subnet", paramLabel = "FILE", description = "The subnet document with its public keys (JSON).")
    Path subnetFile;

    @Option(names = "--gateway", paramLabel = "URL", description = "Where to read the subnet's keys when --subnet is not given.")
    String gateway;

    @Override
    public Integer call() throws Exception {
        JsonNode result;
        try {
            result = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            System.err.println("outcalls verify: cannot read " + file + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        JsonNode subnet;
        String source;
        if (subnetFile != null) {
            try {
                subnet = MAPPER.readTree(Files.readAllBytes(subnetFile));
            } catch (IOException e) {
                System.err.println("outcalls verify: cannot read " + subnetFile + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            source = subnetFile.toString();
        } else {
            try {
                GatewayClient client = new GatewayClient(gateway);
                subnet = client.get("api/v1/subnet", Duration.ofSeconds(10)).json();
                source = client.base() + "api/v1/subnet";
            } catch (GatewayClient.Unreachable e) {
                System.err.println("outcalls verify: no --subnet file, and " + e.getMessage());
                return ExitCodes.UNREACHABLE;
            }
        }
        String certificate = result.path("certificate").asText("");
        if (certificate.isEmpty()) {
            System.out.println("NOT VERIFIED: the result has no certificate (it was decided by the management canister "
                    + "or by block time, not by replicas' signed shares)");
            return ExitCodes.REJECTED;
        }
        CertificateVerifier.Verdict verdict;
        try {
            Hash subnetId = Hash.fromHex(subnet.path("subnet_id").asText());
            List<PublicKey> keys = new ArrayList<>();
            for (JsonNode r : subnet.path("replicas")) {
                keys.add(PublicKey.fromHex(r.path("public_key").asText()));
            }
            verdict = CertificateVerifier.verify(Base64.getDecoder().decode(certificate), subnetId, keys,
                    response(result), value(result), reject(result));
        } catch (IllegalArgumentException e) {
            System.err.println("outcalls verify: malformed document: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        System.out.println((verdict.genuine() ? "GENUINE: " : "NOT GENUINE: ") + verdict.explanation());
        System.out.println("keys: " + source);
        return verdict.genuine() ? ExitCodes.OK : ExitCodes.REJECTED;
    }

    private static HttpResponse response(JsonNode result) {
        JsonNode r = result.path("response");
        if (r.isMissingNode()) {
            return null;
        }
        List<HttpHeader> headers = new ArrayList<>();
        r.path("headers").forEach(h -> headers.add(new HttpHeader(h.path("name").asText(), h.path("value").asText())));
        return HttpResponse.of(r.path("status").asInt(), headers, Base64.getDecoder().decode(r.path("body").asText("")));
    }

    private static AggregateValue value(JsonNode result) {
        JsonNode v = result.path("value");
        if (v.isMissingNode()) {
            return null;
        }
        return new AggregateValue(new BigDecimal(v.path("median").asText()), v.path("count").asInt(),
                new BigDecimal(v.path("min").asText()), new BigDecimal(v.path("max").asText()));
    }

    private static Reject reject(JsonNode result) {
        JsonNode r = result.path("reject");
        if (r.isMissingNode()) {
            return null;
        }
        return Reject.of(RejectCode.valueOf(r.path("code").asText()), RejectKind.ofWireName(r.path("kind").asText()),
                r.path("message").asText());
    }
}
