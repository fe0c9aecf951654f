package org.outcalls.replica.byzantine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Policies;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallItem;
import org.outcalls.consensus.outcall.OutcallPayload;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;
import org.outcalls.transport.Transport;

/**
 * The scripted fault modes of {@code outcalls run --fault MODE} that act through an {@link
 * Adversary} (the consensus-level modes {@code crash, silent, equivocate, forge} live in the
 * consensus engine). Each is what a single faulty replica can do with its own key.
 */
public final class FaultScripts {
    /** What every forging replica signs: the same lie, so forgers can collude. */
    public static final String FORGED_BODY = "forged";
    /** The decimals an {@link #extremeValue} replica signs for numeric requests, in turn. */
    static final List<String> EXTREME_DECIMALS = List.of("1e999999999", "-1E+2147483647", "1e-999999999",
            "9".repeat(100_000), "0." + "0".repeat(50_000) + "1", "NaN", "-0");

    private FaultScripts() {
    }

    /** Signs nothing for any request (fetches, but never shares). */
    public static Consumer<Adversary> silentOutcalls() {
        return a -> a.forgeContent((context, honest) -> null);
    }

    /** Signs the same made-up response for every request, instead of what it fetched. */
    public static Consumer<Adversary> forgeOutcalls() {
        return a -> a.forgeContent((context, honest) -> new ContentForger.Signed(OutcallCodec.encode(
                HttpResponse.of(200, List.of(), FORGED_BODY.getBytes(StandardCharsets.UTF_8))), false, honest.transform()));
    }

    /**
     * As block maker, answers every open request with a one-share item of the {@code single-replica}
     * policy, under a seed that makes itself that policy's committee, carrying its own lie.
     */
    public static Consumer<Adversary> forgePolicy() {
        return a -> a.forgePayload(forgedPolicyPayload(a));
    }

    /** The payload forger of {@link #forgePolicy()} for adversary {@code a}. */
    public static PayloadForger forgedPolicyPayload(Adversary a) {
        return (section, context, honest) -> {
            if (!OutcallPayloadSection.NAME.equals(section)) {
                return honest;
            }
            List<OutcallItem> items = new ArrayList<>();
            long stateHeight = 0;
            for (OutcallContextInfo open : a.openContexts()) {
                Optional<OutcallItem> item = forgedSingleReplicaItem(a, open);
                if (item.isPresent()) {
                    items.add(item.get());
                    stateHeight = Math.max(stateHeight, a.createdHeight(open.callbackId()));
                }
                if (items.size() >= 64) {
                    break;
                }
            }
            // the lowest height at which the victims are open, so validators judge it now rather than later
            return items.isEmpty() || stateHeight >= context.height() ? honest : OutcallPayload.encode(stateHeight, items);
        };
    }

    /** A one-share {@code single-replica} item for {@code victim}, decided by this replica alone; empty if it cannot make one. */
    public static Optional<OutcallItem> forgedSingleReplicaItem(Adversary a, OutcallContextInfo victim) {
        Optional<AgreementPolicy> single = a.policy(Policies.SINGLE_REPLICA, victim.policyVersion());
        if (single.isEmpty()) {
            return Optional.empty();
        }
        Hash seed = seedElecting(single.get(), a.size(), victim.callbackId(), a.self());
        if (seed == null) {
            return Optional.empty();
        }
        byte[] lie = OutcallCodec.encode(HttpResponse.of(200, List.of(), FORGED_BODY.getBytes(StandardCharsets.UTF_8)));
        String policy = Policies.SINGLE_REPLICA + "@" + victim.policyVersion();
        SignedShare share = a.signContent(victim, policy, "", lie, false);
        return Optional.of(new OutcallItem(victim.callbackId(), victim.digest(), seed, Policies.SINGLE_REPLICA,
                victim.policyVersion(), OutcallItem.Outcome.CONTENT, List.of(share), lie,
                single.get().carriesShareContents() ? List.of(lie) : List.of(), null, ""));
    }

    /** A seed under which {@code policy}'s committee for the callback is exactly {@code replica}, or null. */
    public static Hash seedElecting(AgreementPolicy policy, int subnetSize, long callbackId, int replica) {
        for (int i = 0; i < 4096; i++) {
            Hash seed = Hash.sha256(("seed-" + i).getBytes(StandardCharsets.US_ASCII));
            int[] committee = policy.committee(new CommitteeInput(subnetSize, callbackId, seed.bytes()));
            if (Arrays.equals(committee, new int[] {replica})) {
                return seed;
            }
        }
        return null;
    }

    /**
     * Signs extreme decimals for numeric requests (transform {@code number}) and maximal contents
     * (max_response_bytes of filler) for every other request.
     */
    public static Consumer<Adversary> extremeValue() {
        return a -> a.forgeContent(extremeContent());
    }

    /** The content forger of {@link #extremeValue()}. */
    public static ContentForger extremeContent() {
        int[] turn = new int[1];
        return (context, honest) -> {
            boolean numeric = context.request().transform().map(t -> t.name().equals("number")).orElse(false);
            byte[] body;
            if (numeric) {
                synchronized (turn) {
                    body = EXTREME_DECIMALS.get(turn[0]++ % EXTREME_DECIMALS.size()).getBytes(StandardCharsets.US_ASCII);
                }
            } else {
                long room = Math.min(context.request().effectiveMaxResponseBytes(), OutcallCodec.MAX_CONTENT_BYTES - 1024L) - 64;
                body = new byte[(int) Math.max(0, room)];
                Arrays.fill(body, (byte) 'A');
            }
            return new ContentForger.Signed(OutcallCodec.encode(HttpResponse.of(200, List.of(), body)), false, honest.transform());
        };
    }

    /**
     * Floods every peer: maximal garbage frames on the consensus and outcalls channels and on
     * channels nobody listens to, and requests for every content of every open request it knows of, replayed each
     * round (every 20 ms) for as long as the replica runs.
     */
    public static Consumer<Adversary> flood() {
        return a -> {
            byte[] garbage = new byte[Transport.MAX_FRAME_BYTES];
            Arrays.fill(garbage, (byte) 0x7f);
            int[] round = new int[1];
            a.every(Duration.ofMillis(20), () -> {
                int r = round[0]++;
                for (int peer = 0; peer < a.size(); peer++) {
                    if (peer == a.self()) {
                        continue;
                    }
                    a.send("consensus", peer, garbage);
                    a.send(OutcallPayloadSection.NAME, peer, garbage);
                    a.send("flood-" + (r % 64), peer, garbage);
                    for (OutcallContextInfo open : a.openContexts()) {
                        for (SignedShare seen : a.sharesSeen(open.callbackId())) {
                            a.requestContent(peer, open.callbackId(), seen.metadata().contentHash());
                        }
                    }
                }
                return true;
            });
        };
    }
}
