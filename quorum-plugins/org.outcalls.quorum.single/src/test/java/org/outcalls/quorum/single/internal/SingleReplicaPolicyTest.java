package org.outcalls.quorum.single.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

class SingleReplicaPolicyTest {
    private static final byte[] SEED = "block 1234 hash".getBytes(StandardCharsets.UTF_8);
    private final SingleReplicaPolicy policy = new SingleReplicaPolicy();

    private static ShareView share(int signer, char content, boolean reject) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) content);
        return new ShareView(signer, hash, 10, reject, null);
    }

    private int chosen(int n, long callbackId, byte[] seed) {
        int[] committee = policy.committee(new CommitteeInput(n, callbackId, seed));
        assertEquals(1, committee.length);
        return committee[0];
    }

    @Test
    void nameAndContents() {
        assertEquals("single-replica", SingleReplicaPolicy.class.getAnnotation(PolicyName.class).value());
        assertFalse(policy.carriesShareContents());
    }

    @Test
    void theChoiceIsTheDocumentedHash() throws Exception {
        // an independent computation of the documented encoding pins it against refactoring
        byte[] domain = "outcalls/single-replica/committee/v1".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + domain.length + 4 + SEED.length + 8);
        b.putInt(domain.length).put(domain).putInt(SEED.length).put(SEED).putLong(42);
        BigInteger h = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(b.array()));
        for (int n : new int[] {1, 4, 7, 13, 40}) {
            assertEquals(h.mod(BigInteger.valueOf(n)).intValue(), chosen(n, 42, SEED), "n = " + n);
        }
    }

    @Test
    void theChoiceIsDeterministicAndInRange() {
        for (long id = 0; id < 200; id++) {
            int c = chosen(13, id, SEED);
            assertTrue(c >= 0 && c < 13);
            assertEquals(c, new SingleReplicaPolicy().committee(new CommitteeInput(13, id, SEED.clone()))[0]);
        }
        assertEquals(0, chosen(1, 5, SEED));
        assertEquals(chosen(4, 5, null), chosen(4, 5, new byte[0]), "no seed is the empty seed");
    }

    @Test
    void theChoiceDependsOnCallbackIdAndSeed() {
        Set<Integer> byId = new HashSet<>();
        Set<Integer> bySeed = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            byId.add(chosen(13, i, SEED));
            bySeed.add(chosen(13, 42, ("seed " + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(13, byId.size(), "64 callback ids reach every one of 13 replicas");
        assertEquals(13, bySeed.size(), "64 seeds reach every one of 13 replicas");
    }

    @Test
    void theChoiceIsUniform() {
        int n = 7;
        int draws = 70_000;
        int[] counts = new int[n];
        for (long id = 0; id < draws; id++) {
            counts[chosen(n, id, SEED)]++;
        }
        // chi-square with 6 degrees of freedom; 22.46 is the 0.999 quantile. The inputs are fixed,
        // so this is a fixed check of the hash, not a flaky statistical test.
        double expected = draws / (double) n;
        double chi2 = Arrays.stream(counts).mapToDouble(c -> (c - expected) * (c - expected) / expected).sum();
        assertTrue(chi2 < 22.46, "chi-square " + chi2 + " for " + Arrays.toString(counts));
    }

    @Test
    void completeAsSoonAsTheChosenReplicasShareIsThere() {
        int n = 4;
        int c = chosen(n, 42, SEED);
        int other = (c + 1) % n;
        int[] committee = {c};
        assertInstanceOf(Decision.Pending.class, policy.decide(new DecisionInput(n, 1, committee, List.of())));
        assertInstanceOf(Decision.Pending.class, policy.decide(new DecisionInput(n, 1, committee,
                List.of(share(other, 'B', false)))), "a share from another replica proves nothing");
        ShareView mine = share(c, 'A', false);
        Decision d = policy.decide(new DecisionInput(n, 1, committee, List.of(mine)));
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 'A');
        assertEquals(new Decision.Complete(new int[] {c}, hash, null), d);
        List<ShareView> both = other < c ? List.of(share(other, 'B', false), mine) : List.of(mine, share(other, 'B', false));
        assertEquals(d, policy.decide(new DecisionInput(n, 1, committee, both)));
    }

    @Test
    void aRejectShareCompletesAsThatReject() {
        Decision d = policy.decide(new DecisionInput(4, 1, new int[] {2}, List.of(share(2, 'R', true))));
        Decision.Complete complete = assertInstanceOf(Decision.Complete.class, d);
        assertArrayEquals(new int[] {2}, complete.signers());
        assertEquals('R', complete.contentHash()[0]);
    }

    @Test
    void neverDivergentWhateverArrives() {
        List<ShareView> others = List.of(share(0, 'A', false), share(1, 'B', false), share(3, 'R', true));
        // three different answers would prove divergence under two-thirds; here they are irrelevant
        assertInstanceOf(Decision.Pending.class, policy.decide(new DecisionInput(4, 1, new int[] {2}, others)));
    }
}
