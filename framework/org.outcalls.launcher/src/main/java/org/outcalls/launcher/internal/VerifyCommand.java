package org.outcalls.launcher.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.outcalls.api.verify.Basis;
import org.outcalls.api.verify.DocumentException;
import org.outcalls.api.verify.ResultDocument;
import org.outcalls.api.verify.ResultVerifier;
import org.outcalls.api.verify.SignedRequest;
import org.outcalls.api.verify.SubnetKeys;
import org.outcalls.api.verify.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls verify FILE}: checks a saved result against its certificate and the subnet's
 * public keys with the API's verifier ({@link ResultVerifier}, the JDK alone), says what the
 * result rests on, and refuses one that rests on less than the consumer demands.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a saved outcall result (from `outcalls call --json` or GET /api/v1/outcalls/{id}) against "
                + "its certificate and the subnet's public keys: the shares' signatures, the deciding policy's rule, and "
                + "that they signed the request the document shows (URL, method, headers, body digest, transform, policy, "
                + "bounds, cycles). Prints what the result rests on.",
                "The keys come from --subnet (a saved GET /api/v1/subnet document; fully offline) or else from the gateway.",
                "Exit codes: 0 genuine (and enough), 1 not genuine, no certificate, or less than --require-policy / "
                        + "--min-signers demand, 2 wrong usage, 3 keys unavailable."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The result document (JSON).")
    Path file;

    @Option(names = "--subnet", paramLabel = "FILE", description = "The subnet document with its public keys (JSON).")
    Path subnetFile;

    @Option(names = "--gateway", paramLabel = "URL", description = "Where to read the subnet's keys when --subnet is not given.")
    String gateway;

    @Option(names = "--require-policy", paramLabel = "NAME",
            description = "Refuse a result not decided by this policy (e.g. two-thirds: no single-replica result).")
    String requirePolicy;

    @Option(names = "--min-signers", paramLabel = "K",
            description = "Refuse a result carried by fewer than K replicas' signed shares.")
    int minSigners;

    @Override
    public Integer call() throws Exception {
        if (minSigners < 0 || requirePolicy != null && requirePolicy.isBlank()) {
            System.err.println("outcalls verify: --min-signers must be 0 or more and --require-policy a policy name");
            return ExitCodes.USAGE;
        }
        Optional<String> resultJson = read(file);
        if (resultJson.isEmpty()) {
            return ExitCodes.USAGE;
        }
        ResultDocument document;
        try {
            document = ResultDocument.parse(resultJson.get());
        } catch (DocumentException e) {
            return malformedResult(e);
        }
        Keys keys = keys();
        if (keys.exit != ExitCodes.OK) {
            return keys.exit;
        }
        if (document.certificate().length == 0) {
            System.out.println("NOT VERIFIED: the result has no certificate (it was decided by the management canister "
                    + "or by block time, not by replicas' signed shares)");
            return ExitCodes.REJECTED;
        }
        Verdict verdict = ResultVerifier.verify(document, keys.keys);
        if (!verdict.genuine()) {
            System.out.println("NOT GENUINE: " + verdict.explanation());
            System.out.println("keys: " + keys.source);
            return ExitCodes.REJECTED;
        }
        Basis basis = verdict.basis().orElseThrow();
        Optional<String> shortfall = basis.shortOf(requirePolicy, minSigners);
        System.out.println((shortfall.isPresent() ? "NOT ENOUGH: " : "GENUINE: ") + basis.statement());
        shortfall.ifPresent(s -> System.out.println("refused: genuine, but " + s + demanded()));
        document.request().ifPresent(r -> System.out.println("request: " + describe(r)));
        System.out.println("keys: " + keys.source);
        return shortfall.isPresent() ? ExitCodes.REJECTED : ExitCodes.OK;
    }

    /** A file that is not a JSON object is the wrong file (usage); a bad field is a document that proves nothing. */
    private int malformedResult(DocumentException e) {
        if ("document".equals(e.field())) {
            System.err.println("outcalls verify: " + file + " is not a result document: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        System.out.println("NOT GENUINE: malformed result document: " + e.getMessage());
        return ExitCodes.REJECTED;
    }

    private String demanded() {
        String p = requirePolicy == null ? "" : " --require-policy " + requirePolicy;
        String k = minSigners == 0 ? "" : " --min-signers " + minSigners;
        return " (asked:" + p + k + ")";
    }

    private static String describe(SignedRequest r) {
        return r.method() + " " + r.url() + ", policy " + r.policy()
                + r.transform().map(t -> ", transform " + t.name()).orElse("")
                + " (the request the shares signed)";
    }

    private record Keys(int exit, SubnetKeys keys, String source) {
    }

    private Keys keys() throws InterruptedException {
        String json;
        String source;
        if (subnetFile != null) {
            Optional<String> read = read(subnetFile);
            if (read.isEmpty()) {
                return new Keys(ExitCodes.USAGE, null, null);
            }
            json = read.get();
            source = subnetFile.toString();
        } else {
            try {
                GatewayClient client = new GatewayClient(gateway);
                json = new String(client.get("api/v1/subnet", Duration.ofSeconds(10)).raw(), StandardCharsets.UTF_8);
                source = client.base() + "api/v1/subnet";
            } catch (GatewayClient.Unreachable e) {
                System.err.println("outcalls verify: no --subnet file, and " + e.getMessage());
                return new Keys(ExitCodes.UNREACHABLE, null, null);
            }
        }
        try {
            return new Keys(ExitCodes.OK, SubnetKeys.parse(json), source);
        } catch (DocumentException e) {
            System.err.println("outcalls verify: " + source + " is not a usable subnet document: " + e.getMessage());
            return new Keys(ExitCodes.USAGE, null, null);
        }
    }

    private static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            System.err.println("outcalls verify: cannot read " + path + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
