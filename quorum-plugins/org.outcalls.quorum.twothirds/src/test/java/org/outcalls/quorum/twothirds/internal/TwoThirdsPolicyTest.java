package org.outcalls.quorum.twothirds.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

class TwoThirdsPolicyTest {
    private final TwoThirdsPolicy policy = new TwoThirdsPolicy();

    /** A share whose 32-byte hash is the given byte repeated; 'R' marks a reject. */
    private static ShareView share(int signer, char content) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) content);
        return new ShareView(signer, hash, 100, content == 'R', null);
    }

    /** "AAB-": replica 0 and 1 sent A, replica 2 sent B, replica 3 nothing yet. */
    private static List<ShareView> shares(String pattern) {
        List<ShareView> list = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '-') {
                list.add(share(i, pattern.charAt(i)));
            }
        }
        return list;
    }

    private static DecisionInput input(int n, List<ShareView> shares) {
        return new DecisionInput(n, (n - 1) / 3, IntStream.range(0, n).toArray(), shares);
    }

    private Decision decide(String pattern) {
        return policy.decide(input(pattern.length(), shares(pattern)));
    }

    private static byte[] hash(char c) {
        byte[] h = new byte[32];
        Arrays.fill(h, (byte) c);
        return h;
    }

    @Test
    void nameCommittee() {
        assertEquals("two-thirds", TwoThirdsPolicy.class.getAnnotation(PolicyName.class).value());
        assertFalse(policy.carriesShareContents());
        assertArrayEquals(new int[] {0, 1, 2, 3}, policy.committee(new CommitteeInput(4, 17, new byte[] {1})));
        assertArrayEquals(new int[] {0}, policy.committee(new CommitteeInput(1, 17, null)));
    }

    @Test
    void completeWithExactlyThresholdSharesOfTheLowestSigners() {
        assertEquals(new Decision.Complete(new int[] {0, 1, 2}, hash('A'), null), decide("AAAA"));
        assertEquals(new Decision.Complete(new int[] {1, 2, 3}, hash('A'), null), decide("BAAA"));
        assertEquals(new Decision.Complete(new int[] {0, 2, 3}, hash('A'), null), decide("A-AA"));
        // n = 7, f = 2: five are needed
        assertEquals(new Decision.Complete(new int[] {1, 2, 4, 5, 6}, hash('A'), null), decide("BAACAAA"));
    }

    @Test
    void anAgreedRejectIsAResultToo() {
        assertEquals(new Decision.Complete(new int[] {0, 1, 3}, hash('R'), null), decide("RRAR"));
    }

    @Test
    void pendingWhileAGroupCanStillReachTheThreshold() {
        assertInstanceOf(Decision.Pending.class, decide("----"));
        assertInstanceOf(Decision.Pending.class, decide("AA--"));
        assertInstanceOf(Decision.Pending.class, decide("AB--"), "1 outside the largest group is not more than f = 1");
        assertInstanceOf(Decision.Pending.class, decide("AAB-"));
    }

    @Test
    void divergentWhenTheSharesOutsideTheLargestGroupExceedF() {
        Decision d = decide("ABCD");
        assertEquals(new Decision.Divergent(new int[] {0, 1, 2, 3}, "no consensus: 4 responses in 4 groups (1× 41414141,"
                + " 1× 42424242, 1× 43434343, 1× 44444444); 3 identical responses are needed"), d);
        d = decide("AB-R");
        assertEquals(new Decision.Divergent(new int[] {0, 1, 3}, "no consensus: 3 responses in 3 groups (1× 41414141,"
                + " 1× 42424242, 1× 52525252 reject); 3 identical responses are needed"), d);
        d = decide("BABA");
        assertEquals(new Decision.Divergent(new int[] {0, 1, 2, 3}, "no consensus: 4 responses in 2 groups (2× 41414141,"
                + " 2× 42424242); 3 identical responses are needed"), d);
    }

    @Test
    void theMessageListsTheLargestGroupsFirstAndStaysShort() {
        String pattern = "AAA" + "BB" + "CDEFGHIJKLMNOPQRSTUVWXYZ"; // n = 29, f = 9, 20 needed
        Decision.Divergent d = (Decision.Divergent) decide(pattern);
        assertTrue(d.message().startsWith("no consensus: 29 responses in 26 groups (3× 41414141, 2× 42424242,"
                + " 1× 43434343, "), d.message());
        assertTrue(d.message().endsWith(", and 18 more); 20 identical responses are needed"), d.message());
    }

    @Test
    void sharesAgreeOnlyWithTheSameHashSizeAndKind() {
        byte[] h = hash('A');
        List<ShareView> shares = List.of(new ShareView(0, h, 100, false, null), new ShareView(1, h, 100, false, null),
                new ShareView(2, h, 101, false, null), new ShareView(3, h, 100, true, null));
        Decision d = policy.decide(input(4, shares));
        assertInstanceOf(Decision.Divergent.class, d);
        // equal counts are listed in the order of hash, size, then kind
        assertEquals("no consensus: 4 responses in 3 groups (2× 41414141, 1× 41414141 reject, 1× 41414141);"
                + " 3 identical responses are needed", ((Decision.Divergent) d).message());
    }

    @Test
    void aSubnetOfOne() {
        assertEquals(new Decision.Complete(new int[] {0}, hash('A'), null), decide("A"));
        assertInstanceOf(Decision.Pending.class, decide("-"));
    }

    @Test
    void sharesFromOutsideTheCommitteeAreIgnored() {
        List<ShareView> shares = List.of(share(0, 'A'), share(1, 'A'), share(7, 'A'), share(9, 'A'));
        assertInstanceOf(Decision.Pending.class, policy.decide(input(4, shares)));
    }

    /**
     * Every way 1 to 7 replicas can answer with contents A, B, C, a reject, or not yet (C left out
     * for 7, to stay fast): the decision
     * is the one the rules give, validators recomputing from the included shares reach the same one,
     * and a completed request stays completed whatever else arrives.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5, 7})
    void exhaustivelyMonotoneAndCorrect(int n) {
        char[] options = n < 7 ? new char[] {'-', 'A', 'B', 'C', 'R'} : new char[] {'-', 'A', 'B', 'R'};
        int f = (n - 1) / 3;
        int threshold = n - f;
        int[] digits = new int[n];
        int combinations = (int) Math.pow(options.length, n);
        for (int c = 0; c < combinations; c++) {
            StringBuilder p = new StringBuilder();
            for (int i = 0, x = c; i < n; i++, x /= options.length) {
                digits[i] = x % options.length;
                p.append(options[digits[i]]);
            }
            String pattern = p.toString();
            List<ShareView> shares = shares(pattern);
            Map<Character, Integer> counts = new HashMap<>();
            shares.forEach(s -> counts.merge((char) s.contentHash()[0], 1, Integer::sum));
            int largest = counts.values().stream().max(Integer::compare).orElse(0);
            int missing = n - shares.size();
            Decision d = policy.decide(input(n, shares));
            if (largest >= threshold) {
                Decision.Complete complete = assertInstanceOf(Decision.Complete.class, d, pattern);
                int[] signers = complete.signers();
                assertEquals(threshold, signers.length, pattern);
                List<ShareView> included = shares.stream().filter(s -> Arrays.binarySearch(signers, s.signer()) >= 0).toList();
                included.forEach(s -> assertArrayEquals(complete.contentHash(), s.contentHash(), pattern));
                assertEquals(complete, policy.decide(input(n, included)), "validator recomputation of " + pattern);
                // whatever the missing replicas send later, the result stands
                for (char late : new char[] {'A', 'C'}) {
                    List<ShareView> all = new ArrayList<>(shares);
                    for (int i = 0; i < n; i++) {
                        if (pattern.charAt(i) == '-') {
                            all.add(share(i, late));
                        }
                    }
                    all.sort((a, b) -> Integer.compare(a.signer(), b.signer()));
                    Decision later = policy.decide(input(n, all));
                    assertArrayEquals(complete.contentHash(), assertInstanceOf(Decision.Complete.class, later).contentHash(),
                            "more shares after " + pattern);
                }
            } else if (largest + missing < threshold) {
                Decision.Divergent divergent = assertInstanceOf(Decision.Divergent.class, d, pattern);
                assertEquals(shares.size(), divergent.signers().length, pattern);
                assertEquals(divergent, policy.decide(input(n, shares)), "validator recomputation of " + pattern);
            } else {
                assertInstanceOf(Decision.Pending.class, d, pattern);
            }
        }
    }
}
