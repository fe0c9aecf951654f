package org.outcalls.launcher.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.outcalls.consensus.Membership;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.IngressMessage;
import org.outcalls.replica.ManagementCanister;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembersArgument;
import org.outcalls.replica.MembershipRules;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outcalls admin replace-member|add-member|remove-member}: one signed {@code change_members}
 * admin message with the whole new member list, built from the members the gateway reports and
 * checked here against the rules the subnet applies ({@link MembershipRules}) before it is sent.
 * The change is recorded in the block that executes it and takes effect {@link
 * Membership#ACTIVATION_DELAY} heights later on every replica; the command prints both heights and
 * can write the joining replica's {@code replica.json} ({@link JoinConfig}).
 */
final class MemberCommands {
    private MemberCommands() {
    }

    /** The new member: its key and where peers reach it. */
    static final class NewMember {
        @Option(names = "--public-key", paramLabel = "KEY", required = true, description = "The new member's public key "
                + "from 'outcalls keygen' on its host: hex, or its node.pub file.")
        String publicKey;

        @Option(names = "--address", paramLabel = "HOST:PORT", required = true,
                description = "Where the new member listens for its peers.")
        String address;

        Member at(int index) {
            Optional<PublicKey> key = SubnetCommand.Init.parseKey(publicKey.strip());
            if (key.isEmpty()) {
                throw new IllegalArgumentException("--public-key: give the new member's key");
            }
            return Member.of(index, key.get(), address.strip());
        }
    }

    @Command(name = "replace-member", mixinStandardHelpOptions = true,
            description = {"Replace member INDEX by a new key at a new address (change_members): for a replica whose "
                    + "host or key is lost for good. The new replica takes the index; from the switch height on the old "
                    + "key is refused by every replica.",
                    "Run the new replica (from --config-out) once the change is recorded: it syncs its state from its "
                    + "peers' catch-up package and takes part from the switch height on."})
    static final class Replace implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INDEX", description = "The member to replace.")
        int index;

        @Mixin
        NewMember member;

        @ArgGroup(exclusive = false)
        JoinConfig.Options join;

        @Mixin
        AdminCommand.Target target;

        @Override
        public Integer call() throws Exception {
            return change("outcalls admin replace-member", target, join, (old, who) -> {
                if (index < 0 || index >= old.size()) {
                    throw new IllegalArgumentException("there is no member " + index + " (the subnet has 0.." + (old.size() - 1) + ")");
                }
                List<Member> next = new ArrayList<>(old);
                next.set(index, member.at(index));
                return next;
            }, index);
        }
    }

    @Command(name = "add-member", mixinStandardHelpOptions = true,
            description = {"Add a member at the next index (change_members): n grows by one, and f and the threshold "
                    + "with it, at the switch height on every replica.",
                    "One at a time while the threshold of the new subnet must be reached by the members already running "
                    + "(4 -> 5 -> 6 -> 7, each after the previous one took effect)."})
    static final class Add implements Callable<Integer> {
        @Mixin
        NewMember member;

        @ArgGroup(exclusive = false)
        JoinConfig.Options join;

        @Mixin
        AdminCommand.Target target;

        @Override
        public Integer call() throws Exception {
            return change("outcalls admin add-member", target, join, (old, who) -> {
                List<Member> next = new ArrayList<>(old);
                next.add(member.at(old.size()));
                return next;
            }, -1);
        }
    }

    @Command(name = "remove-member", mixinStandardHelpOptions = true,
            description = {"Remove the last member (change_members): members keep their index for life, so only the "
                    + "highest index can leave; replace another member by the last one's key first if it must go.",
                    "At most f members leave per change; stop the removed replica after the switch height."})
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INDEX", description = "The member to remove: the last one (n - 1).")
        int index;

        @Mixin
        AdminCommand.Target target;

        @Override
        public Integer call() throws Exception {
            return change("outcalls admin remove-member", target, null, (old, who) -> {
                if (index != old.size() - 1) {
                    throw new IllegalArgumentException("only the last member (" + (old.size() - 1) + ") can be removed: "
                            + "members keep their index for life (shares and certificates name replicas by index)");
                }
                return List.copyOf(old.subList(0, old.size() - 1));
            }, -1);
        }
    }

    /** From the current members to the proposed ones; throws IllegalArgumentException to refuse. */
    interface Proposal {
        List<Member> next(List<Member> old, String who);
    }

    static int change(String who, AdminCommand.Target target, JoinConfig.Options join, Proposal proposal, int replaced)
            throws InterruptedException {
        NodeKey key = AdminCommand.adminKey(target, who);
        if (key == null) {
            return ExitCodes.USAGE;
        }
        GatewayClient client = new GatewayClient(target.gateway);
        try {
            JsonNode subnet = client.get("api/v1/subnet", Duration.ofSeconds(10)).json();
            long version = subnet.path("registry_version").asLong();
            List<Member> old = members(subnet.path("replicas"));
            JsonNode pending = subnet.path("membership").path("pending");
            Optional<Long> pendingUntil = pending.isObject() ? Optional.of(pending.path("effective_height").asLong())
                    : Optional.empty();
            List<Member> next;
            try {
                next = proposal.next(old, who);
            } catch (IllegalArgumentException e) {
                System.err.println(who + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            Optional<String> refusal = MembershipRules.refusal(old, pendingUntil, next);
            if (refusal.isPresent()) {
                System.err.println(who + ": the subnet would refuse this change: " + refusal.get());
                return ExitCodes.REJECTED;
            }
            Hash signedFor = AdminCommand.subnetOf(client, target.subnetId, who);
            if (signedFor == null) {
                return ExitCodes.USAGE;
            }
            byte[] argument = new MembersArgument(version, next).encode();
            byte[] signed = IngressMessage.sign(signedFor, ManagementCanister.ID, ManagementCanister.CHANGE_MEMBERS,
                    argument, new SecureRandom().nextLong() & Long.MAX_VALUE,
                    System.currentTimeMillis() + AdminCommand.EXPIRY.toMillis(), key).encode();
            String change = MembershipRules.describe(old, next);
            if (join != null) {
                int index = replaced >= 0 ? replaced : next.size() - 1;
                Path written = JoinConfig.write(join, index, next, version + 1);
                System.out.println("wrote " + written + " for the new replica " + index + " (node "
                        + next.get(index).nodeId() + ")");
            }
            GatewayClient.Reply accepted = client.post("api/v1/ingress", "application/octet-stream", signed);
            if (accepted.status() != 202) {
                System.err.println(who + ": the gateway refused the message (" + accepted.status() + "): "
                        + accepted.errorMessage());
                return accepted.status() == 400 ? ExitCodes.REJECTED : ExitCodes.UNREACHABLE;
            }
            String id = accepted.json().path("id").asText();
            if (target.timeoutSeconds == 0) {
                System.out.println("change_members (" + change + ") submitted as " + id);
                return ExitCodes.OK;
            }
            JsonNode outcome = AdminCommand.await(client, id, Duration.ofSeconds(target.timeoutSeconds));
            String status = outcome == null ? "received" : outcome.path("status").asText();
            if ("executed".equals(status)) {
                long height = outcome.path("height").asLong();
                int n = next.size();
                System.out.println("change_members (" + change + "): recorded at height " + height
                        + "; takes effect at height " + (height + Membership.ACTIVATION_DELAY) + ": then n = " + n
                        + ", f = " + (n - 1) / 3 + ", threshold " + (n - (n - 1) / 3));
                return ExitCodes.OK;
            }
            if ("received".equals(status)) {
                System.err.println(who + ": no block executed " + id + " within " + target.timeoutSeconds
                        + " s; look it up later with GET " + client.base() + "api/v1/ingress/" + id);
                return ExitCodes.UNREACHABLE;
            }
            System.err.println(who + ": the subnet refused the change (" + status + "): " + outcome.path("message").asText(""));
            return ExitCodes.REJECTED;
        } catch (GatewayClient.Unreachable e) {
            System.err.println(who + ": " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        } catch (java.io.IOException | IllegalArgumentException e) {
            System.err.println(who + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    /** The registry's members as {@code GET /api/v1/subnet} lists them ({@code replicas}). */
    static List<Member> members(JsonNode replicas) {
        List<Member> out = new ArrayList<>();
        for (JsonNode r : replicas) {
            String address = r.path("address").asText("");
            out.add(new Member(r.path("index").asInt(), PublicKey.fromHex(r.path("public_key").asText()),
                    r.path("node_id").asText(), address.isEmpty() ? Optional.empty() : Optional.of(address)));
        }
        return out;
    }
}
