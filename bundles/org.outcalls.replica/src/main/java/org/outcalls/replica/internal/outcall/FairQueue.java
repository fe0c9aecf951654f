package org.outcalls.replica.internal.outcall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waiting work, bounded in total and per key, served round-robin across keys: each take serves the
 * key whose turn it is, then sends that key to the back of the line. So a key with a thousand items
 * waiting delays another key's first item by at most one item, not a thousand. Thread-safe.
 */
final class FairQueue<T> {
    /** Why an item was not queued. */
    enum Refusal { KEY_FULL, FULL, CLOSED }

    private final int maxTotal;
    private final int maxPerKey;
    private final Map<String, ArrayDeque<T>> byKey = new HashMap<>();
    /** Keys with waiting items, the one whose turn it is first. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int total;
    private boolean closed;

    FairQueue(int maxTotal, int maxPerKey) {
        if (maxPerKey < 1 || maxTotal < maxPerKey) {
            throw new IllegalArgumentException("transform queue limits: per key " + maxPerKey + ", total " + maxTotal
                    + "; need 1 <= per key <= total");
        }
        this.maxTotal = maxTotal;
        this.maxPerKey = maxPerKey;
    }

    int maxTotal() {
        return maxTotal;
    }

    int maxPerKey() {
        return maxPerKey;
    }

    /** Queues the item, or says why not (the item is then not held). */
    synchronized Refusal offer(String key, T item) {
        if (closed) {
            return Refusal.CLOSED;
        }
        ArrayDeque<T> waiting = byKey.get(key);
        if (waiting != null && waiting.size() >= maxPerKey) {
            return Refusal.KEY_FULL;
        }
        if (total >= maxTotal) {
            return Refusal.FULL;
        }
        if (waiting == null) {
            waiting = new ArrayDeque<>();
            byKey.put(key, waiting);
            turns.addLast(key);
        }
        waiting.addLast(item);
        total++;
        notify();
        return null;
    }

    /** The next item in round-robin order; waits for one. Null once the queue is closed. */
    synchronized T take() throws InterruptedException {
        while (total == 0 && !closed) {
            wait();
        }
        if (closed) {
            return null;
        }
        String key = turns.pollFirst();
        ArrayDeque<T> waiting = byKey.get(key);
        T item = waiting.pollFirst();
        total--;
        if (waiting.isEmpty()) {
            byKey.remove(key);
        } else {
            turns.addLast(key);
        }
        return item;
    }

    synchronized int waiting() {
        return total;
    }

    /** Refuses all further items, wakes the takers, and hands back what was still waiting. */
    synchronized List<T> close() {
        closed = true;
        List<T> left = new ArrayList<>(total);
        for (String key : turns) {
            left.addAll(byKey.get(key));
        }
        byKey.clear();
        turns.clear();
        total = 0;
        notifyAll();
        return left;
    }
}
