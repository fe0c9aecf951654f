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
 * Within the mark, one caller (a remote address, or a sender principal) holds at most
 * {@link #CALLER_SHARE_PERCENT}% of it less what the other callers hold, and never less than an
 * equal share of that among the callers holding any: the rest is kept for others. A caller holds a
 * message it submitted here while it is pooled and while a request context it opened is open.
 *
 * <p>Local, never replicated: it decides only what enters this replica's pool. Thread-safe.
 */
public final class IngressGate {
    /** Share of the high-water mark one caller may hold when it is the only one holding any. */
    public static final int CALLER_SHARE_PERCENT = 75;

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
    }

    private final Map<String, Held> byMessage = new HashMap<>();
    private final Map<String, Integer> byCaller = new HashMap<>();

    /**
     * @param caller    who submits
     * @param pooled    messages waiting in the pool now
     * @param open      request contexts open at the executed height
     * @param highWater the mark for pooled + open
     * @return why the submission is refused, or null to admit it
     */
    public synchronized Refusal check(String caller, int pooled, int open, int highWater) {
        int total = pooled + open;
        if (total >= highWater) {
            return new Refusal(false, "the subnet is busy: " + pooled + " messages wait for a block and " + open
                    + " request contexts are open, together at its high-water mark of " + highWater + "; retry later");
        }
        int held = byCaller.getOrDefault(caller, 0);
        int cap = callerCap(caller, highWater);
        if (held >= cap) {
            return new Refusal(true, "the subnet is busy for this caller: " + caller + " holds " + held
                    + " requests (waiting for a block or open), its share now ("
                    + CALLER_SHARE_PERCENT + "% of the high-water mark " + highWater + " less what "
                    + (byCaller.size() - (held > 0 ? 1 : 0)) + " other callers hold, at least an equal share); retry later");
        }
        return null;
    }

    /** The most {@code caller} may hold now. */
    private int callerCap(String caller, int highWater) {
        int shared = (int) ((long) highWater * CALLER_SHARE_PERCENT / 100);
        int held = byCaller.getOrDefault(caller, 0);
        int others = byMessage.size() - held;
        int holders = byCaller.size() + (held == 0 ? 1 : 0);
        return Math.max(1, Math.max(shared / holders, shared - others));
    }

    /** A message of {@code caller} entered the pool. */
    public synchronized void admitted(String messageId, String caller) {
        if (byMessage.putIfAbsent(messageId, new Held(caller)) == null) {
            byCaller.merge(caller, 1, Integer::sum);
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
                h.contexts++;
            }
        }
        for (OutcallOutcome o : result.outcomes()) {
            Held h = o.how() == OutcallOutcome.How.REJECTED_AT_CALL ? null : byMessage.get(o.messageId());
            if (h != null) {
                h.contexts--;
            }
        }
        Iterator<Map.Entry<String, Held>> it = byMessage.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Held> e = it.next();
            Held h = e.getValue();
            h.pooled = h.pooled && stillPooled.test(e.getKey());
            if (!h.pooled && h.contexts <= 0) {
                it.remove();
                byCaller.computeIfPresent(h.caller, (c, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    /** Messages held for {@code caller} now. */
    public synchronized int held(String caller) {
        return byCaller.getOrDefault(caller, 0);
    }

    /** Messages held in all. */
    public synchronized int held() {
        return byMessage.size();
    }
}
