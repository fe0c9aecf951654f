package org.outcalls.replica.internal.ingress;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;

/**
 * Early refusal at the front replica: what this replica's gateway lets into the ingress pool. A new
 * submission is refused while the pooled messages plus the open request contexts reach the
 * high-water mark (the {@link AdmissionWindow}, within the registry's bound on open contexts), so an
 * overloaded subnet answers "busy" at once instead of queueing requests that would all end late.
 * Within the mark, one caller (a remote address, or a sender principal) holds at most its
 * {@link FairShare}: {@link #CALLER_SHARE_PERCENT}% of the mark less what the other callers hold,
 * and never less than an equal share of that among the callers holding any.
 *
 * <p>A caller holds what its messages submitted here weigh: a pooled message 1, an executed one the
 * request contexts it opened that are still open. Contexts, not messages, because one call may open
 * up to 500 of them: counted as one message, a caller with a fan-out canister would hold the whole
 * window while its share said it held almost nothing. What a caller holds past the shared part (its
 * overrun: only a fan-out gets it there) counts against its own share but not toward the mark for
 * the others, so they keep getting in while its contexts stay open; never past the registry's bound.
 * Contexts opened by messages submitted at other replicas count toward the mark but to no caller.
 *
 * <p>Local, never replicated: it decides only what enters this replica's pool. Thread-safe.
 */
public final class IngressGate {
    /** Share of the high-water mark one caller may hold when it is the only one holding any. */
    public static final int CALLER_SHARE_PERCENT = FairShare.CALLER_SHARE_PERCENT;

    /** Why a submission is refused now. */
    public record Refusal(boolean callerShare, String message) {
    }

    private static final class Held {
        final String caller;
        boolean pooled = true;
        int contexts;

        Held(String caller) {
            this.caller = caller;
        }

        /** What it counts for its caller: at least 1 while pooled, then the contexts it holds open. */
        int weight() {
            return Math.max(pooled ? 1 : 0, Math.max(0, contexts));
        }
    }

    /** What one caller holds: the sum of its messages' weights, and of which the open contexts. */
    private static final class Holding {
        long weight;
        long contexts;
        int messages;
    }

    private final Map<String, Held> byMessage = new HashMap<>();
    private final Map<String, Holding> byCaller = new HashMap<>();
    private long heldTotal;

    /**
     * @param caller    who submits
     * @param pooled    messages waiting in the pool now
     * @param open      request contexts open at the executed height
     * @param highWater the mark for pooled + open
     * @param limit     the registry's bound on open contexts: never admitted at or past it
     * @return why the submission is refused, or null to admit it
     */
    public synchronized Refusal check(String caller, int pooled, int open, int highWater, int limit) {
        long total = (long) pooled + open;
        long overrun = total >= highWater ? FairShare.overrun(weights(), highWater) : 0;
        if (total - overrun >= highWater || total >= limit) {
            return new Refusal(false, busyMessage(pooled, open, overrun, highWater, limit));
        }
        Holding mine = byCaller.get(caller);
        long held = mine == null ? 0 : mine.weight;
        int otherHolders = byCaller.size() - (mine == null ? 0 : 1);
        if (held >= FairShare.cap(highWater, heldTotal - held, otherHolders)) {
            return new Refusal(true, "the subnet is busy for this caller: " + caller + " holds " + held + " ("
                    + (mine == null ? 0 : mine.messages) + " messages waiting for a block or with contexts open, "
                    + (mine == null ? 0 : mine.contexts) + " request contexts open), its share now ("
                    + CALLER_SHARE_PERCENT + "% of the high-water mark " + highWater + " less what "
                    + otherHolders + " other callers hold, at least an equal share); retry later");
        }
        return null;
    }

    private static String busyMessage(int pooled, int open, long overrun, int highWater, int limit) {
        String held = pooled + " messages wait for a block and " + open + " request contexts are open";
        if (pooled + (long) open >= limit) {
            return "the subnet is busy: " + held + ", at the registry's bound of " + limit + "; retry later";
        }
        String overrunPart = overrun == 0 ? "" : " (not counting " + overrun
                + " held past their share by callers whose calls opened more contexts than it)";
        return "the subnet is busy: " + held + overrunPart + ", together at its high-water mark of " + highWater
                + "; retry later";
    }

    private Iterable<Long> weights() {
        return byCaller.values().stream().map(h -> h.weight).toList();
    }

    /** A message of {@code caller} entered the pool. */
    public synchronized void admitted(String messageId, String caller) {
        Held h = new Held(caller);
        if (byMessage.putIfAbsent(messageId, h) == null) {
            Holding holding = byCaller.computeIfAbsent(caller, c -> new Holding());
            holding.messages++;
            holding.weight += h.weight();
            heldTotal += h.weight();
        }
    }

    /**
     * After a block was executed and the pool purged: counts the contexts each held message opened
     * and closed, and lets go of the messages no longer pooled and with no context open.
     */
    public synchronized void executed(ExecutionResult result, Predicate<String> stillPooled) {
        if (byMessage.isEmpty()) {
            return;
        }
        for (RequestContext c : result.createdContexts()) {
            Held h = byMessage.get(c.messageId());
            if (h != null) {
                reweigh(h, h.pooled, h.contexts + 1);
            }
        }
        for (OutcallOutcome o : result.outcomes()) {
            Held h = o.how() == OutcallOutcome.How.REJECTED_AT_CALL ? null : byMessage.get(o.messageId());
            if (h != null) {
                reweigh(h, h.pooled, h.contexts - 1);
            }
        }
        Iterator<Map.Entry<String, Held>> it = byMessage.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Held> e = it.next();
            Held h = e.getValue();
            reweigh(h, h.pooled && stillPooled.test(e.getKey()), h.contexts);
            if (!h.pooled && h.contexts <= 0) {
                it.remove();
                Holding holding = byCaller.get(h.caller);
                if (--holding.messages == 0) {
                    byCaller.remove(h.caller);
                }
            }
        }
    }

    /** Changes what a message counts for its caller, keeping the caller's and the total sums. */
    private void reweigh(Held h, boolean pooled, int contexts) {
        int before = h.weight();
        int contextsBefore = Math.max(0, h.contexts);
        h.pooled = pooled;
        h.contexts = contexts;
        Holding holding = byCaller.get(h.caller);
        holding.weight += h.weight() - before;
        holding.contexts += Math.max(0, h.contexts) - contextsBefore;
        heldTotal += h.weight() - before;
    }

    /** What {@code caller} holds now: its pooled messages and the open contexts its messages opened. */
    public synchronized int held(String caller) {
        Holding h = byCaller.get(caller);
        return h == null ? 0 : (int) Math.min(Integer.MAX_VALUE, h.weight);
    }

    /** What all callers hold now. */
    public synchronized long held() {
        return heldTotal;
    }
}
