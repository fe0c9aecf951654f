package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.outcalls.crypto.DecodeException;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.cup.CatchUpPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls verify-cup FILE --subnet FILE}: checks a saved catch-up package (from {@code GET
 * /api/v1/subnet/cup}) offline: its signatures, that n − f of its committee signed, and, given a
 * saved {@code GET /api/v1/subnet}, that it is that subnet's, names that document's registry version
 * and that its committee is that registry's members at its height.
 */
@Command(name = "verify-cup", mixinStandardHelpOptions = true,
        description = {"Check a saved catch-up package (GET /api/v1/subnet/cup) offline: every signature, n - f of its "
                + "committee signed, and with --subnet (a saved GET /api/v1/subnet) that it is that subnet's, at that "
                + "registry version, signed by that registry's members. Prints what it certifies.",
                "Exit codes: 0 genuine, 1 not genuine (or not for the subnet document given), 2 wrong usage."})
final class VerifyCupCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FILE", description = "The catch-up package (binary, as the gateway serves it).")
    Path file;

    @Option(names = "--subnet", paramLabel = "FILE", description = "The subnet document (a saved GET /api/v1/subnet).")
    Path subnetFile;

    @Override
    public Integer call() {
        CatchUpPackage cup;
        try {
            cup = CatchUpPackage.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            System.err.println("outcalls verify-cup: cannot read " + file + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (DecodeException e) {
            System.out.println("NOT GENUINE: " + file + " is not a catch-up package: " + e.getMessage());
            return ExitCodes.REJECTED;
        }
        Optional<String> problem;
        String against;
        if (subnetFile == null) {
            problem = cup.problem();
            against = "its own committee only (give --subnet to check it against the subnet's registry)";
        } else {
            JsonNode subnet;
            try {
                subnet = JSON.readTree(Files.readString(subnetFile));
            } catch (IOException e) {
                System.err.println("outcalls verify-cup: cannot read the subnet document " + subnetFile + ": "
                        + e.getMessage());
                return ExitCodes.USAGE;
            }
            Hash subnetId;
            List<PublicKey> committee;
            try {
                subnetId = Hash.fromHex(subnet.path("subnet_id").asText());
                committee = committeeAt(subnet, cup.height());
            } catch (IllegalArgumentException e) {
                System.err.println("outcalls verify-cup: " + subnetFile + " is not a subnet document: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            long version = subnet.path("registry_version").asLong();
            problem = cup.problemAgainst(subnetId, version, committee);
            against = "subnet " + subnetId.shortHex() + "… registry version " + version + " (" + subnetFile + ")";
        }
        if (problem.isPresent()) {
            System.out.println("NOT GENUINE: " + problem.get());
            System.out.println("checked against: " + against);
            return ExitCodes.REJECTED;
        }
        System.out.println("GENUINE: the state of subnet " + cup.content().subnetId().shortHex() + "… at height "
                + cup.height() + " has hash " + cup.content().stateHash().hex() + " (block "
                + cup.content().blockHash().hex() + ", registry version " + cup.content().registryVersion() + ")");
        System.out.println("signed by " + cup.signatures().size() + " of " + cup.content().n() + " replicas "
                + cup.signatures().keySet() + "; it needs " + cup.content().threshold() + " (n - f)");
        System.out.println("checked against: " + against);
        return ExitCodes.OK;
    }

    /**
     * The members that ran consensus at {@code height} by the subnet document: its {@code replicas}
     * (index order), or a pending membership's members from its effective height on.
     */
    static List<PublicKey> committeeAt(JsonNode subnet, long height) {
        JsonNode pending = subnet.path("membership").path("pending");
        JsonNode rows = subnet.path("replicas");
        if (pending.isObject() && height >= pending.path("effective_height").asLong(Long.MAX_VALUE)) {
            rows = pending.path("members");
        }
        if (!rows.isArray() || rows.isEmpty()) {
            throw new IllegalArgumentException("no members (replicas[].public_key)");
        }
        List<PublicKey> keys = new ArrayList<>();
        for (JsonNode r : rows) {
            keys.add(PublicKey.fromHex(r.path("public_key").asText()));
        }
        return keys;
    }
}
