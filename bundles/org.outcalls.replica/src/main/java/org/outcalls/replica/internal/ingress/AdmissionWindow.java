package org.outcalls.replica.internal.ingress;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import org.outcalls.replica.ExecutionResult;
import org.outcalls.replica.OutcallOutcome;
import org.outcalls.replica.RequestContext;

/**
 * How many request contexts this replica lets the subnet open: at most the registry's bound
 * (deterministic, enforced in execution), and within it a window that follows how fast the subnet
 * decides. The window grows by what a block decided while the requests it decided took at most
 * {@link #LATE_MILLIS} from request to decision and the window was in use; it halves, at most once
 * per {@link #LATE_MILLIS} of block time, when the median of a block's decided requests took longer
 * (a timeout counts as late). So a subnet on a machine slower than the bound assumes still decides
 * what it admits within seconds, instead of queueing a whole bound of fetches behind each other
 * until they time out. Block making ({@code IngressSection}) takes no more calls than the window
 * leaves room for, and the ingress gate refuses new submissions at it. The snapshot also keeps
 * who holds the open contexts ({@code RequestContext.caller()}), so that a block maker can still take
 * calls of callers within their share when one caller's fan-out filled the window ({@link ShareRoom}).
 *
 * <p>Local, never replicated: it only decides what enters the pool and a maker's blocks (execution
 * refuses over the registry's bound on its own). It is a function of the executed blocks' times and
 * outcomes, so replicas that executed the same blocks agree on it anyway. Thread-safe (one
 * immutable snapshot, replaced after each executed block on the protocol thread).
 */
public final class AdmissionWindow {
    /** A decision that took longer than this, request to delivery, is late. */
    public static final long LATE_MILLIS = 5_000;
    /** The window never goes below this (nor above the registry's bound). */
    public static final int MIN_WINDOW = 16;
    /** Where the window starts: enough for any burst a light load makes, little enough for a slow machine. */
    public static final int INITIAL_WINDOW = 256;

    private record Snapshot(long height, int open, int limit, int window, long lastCutMillis,
                            SortedMap<String, Integer> openByCaller) {
    }

    private volatile Snapshot now;

    /** With {@code open} contexts open, whose callers are not known. */
    public AdmissionWindow(long height, int open, int limit) {
        this.now = new Snapshot(height, open, limit, clamp(INITIAL_WINDOW, limit), Long.MIN_VALUE, Collections.emptySortedMap());
    }

    /** With the {@code open} contexts of the executed state at {@code height}. */
    public AdmissionWindow(long height, Collection<RequestContext> open, int limit) {
        this.now = new Snapshot(height, open.size(), limit, clamp(INITIAL_WINDOW, limit), Long.MIN_VALUE, byCaller(open));
    }

    /**
     * After executing the block {@code result}, with {@code open} contexts open after it (the
     * executed state's) and the registry's {@code limit}.
     */
    public void executed(ExecutionResult result, Collection<RequestContext> open, int limit) {
        executed(result, open.size(), limit, byCaller(open));
    }

    /**
     * After executing the block {@code result}, with {@code open} contexts open after it, whose
     * callers are not known, and the registry's {@code limit}.
     */
    public void executed(ExecutionResult result, int open, int limit) {
        executed(result, open, limit, Collections.emptySortedMap());
    }

    private static SortedMap<String, Integer> byCaller(Collection<RequestContext> open) {
        return ShareRoom.count(open.stream().map(RequestContext::caller).toList());
    }

    private void executed(ExecutionResult result, int open, int limit, SortedMap<String, Integer> openByCaller) {
        Snapshot s = now;
        long[] latencies = decidedLatencies(result.outcomes(), result.blockTime());
        int window = s.window();
        long lastCut = s.lastCutMillis();
        if (latencies.length > 0) {
            Arrays.sort(latencies);
            boolean late = latencies[(latencies.length - 1) / 2] > LATE_MILLIS;
            if (late && (lastCut == Long.MIN_VALUE || result.blockTime() - lastCut >= LATE_MILLIS)) {
                window = window / 2;
                lastCut = result.blockTime();
            } else if (!late && s.open() + latencies.length >= window * 3 / 4) {
                window = window + latencies.length; // the window was in use: grow by what was decided
            }
        }
        now = new Snapshot(result.height(), open, limit, clamp(window, limit), lastCut, openByCaller);
    }

    /** Request time to decision, in ms, of each context the block closed (delivered or timed out). */
    private static long[] decidedLatencies(List<OutcallOutcome> outcomes, long blockTime) {
        return outcomes.stream().filter(o -> o.how() != OutcallOutcome.How.REJECTED_AT_CALL)
                .mapToLong(o -> o.how() == OutcallOutcome.How.TIMED_OUT ? Long.MAX_VALUE
                        : o.result().context().map(c -> blockTime - c.requestTime()).orElse(0L))
                .toArray();
    }

    private static int clamp(int window, int limit) {
        return Math.max(Math.min(MIN_WINDOW, limit), Math.min(window, limit));
    }

    public long height() {
        return now.height();
    }

    public int open() {
        return now.open();
    }

    /** The registry's bound at the executed height. */
    public int limit() {
        return now.limit();
    }

    /** Contexts (and pooled messages) this replica lets be open now: within the registry's bound. */
    public int window() {
        return now.window();
    }

    /** Contexts that may still be opened at the executed height (0 when the window is full). */
    public int room() {
        Snapshot s = now;
        return Math.max(0, s.window() - s.open());
    }

    /** Room, at the executed height, for calls of callers within their share (at least {@link #room()}). */
    ShareRoom shareRoom() {
        Snapshot s = now;
        return new ShareRoom(s.window(), s.limit(), s.openByCaller(), s.open());
    }

    /** Open contexts at the executed height whose caller is {@code caller} (0 if not known). */
    public int openBy(String caller) {
        return now.openByCaller().getOrDefault(caller, 0);
    }
}
