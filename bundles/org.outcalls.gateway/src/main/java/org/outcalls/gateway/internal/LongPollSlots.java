package org.outcalls.gateway.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the long polls ({@code ?wait=}) that hold a connection open, per caller and in all, and
 * refuses one more beyond either cap: each waiting poll holds a socket, a timer and a height
 * subscription, and nothing else bounds how many a caller opens. Thread-safe.
 */
final class LongPollSlots {
    /** The outcome of asking for a slot. */
    enum Outcome { TAKEN, CALLER_AT_CAP, GATEWAY_AT_CAP }

    private final int perCaller;
    private final int total;
    private final Map<String, Integer> open = new HashMap<>();
    private int inUse;

    LongPollSlots(int perCaller, int total) {
        if (perCaller < 1 || total < 1) {
            throw new IllegalArgumentException("long-poll caps must be at least 1: " + perCaller + " per caller, " + total + " in all");
        }
        this.perCaller = perCaller;
        this.total = total;
    }

    synchronized Outcome acquire(String caller) {
        if (inUse >= total) {
            return Outcome.GATEWAY_AT_CAP;
        }
        int mine = open.getOrDefault(caller, 0);
        if (mine >= perCaller) {
            return Outcome.CALLER_AT_CAP;
        }
        open.put(caller, mine + 1);
        inUse++;
        return Outcome.TAKEN;
    }

    synchronized void release(String caller) {
        Integer mine = open.get(caller);
        if (mine == null) {
            return;
        }
        if (mine == 1) {
            open.remove(caller);
        } else {
            open.put(caller, mine - 1);
        }
        inUse--;
    }

    synchronized int inUse() {
        return inUse;
    }

    int perCaller() {
        return perCaller;
    }

    int total() {
        return total;
    }
}
