package org.outcalls.replica.internal.node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.outcalls.consensus.outcall.OutcallCommittees;
import org.outcalls.crypto.PublicKey;
import org.outcalls.replica.MembershipSchedule;

/**
 * The members that answer a request, read from the newest executed membership schedule. Admission,
 * decisions and item validation ask once per share, so each registry version's keys are listed
 * once per schedule rather than once per question (at n = 13 listing them was 1.8 % of a
 * benchmark's CPU); a new schedule starts afresh, so the answer is always the executed state's.
 */
final class ScheduleCommittees implements OutcallCommittees {
    /** Registry versions asked about are those of open contexts: a few. More empties the memo. */
    static final int MEMO_LIMIT = 64;

    private final Supplier<MembershipSchedule> schedule;
    private final Map<Long, List<PublicKey>> keys = new HashMap<>();
    private MembershipSchedule listedFrom;

    ScheduleCommittees(Supplier<MembershipSchedule> schedule) {
        this.schedule = schedule;
    }

    @Override
    public synchronized List<PublicKey> at(long registryVersion) {
        MembershipSchedule now = schedule.get();
        if (now != listedFrom || keys.size() >= MEMO_LIMIT) {
            keys.clear();
            listedFrom = now;
        }
        return keys.computeIfAbsent(registryVersion, v -> MembershipSchedule.keys(now.membersAtRegistryVersion(v)));
    }
}
