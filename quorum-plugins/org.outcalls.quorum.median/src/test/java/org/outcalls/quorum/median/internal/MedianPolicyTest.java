package org.outcalls.quorum.median.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.outcalls.api.AggregateValue;
import org.outcalls.api.policy.CommitteeInput;
import org.outcalls.api.policy.Decision;
import org.outcalls.api.policy.DecisionInput;
import org.outcalls.api.policy.PolicyName;
import org.outcalls.api.policy.ShareView;

class MedianPolicyTest {
    private final MedianPolicy policy = new MedianPolicy();

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static ShareView response(int signer, String body) {
        byte[] content = body.getBytes(UTF_8);
        return new ShareView(signer, sha256(content), content.length, false, content);
    }

    private static ShareView reject(int signer, String message) {
        byte[] content = message.getBytes(UTF_8);
        return new ShareView(signer, sha256(("reject:" + message).getBytes(UTF_8)), content.length, true, content);
    }

    /** Bodies by signer; null = no share yet; "!text" = a reject with that text. */
    private static List<ShareView> shares(String... bodies) {
        List<ShareView> list = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            if (bodies[i] != null) {
                list.add(bodies[i].startsWith("!") ? reject(i, bodies[i].substring(1)) : response(i, bodies[i]));
            }
        }
        return list;
    }

    private static DecisionInput input(int n, List<ShareView> shares) {
        return new DecisionInput(n, (n - 1) / 3, IntStream.range(0, n).toArray(), shares);
    }

    private Decision decide(String... bodies) {
        return policy.decide(input(bodies.length, shares(bodies)));
    }

    private static AggregateValue value(String v, int count, String min, String max) {
        return new AggregateValue(new BigDecimal(v), count, new BigDecimal(min), new BigDecimal(max));
    }

    private static List<ShareView> included(List<ShareView> shares, int[] signers) {
        List<ShareView> in = new ArrayList<>();
        for (ShareView s : shares) {
            for (int x : signers) {
                if (s.signer() == x) {
                    in.add(s);
                }
            }
        }
        return in;
    }

    @Test
    void nameCommitteeContents() {
        assertEquals("median", MedianPolicy.class.getAnnotation(PolicyName.class).value());
        assertTrue(policy.carriesShareContents());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, policy.committee(new CommitteeInput(7, 1, null)));
    }

    @Test
    void oddCountGivesTheMiddleValue() {
        assertEquals(new Decision.Complete(new int[] {0, 1, 2}, null, value("2", 3, "1", "3")), decide("3", "1", "2", null));
    }

    @Test
    void evenCountGivesTheLowerMedian() {
        assertEquals(new Decision.Complete(new int[] {0, 1, 2, 3}, null, value("20", 4, "10", "40")),
                decide("40", "10", "30", "20"));
        // n = 7, f = 2: six values, element 2 of the sorted six
        assertEquals(new Decision.Complete(new int[] {0, 1, 2, 3, 5, 6}, null, value("3", 6, "1", "6")),
                decide("6", "5", "4", "3", null, "2", "1"));
    }

    @Test
    void pendingBelowTheThreshold() {
        assertInstanceOf(Decision.Pending.class, decide(null, null, null, null));
        assertInstanceOf(Decision.Pending.class, decide("1", "2", null, null));
        assertInstanceOf(Decision.Pending.class, decide("1", "abc", null, null), "1 value + 2 missing can still make 3");
    }

    @Test
    void duplicatesNegativesAndLargeNumbers() {
        assertEquals(value("5", 4, "5", "7"), ((Decision.Complete) decide("5", "7", "5", "5")).value());
        assertEquals(value("-1.5", 4, "-1e+30", "123456789012345678901234567890.5"),
                ((Decision.Complete) decide("-1.5", "-1e+30", "123456789012345678901234567890.5", "-0.25")).value());
        assertEquals(value("1e+100", 3, "9.9e+99", "1e+100"),
                ((Decision.Complete) decide("1e+100", "1e+100", "9.9e+99", null)).value());
        assertEquals(value("-1e-100", 3, "-1e-100", "-1e-100"),
                ((Decision.Complete) decide("-1e-100", "-1e-100", "-1e-100", null)).value());
    }

    @Test
    void equalValuesInDifferentSpellingsPickDeterministically() {
        // 1.50 and 1.5 are equal; ties are ordered by signer, so the pick is the lower signer's
        AggregateValue v = ((Decision.Complete) decide("1.50", "1.5", "2", "1")).value();
        assertEquals("1.50", v.value().toString());
        assertEquals(new BigDecimal("1"), v.min());
    }

    @Test
    void whatCountsAsADecimal() {
        assertEquals(value("42", 3, "41", "43"), ((Decision.Complete) decide("42\n", " 41 ", "\t43\r\n", null)).value());
        for (String notDecimal : new String[] {"", "1,5", "+1", ".5", "1.", "0x1", "NaN", "1 2", "\"1\"", "€1",
            "{\"price\":1}", "1e99999999999"}) {
            Decision d = decide("1", "2", notDecimal, null);
            assertInstanceOf(Decision.Pending.class, d, notDecimal);
        }
        assertInstanceOf(Decision.Pending.class, decide("1", "2", "1".repeat(2049), null), "longer than 2048 bytes");
        assertInstanceOf(Decision.Pending.class, decide("1", "2", "1".repeat(101), null), "101 significant digits");
        assertInstanceOf(Decision.Complete.class, decide("1", "2", " " + "1".repeat(100) + " ", null));
    }

    @Test
    void fOutliersOnEitherSideCannotMoveTheMedianOutOfTheHonestRange() {
        // n = 4, f = 1
        assertEquals(new BigDecimal("11"), ((Decision.Complete) decide("10", "1e+30", "12", "11")).value().value());
        assertEquals(new BigDecimal("10"), ((Decision.Complete) decide("10", "-1e+30", "12", "11")).value().value());
        // n = 7, f = 2: both outliers high, both low, one each
        assertEquals(new BigDecimal("103"), ((Decision.Complete) decide("100", "101", "102", "103", "104", "9e9", "9e9")).value().value());
        assertEquals(new BigDecimal("101"), ((Decision.Complete) decide("100", "101", "102", "103", "104", "-9e9", "-9e9")).value().value());
        assertEquals(new BigDecimal("102"), ((Decision.Complete) decide("100", "101", "102", "103", "104", "-9e9", "9e9")).value().value());
    }

    @Test
    void randomizedHonestRangeProperty() {
        Random r = new Random(4242);
        for (int round = 0; round < 2000; round++) {
            int n = 4 + r.nextInt(10);
            int f = (n - 1) / 3;
            List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
            Collections.shuffle(order, r);
            int faulty = r.nextInt(f + 1);
            String[] bodies = new String[n];
            BigDecimal lo = null;
            BigDecimal hi = null;
            int present = n - f + r.nextInt(f + 1); // the block maker has at least n − f
            for (int i = 0; i < present; i++) {
                int signer = order.get(i);
                BigDecimal v;
                if (i < faulty) {
                    v = new BigDecimal(r.nextBoolean() ? "-1e+40" : "1e+40").multiply(BigDecimal.valueOf(r.nextInt(5) + 1));
                } else {
                    v = BigDecimal.valueOf(1000 + r.nextInt(100), 2);
                    lo = lo == null || v.compareTo(lo) < 0 ? v : lo;
                    hi = hi == null || v.compareTo(hi) > 0 ? v : hi;
                }
                bodies[signer] = v.toString();
            }
            Decision.Complete d = assertInstanceOf(Decision.Complete.class, decide(bodies));
            BigDecimal median = d.value().value();
            assertTrue(median.compareTo(lo) >= 0 && median.compareTo(hi) <= 0,
                    "round " + round + ": median " + median + " outside honest [" + lo + ", " + hi + "]");
            assertEquals(present, d.value().count());
        }
    }

    @Test
    void validatorsRecomputeTheSameDecisionFromTheIncludedShares() {
        List<ShareView> shares = shares("7", "not a number", "5", "!timeout", "6", "5.5", "100");
        Decision.Complete d = assertInstanceOf(Decision.Complete.class, policy.decide(input(7, shares)));
        assertArrayEquals(new int[] {0, 2, 4, 5, 6}, d.signers(), "only the values are included");
        assertEquals(value("6", 5, "5", "100"), d.value());
        assertEquals(d, policy.decide(input(7, included(shares, d.signers()))));
    }

    @Test
    void nIdenticalRejectsCompleteAsThatReject() {
        List<ShareView> shares = shares("!dns_error: no such host", "1", "!dns_error: no such host", "!dns_error: no such host");
        Decision.Complete d = assertInstanceOf(Decision.Complete.class, policy.decide(input(4, shares)));
        assertArrayEquals(new int[] {0, 2, 3}, d.signers());
        assertArrayEquals(shares.get(0).contentHash(), d.contentHash());
        assertNull(d.value());
        assertEquals(d, policy.decide(input(4, included(shares, d.signers()))));
    }

    @Test
    void nonNumericResponsesNeverCompleteAndDivergenceSaysWhatCameAndWhatToDo() {
        Decision d = decide("{\"price\":1}", "{\"price\":1}", "{\"price\":1}", "{\"price\":1}");
        assertEquals(new Decision.Divergent(new int[] {0, 1, 2, 3}, "no consensus: 4 responses: 0 decimal values,"
                + " 4 bodies that are not a decimal number (for example \"{\\\"price\\\":1}\"), 0 rejects;"
                + " 3 decimal values or 3 identical rejects are needed."
                + " Use the number transform to turn each response into one decimal."), d);
        d = decide("1.5", "oops\n", "!connection refused", null);
        assertEquals(new Decision.Divergent(new int[] {0, 1, 2}, "no consensus: 3 responses: 1 decimal value,"
                + " 1 body that is not a decimal number (for example \"oops\\u000a\"), 1 reject in 1 group"
                + " (for example \"connection refused\"); 3 decimal values or 3 identical rejects are needed."
                + " Use the number transform to turn each response into one decimal."), d);
        d = decide("1.5", "2.5", "!a", "!b");
        assertEquals(new Decision.Divergent(new int[] {0, 1, 2, 3}, "no consensus: 4 responses: 2 decimal values,"
                + " 0 bodies that are not a decimal number, 2 rejects in 2 groups (for example \"a\");"
                + " 3 decimal values or 3 identical rejects are needed."), d);
    }

    @Test
    void aShareWithoutContentIsNotAValue() {
        byte[] h = sha256("1".getBytes(UTF_8));
        List<ShareView> shares = List.of(response(0, "1"), response(1, "2"), new ShareView(2, h, 1, false, null),
                new ShareView(3, h, 1, false, null));
        Decision.Divergent d = assertInstanceOf(Decision.Divergent.class, policy.decide(input(4, shares)));
        assertTrue(d.message().startsWith("no consensus: 4 responses: 2 decimal values, 2 bodies that are not a decimal"
                + " number, 0 rejects;"), d.message());
    }

    @Test
    void aSubnetOfOne() {
        assertEquals(new Decision.Complete(new int[] {0}, null, value("3.25", 1, "3.25", "3.25")), decide("3.25"));
    }

    /**
     * Every way n replicas can answer with values 1, 2 or 9, a non-decimal body, one of two rejects,
     * or not yet: the decision matches the rules, and validators recompute it from the included
     * shares alone.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7})
    void exhaustivelyMonotoneAndCorrect(int n) {
        String[] options = n < 7 ? new String[] {null, "1", "2", "9", "x", "!r", "!s"} : new String[] {null, "1", "x", "!r"};
        int threshold = n - (n - 1) / 3;
        int combinations = (int) Math.pow(options.length, n);
        for (int c = 0; c < combinations; c++) {
            String[] bodies = new String[n];
            List<BigDecimal> values = new ArrayList<>();
            int r = 0;
            int s = 0;
            int missing = 0;
            for (int i = 0, x = c; i < n; i++, x /= options.length) {
                bodies[i] = options[x % options.length];
                if (bodies[i] == null) {
                    missing++;
                } else if (bodies[i].equals("!r")) {
                    r++;
                } else if (bodies[i].equals("!s")) {
                    s++;
                } else if (!bodies[i].equals("x")) {
                    values.add(new BigDecimal(bodies[i]));
                }
            }
            String what = String.join(",", java.util.Arrays.stream(bodies).map(String::valueOf).toList());
            List<ShareView> shares = shares(bodies);
            Decision d = policy.decide(input(n, shares));
            if (values.size() >= threshold) {
                Decision.Complete complete = assertInstanceOf(Decision.Complete.class, d, what);
                Collections.sort(values);
                assertEquals(0, values.get((values.size() - 1) / 2).compareTo(complete.value().value()), what);
                assertEquals(values.size(), complete.signers().length, what);
            } else if (Math.max(r, s) >= threshold) {
                Decision.Complete complete = assertInstanceOf(Decision.Complete.class, d, what);
                assertNull(complete.value());
                assertEquals(threshold, complete.signers().length, what);
            } else if (values.size() + missing < threshold && Math.max(r, s) + missing < threshold) {
                assertEquals(n - missing, assertInstanceOf(Decision.Divergent.class, d, what).signers().length, what);
            } else {
                assertInstanceOf(Decision.Pending.class, d, what);
                continue;
            }
            int[] signers = d instanceof Decision.Complete cd ? cd.signers() : ((Decision.Divergent) d).signers();
            assertEquals(d, policy.decide(input(n, included(shares, signers))), "validator recomputation of " + what);
        }
    }

    // ---- Byzantine replicas signing decimals outside the range ----

    @ParameterizedTest
    @ValueSource(strings = {"1e+999999999", "-1e-999999999", "1E+2147483647", "1e99999999999", "0e-999999999",
        "1e+101", "9.9e-101", "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890.5",
        "1.0e-199" /* scale 200 */})
    void aDecimalOutsideTheRangeIsNotAValue(String byzantine) {
        // n = 4, f = 1: the faulty share is left out; the three honest values decide, within their range
        List<ShareView> shares = shares("12.5", byzantine, "12.25", "12.75");
        Decision.Complete d = assertInstanceOf(Decision.Complete.class, policy.decide(input(4, shares)));
        assertArrayEquals(new int[] {0, 2, 3}, d.signers(), "the faulty share is not included");
        assertEquals(value("12.5", 3, "12.25", "12.75"), d.value());
        assertEquals(d, policy.decide(input(4, included(shares, d.signers()))), "validators decide the same");
        // without a third honest value there is no result yet, whatever the faulty replica signed
        assertInstanceOf(Decision.Pending.class, decide("12.5", byzantine, "12.25", null));
    }

    @Test
    void theHonestValuesStillNeedTheThreshold() {
        // n = 7, f = 2: two faulty replicas sign out-of-range decimals; five honest values decide
        Decision.Complete d = assertInstanceOf(Decision.Complete.class,
                decide("100", "1e+999999999", "101", "102", "-1e-999999999", "103", "104"));
        assertArrayEquals(new int[] {0, 2, 3, 5, 6}, d.signers());
        assertEquals(value("102", 5, "100", "104"), d.value());
        // n = 4 with two of them (more than f): never a value from them; divergence says what came
        Decision.Divergent div = assertInstanceOf(Decision.Divergent.class, decide("1", "1e+999999999", "2", "1e101"));
        assertEquals("no consensus: 4 responses: 2 decimal values, 0 bodies that are not a decimal number,"
                + " 2 decimals outside the decimal range (for example \"1e+999999999\"), 0 rejects;"
                + " 3 decimal values or 3 identical rejects are needed.", div.message());
    }

    /** Seeded texts as share contents: a value exactly when it lies within the range, never otherwise. */
    @net.jqwik.api.Property(tries = 1500, seed = "20240613")
    void aShareIsAValueExactlyWhenItLiesWithinTheRange(@net.jqwik.api.ForAll("texts") String text) {
        org.outcalls.api.DecimalStrings.collectStatistics(text);
        Decision three = decide(text, text, text, null);
        Decision withHonest = decide(text, "1", "2", "3");
        if (org.outcalls.api.DecimalStrings.inRange(text)) {
            BigDecimal v = new BigDecimal(text);
            assertEquals(new Decision.Complete(new int[] {0, 1, 2}, null, new AggregateValue(v, 3, v, v)), three, text);
            assertEquals(4, ((Decision.Complete) withHonest).value().count());
        } else {
            // three faulty shares and one missing can never make three values
            Decision.Divergent none = assertInstanceOf(Decision.Divergent.class, three, text);
            assertTrue(none.message().contains(" 3 decimals outside the decimal range (for example "), none.message());
            Decision.Complete d = assertInstanceOf(Decision.Complete.class, withHonest, text);
            assertEquals(value("2", 3, "1", "3"), d.value(), text);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> texts() {
        return org.outcalls.api.DecimalStrings.texts();
    }

    @net.jqwik.api.lifecycle.AfterProperty
    void bothSidesOfTheRangeAreCovered() {
        org.outcalls.api.DecimalStrings.checkCoverage();
    }
}
