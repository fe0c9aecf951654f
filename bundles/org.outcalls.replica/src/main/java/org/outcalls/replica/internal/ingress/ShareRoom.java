package org.outcalls.replica.internal.ingress;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Room for the calls of callers within their {@link FairShare} when one caller's contexts fill the
 * window: block making takes calls of anyone while the window has room, and past it only the calls
 * of callers holding less than their share, while the contexts open, not counting what callers hold
 * past the shared part of the window, stay below it, and the total below the registry's bound.
 * Without it a fan-out call that opened more contexts than the window holds would stop every
 * block from taking anyone's call until those contexts are decided or time out.
 *
 * <p>Who holds what comes from the executed state ({@code RequestContext.caller()}, the sender's
 * principal), so replicas at the same height agree; it is still only what a maker proposes (block
 * validation does not check it, execution enforces the registry's bound). Immutable.
 */
final class ShareRoom {
    private final int window;
    private final SortedMap<String, Integer> openByCaller;
    private final int open;
    private final int room;

    /**
     * @param openByCaller the open contexts by caller at the executed height
     * @param open         all open contexts (their sum)
     */
    ShareRoom(int window, int limit, SortedMap<String, Integer> openByCaller, int open) {
        this.window = window;
        this.openByCaller = openByCaller;
        this.open = open;
        long counted = open - FairShare.overrun(openByCaller.values(), window);
        this.room = (int) Math.max(0, Math.min(limit - open, window - counted));
    }

    /** Calls that may open contexts now if their callers are within their share (at least the window's room). */
    int room() {
        return room;
    }

    /**
     * Whether {@code caller}, holding its open contexts and {@code alsoTaken} calls already taken for
     * the block being made, is within its share.
     */
    boolean withinShare(String caller, int alsoTaken) {
        int mine = openByCaller.getOrDefault(caller, 0);
        int otherHolders = openByCaller.size() - (mine > 0 ? 1 : 0);
        return mine + alsoTaken < FairShare.cap(window, open - mine, otherHolders);
    }

    /** Open contexts by caller, from the callers of the executed state's open contexts (sorted: no hash order). */
    static SortedMap<String, Integer> count(Iterable<String> callers) {
        SortedMap<String, Integer> byCaller = new TreeMap<>();
        for (String caller : callers) {
            byCaller.merge(caller, 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(byCaller);
    }
}
