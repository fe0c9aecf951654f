package org.outcalls.replica;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The document behind {@code GET /api/v1/subnet}, as both node fronts fill it: the subnet of
 * {@code outcalls run} (all replicas in this JVM) and one replica of a multi-host subnet. Jackson
 * writes it with snake_case keys; a null component is left out, because each front has keys the
 * other lacks (a multi-host replica: {@code mode}, {@code this_replica}, {@code cycles},
 * {@code newest_cup}, {@code store}; the embedded subnet: {@code state_hash_agreement}) and a
 * multi-host replica still syncing its state has no {@code membership} yet.
 *
 * @param membership the pending and last applied membership change; a map, as the dashboard reads it
 * @param enabledPlugins {@code name -> version} the registry enables, sorted
 * @param installedPlugins {@code name@version} installed in this process, by kind
 * @param cycles the cycles balance of each registry canister, sorted by id
 * @param missingPlugins the union of what the rows lack, sorted
 * @param stateHashAgreement whether the honest replicas that executed the same height agree on its state hash
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubnetStatus(String subnetId, String mode, int replicaCount, int faultsTolerated, int threshold,
                           long registryVersion, Map<String, Object> membership, Map<String, String> enabledPlugins,
                           Map<String, List<String>> installedPlugins, ThisReplica thisReplica,
                           Map<String, Long> cycles, NewestCup newestCup, Store store, List<String> missingPlugins,
                           Boolean stateHashAgreement, List<ReplicaRow> replicas) {

    /**
     * One replica as its front sees it. The embedded subnet knows all of its replicas' heights; a
     * multi-host replica knows its own and, of each peer, the connection and the plugins it announced
     * (nothing at all of a member its transport cannot hold yet).
     *
     * @param address {@code host:port} of a multi-host member ({@code ""} if its registry entry has none)
     * @param fault the fault injected into an embedded replica ({@code none} for an honest one)
     * @param waitingFor the canister an embedded replica waits for before it can execute
     * @param link the connection to a peer of a multi-host replica; its keys sit in the row itself
     * @param hiddenPlugins what a development setting hides from an embedded replica, if anything
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplicaRow(int index, String nodeId, String publicKey, String address, String state, String fault,
                             Long finalizedHeight, Long executedHeight, String stateHash, String waitingFor, Halt halted,
                             @JsonUnwrapped PeerLink link, List<String> missingPlugins, List<String> installedPlugins,
                             List<String> hiddenPlugins) {
    }

    /**
     * A multi-host replica's connection to one peer.
     *
     * @param protocolVersion the wire protocol version agreed with the peer, once agreed
     * @param lastError why the connection last failed, if it has
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PeerLink(boolean outbound, boolean inbound, Integer protocolVersion, long framesSent,
                           long framesDropped, long framesReceived, String lastError) {
    }

    /**
     * The replica a multi-host front runs: before its node starts (while it syncs its state) only its
     * identity, state and sync progress.
     *
     * @param protocolVersions the wire protocol versions its transport speaks
     * @param stateSync where its state sync stands; a map, as the dashboard reads it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ThisReplica(int index, String nodeId, String protocolVersions, String state, Long finalizedHeight,
                              Long executedHeight, String stateHash, String waitingFor, Halt halted,
                              Map<String, Object> stateSync) {
    }

    /** The newest catch-up package a multi-host replica holds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NewestCup(long height, String blockHash, String stateHash, long registryVersion,
                            List<Integer> signers, int committeeSize) {
    }

    /**
     * A multi-host replica's store.
     *
     * @param lowestHeight the lowest finalized height it keeps, if it keeps any
     * @param highestHeight the highest finalized height it keeps, if it keeps any
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Store(int format, Long lowestHeight, Long highestHeight, List<Long> checkpoints, long fileBytes) {
    }
}
