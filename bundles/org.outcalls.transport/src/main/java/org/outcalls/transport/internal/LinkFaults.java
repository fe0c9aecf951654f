package org.outcalls.transport.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Partitions and crashes of an in-JVM network. Not thread-safe by itself: the networks guard it.
 */
public final class LinkFaults {
    private final int size;
    private final boolean[] crashed;
    private int[] group; // replica → partition group; all 0 when healed

    public LinkFaults(int size) {
        this.size = size;
        this.crashed = new boolean[size];
        this.group = new int[size];
    }

    public boolean connected(int from, int to) {
        return !crashed[from] && !crashed[to] && group[from] == group[to];
    }

    public boolean crashed(int r) {
        return crashed[r];
    }

    public void crash(int r, boolean value) {
        check(r);
        crashed[r] = value;
    }

    /** Replicas in different groups cannot reach each other; replicas in no group form one more group. */
    public void partition(Collection<? extends Set<Integer>> groups) {
        int[] g = new int[size];
        java.util.Arrays.fill(g, 0);
        int id = 1;
        Set<Integer> seen = new TreeSet<>();
        for (Set<Integer> s : groups) {
            for (int r : s) {
                check(r);
                if (!seen.add(r)) {
                    throw new IllegalArgumentException("replica " + r + " is in two partition groups");
                }
                g[r] = id;
            }
            id++;
        }
        group = g;
    }

    public void heal() {
        group = new int[size];
    }

    public List<List<Integer>> describe() {
        List<List<Integer>> out = new ArrayList<>();
        for (int id = 0; id <= size; id++) {
            List<Integer> members = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                if (group[r] == id) {
                    members.add(r);
                }
            }
            if (!members.isEmpty()) {
                out.add(members);
            }
        }
        return out;
    }

    private void check(int r) {
        if (r < 0 || r >= size) {
            throw new IllegalArgumentException("replica: must be 0.." + (size - 1) + ", got " + r);
        }
    }
}
