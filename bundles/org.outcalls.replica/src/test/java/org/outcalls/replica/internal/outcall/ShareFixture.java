package org.outcalls.replica.internal.outcall;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.outcalls.api.HttpResponse;
import org.outcalls.api.OutcallRequest;
import org.outcalls.api.methods.MethodSupport;
import org.outcalls.api.policy.AgreementPolicy;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.ShareView;
import org.outcalls.api.transform.Transform;
import org.outcalls.consensus.outcall.ContentHash;
import org.outcalls.consensus.outcall.OutcallCodec;
import org.outcalls.consensus.outcall.OutcallContextInfo;
import org.outcalls.consensus.outcall.OutcallDomains;
import org.outcalls.consensus.outcall.ShareMetadata;
import org.outcalls.consensus.outcall.SignedShare;
import org.outcalls.crypto.BatchSigner;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.local.PluginSource;

/** Four replicas' keys, one request context and shares over it, for the way-of-a-share step tests. */
final class ShareFixture {
    static final Hash SUBNET = Hash.sha256("share fixture".getBytes(StandardCharsets.UTF_8));
    final List<NodeKey> keys = new ArrayList<>();
    final List<PublicKey> members = new ArrayList<>();

    ShareFixture() {
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            keys.add(NodeKey.fromSeed(seed));
            members.add(keys.get(i).publicKey());
        }
    }

    static OutcallContextInfo context(long callbackId) {
        return new OutcallContextInfo(SUBNET, callbackId, "proxy", OutcallRequest.builder("https://a.example/" + callbackId).build(),
                100, 90, 1_000, Majority.NAME, "1.0.0", "", 1, Hash.sha256(new byte[] {(byte) callbackId}));
    }

    static byte[] content(String body) {
        return OutcallCodec.encode(HttpResponse.of(200, List.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    SignedShare share(int signer, OutcallContextInfo ctx, byte[] content) {
        ShareMetadata m = new ShareMetadata(SUBNET, ctx.callbackId(), ctx.digest(), ContentHash.of("", content), content.length,
                false, "", ctx.policy(), ctx.registryVersion());
        return new SignedShare(m, signer, BatchSigner.sign(keys.get(signer), OutcallDomains.SHARE, List.of(m.encode())).get(0));
    }

    /** Complete when n − f shares name one content; the committee is everyone. */
    static final class Majority implements AgreementPolicy {
        static final String NAME = "majority";

        @Override
        public int[] committee(CommitteeInput input) {
            return java.util.stream.IntStream.range(0, input.subnetSize()).toArray();
        }

        @Override
        public boolean carriesShareContents() {
            return false;
        }

        @Override
        public Decision decide(DecisionInput input) {
            java.util.Map<Hash, List<Integer>> groups = new java.util.TreeMap<>();
            for (ShareView s : input.shares()) {
                groups.computeIfAbsent(Hash.wrap(s.contentHash()), h -> new ArrayList<>()).add(s.signer());
            }
            for (var e : groups.entrySet()) {
                if (e.getValue().size() >= input.threshold()) {
                    return new Decision.Complete(e.getValue().stream().mapToInt(i -> i).limit(input.threshold()).toArray(),
                            e.getKey().bytes(), null);
                }
            }
            return new Decision.Pending();
        }
    }

    /** Only the majority policy is installed; {@code installed} false: nothing is. */
    static PluginSource plugins(boolean installed) {
        AgreementPolicy policy = new Majority();
        return new PluginSource() {
            @Override
            public Optional<Transform> transform(String name, String version) {
                return Optional.empty();
            }

            @Override
            public Optional<AgreementPolicy> policy(String name, String version) {
                return installed && Majority.NAME.equals(name) ? Optional.of(policy) : Optional.empty();
            }

            @Override
            public Optional<MethodSupport> methods() {
                return Optional.empty();
            }
        };
    }
}
