package org.outcalls.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which changes a subnet accepts: at most f leave or change key, and the kept members reach the new threshold. */
class MembershipRulesTest {
    private static List<Member> members(int n, int firstSeed) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Member.of(i, Fixture.key(firstSeed + i).publicKey(), "127.0.0.1:" + (9000 + i)));
        }
        return out;
    }

    private static List<Member> grow(List<Member> old, int to) {
        List<Member> next = new ArrayList<>(old);
        for (int i = old.size(); i < to; i++) {
            next.add(Member.of(i, Fixture.key(50 + i).publicKey(), "127.0.0.1:" + (9100 + i)));
        }
        return next;
    }

    private static Optional<String> refusal(List<Member> old, List<Member> next) {
        return MembershipRules.refusal(old, Optional.empty(), next);
    }

    @Test
    void replacingOneOfFourIsAllowedTwoAreNot() {
        List<Member> four = members(4, 1);
        List<Member> one = new ArrayList<>(four);
        one.set(2, Member.of(2, Fixture.key(77).publicKey(), "127.0.0.1:9200"));
        assertEquals(Optional.empty(), refusal(four, one));
        List<Member> two = new ArrayList<>(one);
        two.set(3, Member.of(3, Fixture.key(78).publicKey(), "127.0.0.1:9201"));
        String why = refusal(four, two).orElseThrow();
        assertTrue(why.startsWith("2 of the 4 members would leave or change key at once; at most f = 1 may per change"), why);
    }

    @Test
    void growingByMoreThanTheKeptMembersCarryIsRefusedWithTheLargestAllowedSize() {
        List<Member> four = members(4, 1);
        assertEquals(Optional.empty(), refusal(four, grow(four, 5)));
        String why = refusal(four, grow(four, 7)).orElseThrow();
        assertTrue(why.contains("the new 7 members need 5 signatures (n - f) at every height, but only 4 of them are members now")
                && why.contains("with 4 kept the new list may have at most 5 members"), why);
        List<Member> five = grow(four, 5);
        assertEquals(Optional.empty(), refusal(five, grow(five, 7)), "5 -> 7: 5 kept reach the threshold 5 of 7");
        assertEquals(5, MembershipRules.largestWithThreshold(4));
        assertEquals(7, MembershipRules.largestWithThreshold(5));
    }

    @Test
    void shrinkingByMoreThanFIsRefused() {
        List<Member> seven = members(7, 1);
        assertEquals(Optional.empty(), refusal(seven, seven.subList(0, 5)), "7 -> 5: 2 leave, f = 2");
        String why = refusal(seven, seven.subList(0, 4)).orElseThrow();
        assertTrue(why.startsWith("3 of the 7 members would leave or change key at once; at most f = 2"), why);
        assertEquals(Optional.empty(), refusal(seven.subList(0, 5), seven.subList(0, 4)));
    }

    @Test
    void oneChangeAtATimeAndIndicesStayDense() {
        List<Member> four = members(4, 1);
        String pending = MembershipRules.refusal(four, Optional.of(130L), grow(four, 5)).orElseThrow();
        assertEquals("a membership change is pending until height 130; one change per activation window (64 heights): "
                + "send the next one once it took effect", pending);
        List<Member> hole = new ArrayList<>(four.subList(0, 3));
        hole.add(Member.of(4, Fixture.key(60).publicKey(), "127.0.0.1:9300"));
        assertTrue(refusal(four, hole).orElseThrow().contains("indices must stay 0..n-1"));
        List<Member> twice = new ArrayList<>(four);
        twice.add(Member.of(4, four.get(0).publicKey(), "127.0.0.1:9301"));
        assertEquals("a key appears twice in the new member list", refusal(four, twice).orElseThrow());
        assertEquals("the new member list is the current one", refusal(four, four).orElseThrow());
        assertTrue(refusal(four, grow(four, 65)).isPresent());
    }

    @Test
    void describeSaysWhatChanges() {
        List<Member> four = members(4, 1);
        List<Member> next = new ArrayList<>(grow(four, 5));
        next.set(1, Member.of(1, Fixture.key(90).publicKey(), "127.0.0.1:9400"));
        next.set(3, Member.of(3, four.get(3).publicKey(), "127.0.0.1:9401"));
        assertEquals("n 4 -> 5; added 4; replaced 1; moved 3", MembershipRules.describe(four, next));
        assertEquals("n 4 -> 3; removed 3", MembershipRules.describe(four, four.subList(0, 3)));
    }
}
