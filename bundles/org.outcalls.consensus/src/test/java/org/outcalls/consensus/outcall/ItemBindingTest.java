package org.outcalls.consensus.outcall;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.TransformSpec;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.consensus.CannotValidateException;
import org.outcalls.consensus.InvalidPayloadException;
import org.outcalls.consensus.PayloadContext;
import org.outcalls.crypto.BatchSignature;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.BatchVerifier;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;

/**
 * A payload item may claim only what the request context in replicated state says. The attack this
 * guards against: a faulty block maker picks a policy whose committee is itself (a seed that picks
 * it), signs one share with the victim's context digest, and proposes it as the victim's answer.
 */
class ItemBindingTest {
    private static final Hash SUBNET = Hash.sha256("subnet".getBytes(StandardCharsets.UTF_8));
    private static final int WINDOW = 8;
    private final List<NodeKey> keys = new ArrayList<>();
    private final List<PublicKey> members = new ArrayList<>();
    private final Map<String, AgreementPolicy> installed = new TreeMap<>();
    private final FixedContexts state = new FixedContexts();
    private final ItemValidator validator;
    private final OutcallPayloadSection section;
    /** A two-thirds request: replica 3 (the attacker) must not answer it alone. */
    private final OutcallContextInfo victim;

    ItemBindingTest() {
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            NodeKey k = NodeKey.fromSeed(seed);
            keys.add(k);
            members.add(k.publicKey());
        }
        installed.put("threshold@1.0.0", new ThresholdPolicy());
        installed.put("one@1.0.0", new OnePolicy());
        victim = new OutcallContextInfo(SUBNET, 7, "proxy", OutcallRequest.builder("https://bank.example/").build(), 100, 90,
                1_000, "threshold", "1.0.0", "", 3, Hash.sha256(new byte[] {1}));
        state.open(victim, 2);
        state.executed = 10;
        validator = new ItemValidator(SUBNET, members, new BatchVerifier(64));
        section = new OutcallPayloadSection(validator, (n, v) -> Optional.ofNullable(installed.get(n + "@" + v)),
                new NoSource(), state, WINDOW);
    }

    @Test
    void anItemThatClaimsAnotherPolicyForTheVictimsContextIsRefused() {
        OutcallItem forged = forgedSingleShareItem("one", "1.0.0", seedPicking(3));
        byte[] payload = OutcallPayload.encode(5, List.of(forged));
        InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> section.validate(at(11), payload));
        assertTrue(e.getMessage().contains("claims policy one@1.0.0, but its request context has threshold@1.0.0"),
                e.getMessage());
    }

    @Test
    void anItemThatClaimsAnotherSeedIsRefused() {
        OutcallItem forged = forgedSingleShareItem("threshold", "1.0.0", seedPicking(3));
        InvalidPayloadException e = assertThrows(InvalidPayloadException.class,
                () -> section.validate(at(11), OutcallPayload.encode(5, List.of(forged))));
        assertTrue(e.getMessage().contains("claims committee seed"), e.getMessage());
    }

    @Test
    void anItemForAContextThatIsNotOpenAtTheStateHeightIsRefused() {
        OutcallItem honest = honestItem();
        // created at height 2: not open yet at height 1
        assertRefused(OutcallPayload.encode(1, List.of(honest)), 5, "is not an open request context at state height 1");
        state.close(7, 4);
        assertRefused(OutcallPayload.encode(5, List.of(honest)), 11, "is not an open request context at state height 5");
        assertDoesNotThrow(() -> section.validate(at(11), OutcallPayload.encode(3, List.of(honest))));
    }

    @Test
    void theHonestItemIsValidAndItsStateHeightMustLieInTheWindowBelowTheBlock() {
        byte[] payload = OutcallPayload.encode(5, List.of(honestItem()));
        assertDoesNotThrow(() -> section.validate(at(11), payload));
        assertRefused(OutcallPayload.encode(11, List.of(honestItem())), 11, "must be within 2..10");
        assertRefused(payload, 15, "must be within 6..14");
    }

    @Test
    void aStateHeightNotExecutedHereYetIsAWaitNotAVerdict() {
        state.executed = 4;
        CannotValidateException e = assertThrows(CannotValidateException.class,
                () -> section.validate(at(11), OutcallPayload.encode(5, List.of(honestItem()))));
        assertTrue(e.catchingUp(), e.getMessage());
    }

    @Test
    void theContextsPolicyMissingHereIsAWaitNamingIt() {
        installed.remove("threshold@1.0.0");
        CannotValidateException e = assertThrows(CannotValidateException.class,
                () -> section.validate(at(11), OutcallPayload.encode(5, List.of(honestItem()))));
        assertTrue(!e.catchingUp() && e.getMessage().contains("threshold@1.0.0"), e.getMessage());
    }

    @Test
    void aShareNamingAnotherTransformOrAnotherVersionThanItsContextPinsIsRefused() {
        OutcallContextInfo json = new OutcallContextInfo(SUBNET, 8, "proxy",
                OutcallRequest.builder("https://bank.example/").transform(TransformSpec.of("json", new byte[0])).build(), 100, 90, 1_000,
                "threshold", "1.0.0", "1.0.0", 3, Hash.sha256(new byte[] {2}));
        state.open(json, 3);
        assertRefused(OutcallPayload.encode(5, List.of(itemTransformedBy(json, "identity@1.0.0"))), 11,
                "names transform 'identity@1.0.0', but its request context pins 'json@1.0.0'");
        assertRefused(OutcallPayload.encode(5, List.of(itemTransformedBy(json, "json@2.0.0"))), 11,
                "names transform 'json@2.0.0', but its request context pins 'json@1.0.0'");
        assertDoesNotThrow(() -> section.validate(at(11), OutcallPayload.encode(5, List.of(itemTransformedBy(json, "json@1.0.0")))));
    }

    private OutcallItem itemTransformedBy(OutcallContextInfo ctx, String transform) {
        byte[] content = OutcallCodec.encode(HttpResponse.of(200, List.of(), "x".getBytes(StandardCharsets.UTF_8)));
        List<SignedShare> shares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shares.add(sign(i, new ShareMetadata(SUBNET, ctx.callbackId(), ctx.digest(), ContentHash.of(transform, content),
                    content.length, false, transform, ctx.policy(), 3)));
        }
        return new OutcallItem(ctx.callbackId(), ctx.digest(), ctx.seed(), "threshold", "1.0.0", OutcallItem.Outcome.CONTENT,
                shares, content, List.of(), null, "");
    }

    @Test
    void theMakerClaimsTheLowestStateHeightAtWhichItsItemsAreOpen() throws Exception {
        byte[] content = OutcallCodec.encode(HttpResponse.of(200, List.of(), "ok".getBytes(StandardCharsets.UTF_8)));
        List<ItemMaker.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            candidates.add(new ItemMaker.Candidate(sign(i, metadata(victim, content)), content));
        }
        OutcallPayloadSection maker = new OutcallPayloadSection(validator,
                (n, v) -> Optional.ofNullable(installed.get(n + "@" + v)), new NoSource() {
                    @Override
                    public List<OutcallContextInfo> decidableContexts() {
                        return List.of(victim);
                    }

                    @Override
                    public List<ItemMaker.Candidate> candidates(long callbackId) {
                        return candidates;
                    }
                }, state, WINDOW);
        byte[] payload = maker.build(at(11));
        assertEquals(2, OutcallPayload.decode(payload).stateHeight(), "height 2 created it; the window starts at 2");
        assertDoesNotThrow(() -> section.validate(at(11), payload));
        assertEquals(6, OutcallPayload.decode(maker.build(at(15))).stateHeight(), "at height 15 the window starts at 15 − 1 − 8");
    }

    // ---- fixtures

    private void assertRefused(byte[] payload, long height, String fragment) {
        InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> section.validate(at(height), payload));
        assertTrue(!(e instanceof CannotValidateException) && e.getMessage().contains(fragment), e.getMessage());
    }

    private OutcallItem honestItem() {
        byte[] content = OutcallCodec.encode(HttpResponse.of(200, List.of(), "ok".getBytes(StandardCharsets.UTF_8)));
        List<SignedShare> shares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shares.add(sign(i, metadata(victim, content)));
        }
        return new OutcallItem(7, victim.digest(), victim.seed(), "threshold", "1.0.0", OutcallItem.Outcome.CONTENT, shares,
                content, List.of(), null, "");
    }

    /** What replica 3 alone can make: its one share over the victim's digest under the policy and seed it likes. */
    private OutcallItem forgedSingleShareItem(String policy, String version, Hash seed) {
        byte[] lie = OutcallCodec.encode(HttpResponse.of(200, List.of(), "balance: 1000000".getBytes(StandardCharsets.UTF_8)));
        ShareMetadata m = new ShareMetadata(SUBNET, 7, victim.digest(), ContentHash.of("", lie), lie.length, false, "",
                policy + "@" + version, 3);
        return new OutcallItem(7, victim.digest(), seed, policy, version, OutcallItem.Outcome.CONTENT, List.of(sign(3, m)), lie,
                List.of(), null, "");
    }

    private static Hash seedPicking(int replica) {
        byte[] seed = new byte[32];
        seed[0] = (byte) replica;
        return Hash.wrap(seed);
    }

    private static ShareMetadata metadata(OutcallContextInfo ctx, byte[] content) {
        return new ShareMetadata(SUBNET, ctx.callbackId(), ctx.digest(), ContentHash.of("", content), content.length, false, "",
                ctx.policy(), ctx.registryVersion());
    }

    private SignedShare sign(int signer, ShareMetadata m) {
        BatchSignature sig = BatchSigner.sign(keys.get(signer), OutcallDomains.SHARE, List.of(m.encode())).get(0);
        return new SignedShare(m, signer, sig);
    }

    private static PayloadContext at(long height) {
        return new PayloadContext() {
            @Override
            public long height() {
                return height;
            }

            @Override
            public long blockTime() {
                return height * 1_000_000L;
            }

            @Override
            public int maker() {
                return 0;
            }

            @Override
            public long maxBytes() {
                return OutcallItem.MAX_PAYLOAD_BYTES;
            }

            @Override
            public List<byte[]> ancestorPayloads() {
                return List.of();
            }
        };
    }

    /** Replicated contexts as a test states them: facts with their creation and closing heights. */
    private static final class FixedContexts implements ReplicatedContexts {
        private final Map<Long, OutcallContextInfo> facts = new TreeMap<>();
        private final Map<Long, long[]> heights = new TreeMap<>();
        long executed;

        void open(OutcallContextInfo info, long created) {
            facts.put(info.callbackId(), info);
            heights.put(info.callbackId(), new long[] {created, Long.MAX_VALUE});
        }

        void close(long callbackId, long at) {
            heights.get(callbackId)[1] = at;
        }

        @Override
        public long executedHeight() {
            return executed;
        }

        @Override
        public long oldestHeight() {
            return 0;
        }

        @Override
        public Optional<OutcallContextInfo> openAt(long callbackId, long height) {
            long[] h = heights.get(callbackId);
            return h != null && h[0] <= height && h[1] > height ? Optional.of(facts.get(callbackId)) : Optional.empty();
        }

        @Override
        public long createdHeight(long callbackId) {
            long[] h = heights.get(callbackId);
            return h == null ? -1 : h[0];
        }
    }

    private static class NoSource implements OutcallPayloadSection.Source {
        @Override
        public List<OutcallContextInfo> openContexts() {
            return List.of();
        }

        @Override
        public List<ItemMaker.Candidate> candidates(long callbackId) {
            return List.of();
        }

        @Override
        public boolean mayHaveDecisions() {
            return false;
        }

        @Override
        public void needContent(long callbackId, Hash contentHash, int[] holders) {
        }

        @Override
        public void missingPolicy(String policy) {
        }
    }
}
