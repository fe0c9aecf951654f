package org.outcalls.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.Reject;
import org.outcalls.api.RejectCode;
import org.outcalls.api.RejectKind;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallItem;
import org.outcalls.consensus.outcall.OutcallPayload;
import org.outcalls.consensus.outcall.OutcallPayloadSection;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.Hash;
import org.outcalls.replica.byzantine.Adversary;
import org.outcalls.replica.byzantine.ContentForger;
import org.outcalls.replica.byzantine.FaultScripts;
import org.outcalls.replica.byzantine.FrameTap;

/**
 * Draws a faulty replica's behaviour from a seed: what it signs, what it proposes, which of its
 * frames go out, and what it injects — every choice made with its own key only. The description
 * says what was drawn, for the failure message.
 */
final class RandomAdversary {
    static final String LIE = "a lie";

    private RandomAdversary() {
    }

    static String apply(Adversary a, Random random) {
        StringBuilder what = new StringBuilder("replica ").append(a.self()).append(':');
        a.forgeContent(content(random, what));
        a.forgePayload(payload(a, random, what));
        a.tapOutgoing(tap(random, what));
        return what.toString();
    }

    private static ContentForger content(Random random, StringBuilder what) {
        switch (random.nextInt(8)) {
            case 0 -> {
                what.append(" signs honestly;");
                return null;
            }
            case 1 -> {
                what.append(" signs nothing;");
                return (c, honest) -> null;
            }
            case 2 -> {
                what.append(" signs the colluding lie;");
                return (c, honest) -> new ContentForger.Signed(response(LIE), false, honest.transform());
            }
            case 3 -> {
                String mine = LIE + " " + random.nextInt(1000);
                what.append(" signs its own lie;");
                return (c, honest) -> new ContentForger.Signed(response(mine), false, honest.transform());
            }
            case 4 -> {
                what.append(" signs extreme decimals and maximal contents;");
                return FaultScripts.extremeContent();
            }
            case 5 -> {
                what.append(" signs a made-up reject;");
                return (c, honest) -> new ContentForger.Signed(OutcallCodec.encode(Reject.of(RejectCode.SYS_TRANSIENT,
                        RejectKind.UNREACHABLE, "made up")), true, honest.transform());
            }
            case 6 -> {
                String number = random.nextBoolean() ? "-5" : "1000000";
                what.append(" signs the number ").append(number).append(';');
                return (c, honest) -> new ContentForger.Signed(response(number), false, honest.transform());
            }
            default -> {
                what.append(" signs what it fetched under another transform name;");
                return (c, honest) -> new ContentForger.Signed(honest.content(), honest.reject(), "identity@9.9.9");
            }
        }
    }

    private static org.outcalls.replica.byzantine.PayloadForger payload(Adversary a, Random random, StringBuilder what) {
        int choice = random.nextInt(6);
        switch (choice) {
            case 0 -> {
                what.append(" proposes honestly;");
                return null;
            }
            case 1 -> {
                what.append(" answers open requests with its own single-replica items;");
                return FaultScripts.forgedPolicyPayload(a);
            }
            case 2 -> {
                what.append(" proposes garbage outcall payloads;");
                byte[] junk = new byte[1 + random.nextInt(512)];
                random.nextBytes(junk);
                return (section, context, honest) -> OutcallPayloadSection.NAME.equals(section) ? junk : honest;
            }
            case 3 -> {
                what.append(" proposes items carrying only its own share;");
                return (section, context, honest) -> OutcallPayloadSection.NAME.equals(section)
                        ? ownShareItems(a, context.height()) : honest;
            }
            case 4 -> {
                what.append(" claims a state height outside the window;");
                return (section, context, honest) -> {
                    if (!OutcallPayloadSection.NAME.equals(section) || honest.length == 0) {
                        return honest;
                    }
                    try {
                        return OutcallPayload.encode(context.height() + 5, OutcallPayload.decode(honest).items());
                    } catch (org.outcalls.crypto.DecodeException e) {
                        return honest;
                    }
                };
            }
            default -> {
                what.append(" leaves outcalls out of its blocks;");
                return (section, context, honest) -> OutcallPayloadSection.NAME.equals(section) ? new byte[0] : honest;
            }
        }
    }

    /** Items that claim the request is decided by this replica's share alone, under the request's own policy. */
    private static byte[] ownShareItems(Adversary a, long height) {
        List<OutcallItem> items = new ArrayList<>();
        long stateHeight = 0;
        for (OutcallContextInfo open : a.openContexts()) {
            byte[] lie = response(LIE);
            SignedShare share = a.signContent(open, open.policy(), "", lie, false);
            items.add(new OutcallItem(open.callbackId(), open.digest(), open.seed(), open.policyName(), open.policyVersion(),
                    OutcallItem.Outcome.CONTENT, List.of(share), lie, List.of(), null, ""));
            stateHeight = Math.max(stateHeight, a.createdHeight(open.callbackId()));
        }
        return items.isEmpty() || stateHeight >= height ? new byte[0] : OutcallPayload.encode(stateHeight, items);
    }

    private static FrameTap tap(Random random, StringBuilder what) {
        switch (random.nextInt(5)) {
            case 0 -> {
                what.append(" sends everything.");
                return null;
            }
            case 1 -> {
                what.append(" withholds its outcall frames.");
                return (channel, peer, frame) -> OutcallPayloadSection.NAME.equals(channel) ? List.of() : List.of(frame);
            }
            case 2 -> {
                long seed = random.nextLong();
                Random drops = new Random(seed);
                what.append(" drops a third of its frames (seed ").append(seed).append(").");
                return (channel, peer, frame) -> {
                    synchronized (drops) {
                        return drops.nextInt(3) == 0 ? List.of() : List.of(frame);
                    }
                };
            }
            case 3 -> {
                what.append(" sends every frame three times.");
                return (channel, peer, frame) -> List.of(frame, frame, frame);
            }
            default -> {
                what.append(" sends consensus frames to replica 0 only.");
                return (channel, peer, frame) -> !"consensus".equals(channel) || peer == 0 ? List.of(frame) : List.of();
            }
        }
    }

    /** Injects, once, shares over random metadata and contents nobody asked for, for every open request. */
    static void inject(Adversary a, Random random) {
        for (OutcallContextInfo open : a.openContexts()) {
            byte[] content = response(LIE + random.nextInt());
            Hash hash = ContentHash.of("", content);
            ShareMetadata[] lies = {
                new ShareMetadata(a.subnetId(), open.callbackId(), open.digest(), hash, content.length, false, "",
                        "single-replica@0.1.0", open.registryVersion()),
                new ShareMetadata(a.subnetId(), open.callbackId(), open.digest(), hash, content.length, false, "",
                        open.policy(), open.registryVersion() + 1 + random.nextInt(5)),
                new ShareMetadata(a.subnetId(), open.callbackId(), Hash.sha256(new byte[] {(byte) random.nextInt()}), hash,
                        content.length, false, "", open.policy(), open.registryVersion()),
            };
            for (ShareMetadata m : lies) {
                a.sendShares(FrameTap.EVERYONE, List.of(a.sign(m)), java.util.Arrays.asList(content));
            }
            for (SignedShare seen : a.sharesSeen(open.callbackId())) {
                a.sendContent(FrameTap.EVERYONE, open.callbackId(), seen.metadata().contentHash(), content);
            }
        }
        byte[] junk = new byte[random.nextInt(4096)];
        random.nextBytes(junk);
        a.send("consensus", FrameTap.EVERYONE, junk);
        a.send(OutcallPayloadSection.NAME, FrameTap.EVERYONE, junk);
    }

    private static byte[] response(String body) {
        return OutcallCodec.encode(HttpResponse.of(200, List.of(), body.getBytes(StandardCharsets.UTF_8)));
    }
}
