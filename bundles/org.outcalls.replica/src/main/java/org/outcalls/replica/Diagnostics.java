package org.outcalls.replica;

import java.util.List;
import java.util.Map;

/**
 * What the replicas of this process observe locally, for the dashboard and {@code /metrics}.
 * Nothing here is replicated or signed: each process sees its own replicas, clocks and contents.
 *
 * @param takenAtMillis       wall-clock time of the snapshot
 * @param replicas            each local replica, in replica order
 * @param stateHashAgreement  honest replicas that executed the same height have the same state hash
 * @param blocksPerSecond     finalized blocks per second over the last {@link #RATE_WINDOW_SECONDS} seconds
 * @param inFlight            open outcalls with the shares held for each content hash, oldest first
 * @param recent              outcalls that ended lately, newest first (at most {@link #RECENT_OUTCALLS})
 * @param noConsensus         recent no-consensus outcomes with what differed, newest first
 * @param outcomes            outcalls ended here, by status ({@code completed}, {@code rejected}) and kind
 *                            (the reject kind, or {@code ok})
 * @param endToEnd            seconds from the block that opened an outcall to the block that delivered it
 * @param fetch               seconds one replica's adapter took to fetch (all local replicas)
 */
public record Diagnostics(long takenAtMillis, List<ReplicaView> replicas, boolean stateHashAgreement,
                          double blocksPerSecond, List<InFlight> inFlight, List<Recent> recent,
                          List<NoConsensus> noConsensus, Map<String, Map<String, Long>> outcomes,
                          Histogram endToEnd, Histogram fetch) {
    public static final int RATE_WINDOW_SECONDS = 10;
    public static final int RECENT_OUTCALLS = 20;
    public static final int RECENT_NO_CONSENSUS = 10;

    public Diagnostics {
        replicas = List.copyOf(replicas);
        inFlight = List.copyOf(inFlight);
        recent = List.copyOf(recent);
        noConsensus = List.copyOf(noConsensus);
        outcomes = Map.copyOf(outcomes);
    }

    /** For nodes that observe nothing. */
    public static Diagnostics none() {
        return new Diagnostics(System.currentTimeMillis(), List.of(), true, 0, List.of(), List.of(), List.of(), Map.of(),
                Histogram.empty(), Histogram.empty());
    }

    /**
     * One local replica.
     *
     * @param state           {@code up}, {@code waiting} (a canister is missing), {@code halted} or {@code crashed}
     * @param fault           the injected fault mode ({@code none} in production)
     * @param lag             how many heights its finalization trails the most advanced local replica
     * @param pools           sizes: {@code ingress_messages}, {@code outcall_contexts}, {@code outcall_shares}
     * @param counters        consensus counters (proposed, equivocations, invalid artifacts, ...)
     * @param peers           what this replica hears from each other member
     * @param missingPlugins  plugins the registry enables that this replica lacks
     */
    public record ReplicaView(int index, String state, String fault, long finalizedHeight, long notarizedHeight,
                              long executedHeight, long lag, String stateHash, Map<String, Long> pools,
                              Map<String, Long> counters, List<Peer> peers, List<String> missingPlugins) {
        public ReplicaView {
            pools = Map.copyOf(pools);
            counters = Map.copyOf(counters);
            peers = List.copyOf(peers);
            missingPlugins = List.copyOf(missingPlugins);
        }
    }

    /**
     * A peer as one replica hears it.
     *
     * @param connected        a frame arrived from it within the last few heartbeats
     * @param lastHeardMillis  milliseconds since its last frame, or -1 if none ever came
     */
    public record Peer(int index, boolean connected, long lastHeardMillis) {
    }

    /** An open outcall and the shares held for it, grouped by content hash (largest group first). */
    public record InFlight(long callbackId, String messageId, String url, String method, String policy,
                           long openedAtHeight, long ageMillis, List<ShareGroup> groups) {
        public InFlight {
            groups = List.copyOf(groups);
        }
    }

    /**
     * Shares that signed one content hash.
     *
     * @param summary what the content is ("200, 1234 bytes", "reject unreachable: ..."), or "" if not held
     */
    public record ShareGroup(String contentHash, int count, List<Integer> signers, String summary) {
        public ShareGroup {
            signers = List.copyOf(signers);
        }
    }

    /** An outcall that ended: how ({@code completed} or {@code rejected}), and the reject kind if rejected. */
    public record Recent(long callbackId, String messageId, String url, String status, String kind, long height,
                         long endedAtMillis, double seconds) {
    }

    /**
     * A no-consensus outcome with the groups of differing contents and the fields that differed.
     *
     * @param differences fields whose values differ across the groups, from the contents this replica held
     * @param message     the reject message the canister got
     */
    public record NoConsensus(long callbackId, String messageId, String url, long height, long endedAtMillis,
                              String message, List<ShareGroup> groups, List<FieldDifference> differences) {
        public NoConsensus {
            groups = List.copyOf(groups);
            differences = List.copyOf(differences);
        }
    }

    /**
     * One field that differed.
     *
     * @param field  {@code status}, {@code outcome} (response vs reject), {@code header <name>}, {@code body}
     *               (not JSON), {@code body <JSON pointer>}, or {@code reject code|kind|message}
     * @param values the field's value in each group, in the order of {@link NoConsensus#groups()}
     *               ({@code "(absent)"} where a group lacks it; {@code "(content not held)"} where unknown)
     */
    public record FieldDifference(String field, List<String> values) {
        public FieldDifference {
            values = List.copyOf(values);
        }
    }

    /**
     * A cumulative histogram in seconds, as Prometheus defines one.
     *
     * @param upperBounds bucket upper bounds in seconds, ascending ({@code +Inf} is implied)
     * @param cumulative  observations ≤ each bound; one more entry for {@code +Inf} (= count)
     */
    public record Histogram(List<Double> upperBounds, List<Long> cumulative, double sum, long count) {
        public Histogram {
            upperBounds = List.copyOf(upperBounds);
            cumulative = List.copyOf(cumulative);
            if (cumulative.size() != upperBounds.size() + 1) {
                throw new IllegalArgumentException("cumulative: one count per bound plus +Inf");
            }
        }

        public static Histogram empty() {
            return new Histogram(List.of(), List.of(0L), 0, 0);
        }
    }
}
