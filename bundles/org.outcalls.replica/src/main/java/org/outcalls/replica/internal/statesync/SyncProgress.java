package org.outcalls.replica.internal.statesync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where a state sync stands, for {@code GET /api/v1/subnet} ({@code this_replica.state_sync}) and
 * the dashboard: phase, the package it syncs to, chunks and bytes verified, what each peer served,
 * the peers blamed for data that failed verification. Written on the protocol thread, read anywhere.
 */
public final class SyncProgress {
    /** The phases, in order; {@code DONE}, {@code NOT_NEEDED} and {@code FAILED} end a sync. */
    public enum Phase { PROBING, MANIFEST, CHUNKS, BLOCKS, INSTALLING, DONE, NOT_NEEDED, FAILED }

    private Phase phase = Phase.PROBING;
    private long cupHeight = -1;
    private String stateHash = "";
    private int chunksTotal;
    private int chunksVerified;
    private long bytesVerified;
    private int heightsTotal;
    private int heightsVerified;
    private final TreeMap<Integer, Integer> servedBy = new TreeMap<>();
    private final TreeMap<Integer, String> blamed = new TreeMap<>();
    private final TreeSet<Integer> lacking = new TreeSet<>();
    private String lastError = "";
    private long startedMillis = System.currentTimeMillis();
    private long finishedMillis = -1;
    private int attempts = 1;

    synchronized void phase(Phase p) {
        phase = p;
        if (p == Phase.DONE || p == Phase.NOT_NEEDED || p == Phase.FAILED) {
            finishedMillis = System.currentTimeMillis();
        }
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized void restart() {
        phase = Phase.PROBING;
        attempts++;
        startedMillis = System.currentTimeMillis();
        finishedMillis = -1;
        chunksVerified = 0;
        bytesVerified = 0;
        heightsVerified = 0;
    }

    synchronized void target(long height, String hash, int chunks, int heights) {
        cupHeight = height;
        stateHash = hash;
        chunksTotal = chunks;
        heightsTotal = heights;
    }

    synchronized void chunkVerified(int peer, int bytes) {
        chunksVerified++;
        bytesVerified += bytes;
        servedBy.merge(peer, 1, Integer::sum);
    }

    synchronized void heightVerified() {
        heightsVerified++;
    }

    synchronized void blame(int peer, String why) {
        blamed.put(peer, why);
    }

    synchronized void lacking(int peer) {
        lacking.add(peer);
    }

    synchronized void error(String message) {
        lastError = message;
    }

    public synchronized boolean active() {
        return phase != Phase.DONE && phase != Phase.NOT_NEEDED && phase != Phase.FAILED;
    }

    public synchronized Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        m.put("attempt", attempts);
        if (cupHeight >= 0) {
            m.put("cup_height", cupHeight);
            m.put("state_hash", stateHash);
            m.put("chunks_total", chunksTotal);
            m.put("chunks_verified", chunksVerified);
            m.put("bytes_verified", bytesVerified);
            m.put("heights_total", heightsTotal);
            m.put("heights_verified", heightsVerified);
        }
        Map<String, Object> served = new TreeMap<>();
        servedBy.forEach((p, c) -> served.put(String.valueOf(p), c));
        m.put("chunks_by_peer", served);
        Map<String, Object> blame = new TreeMap<>();
        blamed.forEach((p, why) -> blame.put(String.valueOf(p), why));
        m.put("blamed_peers", blame);
        m.put("peers_without_it", new java.util.ArrayList<>(lacking));
        if (!lastError.isEmpty()) {
            m.put("last_error", lastError);
        }
        m.put("started_millis", startedMillis);
        if (finishedMillis >= 0) {
            m.put("took_millis", finishedMillis - startedMillis);
        }
        return m;
    }
}
