package org.outcalls.replica.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.outcalls.crypto.Hash;
import org.outcalls.crypto.NodeKey;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.AppliedMembership;
import org.outcalls.replica.Member;
import org.outcalls.replica.MembershipSchedule;

class ScheduleCommitteesTest {
    private static List<Member> members(String tag, int n) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PublicKey k = NodeKey.fromSeed(Hash.sha256((tag + i).getBytes()).bytes()).publicKey();
            out.add(Member.of(i, k, "127.0.0.1:" + (4000 + i)));
        }
        return out;
    }

    private static List<PublicKey> keys(List<Member> members) {
        return members.stream().map(Member::publicKey).toList();
    }

    @Test
    void answersEachRegistryVersionFromTheScheduleInForceWhenAsked() {
        List<Member> four = members("a", 4);
        List<Member> five = members("b", 5);
        MembershipSchedule before = new MembershipSchedule(10, four, Optional.empty(), List.of());
        AtomicReference<MembershipSchedule> schedule = new AtomicReference<>(before);
        ScheduleCommittees committees = new ScheduleCommittees(schedule::get);

        assertEquals(keys(four), committees.at(1));
        assertSame(committees.at(1), committees.at(1), "listed once per schedule");

        // registry version 2 recorded five members: version 1 keeps its four, version 2 has five
        schedule.set(new MembershipSchedule(80, five, Optional.empty(),
                List.of(new AppliedMembership(75, 2, "add member 4", four))));
        assertEquals(keys(four), committees.at(1));
        assertEquals(keys(five), committees.at(2));
    }

    @Test
    void versionsPastTheMemoLimitStillGetTheirKeys() {
        List<Member> four = members("a", 4);
        List<Member> five = members("b", 5);
        MembershipSchedule schedule = new MembershipSchedule(80, five, Optional.empty(),
                List.of(new AppliedMembership(75, 2, "add member 4", four)));
        ScheduleCommittees committees = new ScheduleCommittees(() -> schedule);
        assertEquals(keys(four), committees.at(0));
        for (long v = 2; v < 3 * ScheduleCommittees.MEMO_LIMIT; v++) {
            assertEquals(keys(five), committees.at(v));
        }
        assertEquals(keys(four), committees.at(1), "forgotten and listed again");
    }

    @Test
    void aNewScheduleAtEveryQuestionStillGivesTheRightKeys() {
        List<Member> four = members("a", 4);
        ScheduleCommittees committees = new ScheduleCommittees(
                () -> new MembershipSchedule(10, four, Optional.empty(), List.of()));
        for (long v = 0; v < 3 * ScheduleCommittees.MEMO_LIMIT; v++) {
            assertEquals(keys(four), committees.at(v));
        }
    }
}
